"""The customer driver: plays the people chatting with the bot, through the fake's control API.

It talks HTTP to `/__sandbox__/`, so tests, the demo chat and the benchmark drive a fake in
the same process or in another one the same way. Every wait is a long poll on the server
(the server wakes it when something changes); nothing here sleeps.

    fake = TelegramFakeClient(base_url)
    alice = await fake.customer(user_id=1001, first_name="Alice", language_code="en")
    await alice.command("start", payload="p_12")
    await fake.settle()
    await alice.tap("Add to cart")
    sent = await alice.send("Alice Smith")
    await alice.edit(sent.message_id, "Alice Smyth")  # the bot gets an edited_message
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

CONTROL = "/__sandbox__"


@dataclass(frozen=True)
class Button:
    """An inline button as shown: a label and its action."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """One message as the person sees it now."""

    message_id: int
    from_bot: bool
    text: str | None
    entities: list[dict[str, Any]]
    caption: str | None
    photo: str | None
    contact: dict[str, Any] | None
    buttons: list[list[Button]]
    edited: bool
    reply_to: int | None
    thread_id: int | None = None  # the forum topic it is in
    sticker: str | None = None  # a sticker's emoji
    via_bot: str | None = None  # the username of the bot a person sent it through

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatMessage:
        return cls(
            message_id=data["message_id"],
            from_bot=data["from_bot"],
            text=data["text"],
            entities=data["entities"],
            caption=data["caption"],
            photo=data["photo"],
            contact=data["contact"],
            buttons=[[Button(**b) for b in row] for row in data["buttons"]],
            edited=data["edited"],
            reply_to=data["reply_to"],
            thread_id=data.get("thread_id"),
            sticker=data.get("sticker"),
            via_bot=data.get("via_bot"),
        )

    @property
    def shown_text(self) -> str:
        return self.text or self.caption or ""

    @property
    def labels(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]


@dataclass(frozen=True)
class ReplyKeyboard:
    buttons: list[list[dict[str, Any]]]
    one_time: bool
    placeholder: str | None

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


@dataclass(frozen=True)
class ChatView:
    """The whole chat as the person sees it: messages after edits and deletes, and the reply
    keyboard their app currently shows."""

    chat_id: int
    messages: list[ChatMessage]
    reply_keyboard: ReplyKeyboard | None
    blocked: bool
    last_action: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatView:
        keyboard = data["reply_keyboard"]
        return cls(
            chat_id=data["chat_id"],
            messages=[ChatMessage.from_json(m) for m in data["messages"]],
            reply_keyboard=ReplyKeyboard(**keyboard) if keyboard else None,
            blocked=data["blocked"],
            last_action=data["last_action"],
        )

    @property
    def bot_messages(self) -> list[ChatMessage]:
        return [m for m in self.messages if m.from_bot]


@dataclass(frozen=True)
class InlineResult:
    """One result of an inline query's answer, as the person's app lists it."""

    id: str
    type: str
    title: str | None
    description: str | None
    thumbnail_url: str | None
    text: str | None  # what choosing it sends (plain text, as parsed)
    buttons: list[list[Button]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InlineResult:
        content = data.get("input_message_content") or {}
        rows = (data.get("reply_markup") or {}).get("inline_keyboard", [])
        return cls(
            id=str(data["id"]),
            type=data["type"],
            title=data.get("title"),
            description=data.get("description"),
            thumbnail_url=data.get("thumbnail_url"),
            text=content.get("message_text"),
            buttons=[
                [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
                for row in rows
            ],
        )


@dataclass(frozen=True)
class InlineAnswer:
    """The bot's answer to an inline query: its results and options."""

    query_id: str
    results: list[InlineResult]
    options: dict[str, Any]

    @property
    def titles(self) -> list[str]:
        return [result.title or "" for result in self.results]


class NotShown(AssertionError):
    """No bot message came to show the text waited for, within the timeout."""


@dataclass(frozen=True)
class Until:
    """Act, then wait (in the same request) until a bot message shows `text` (and, with
    `label`, a button so labelled, e.g. a pager's "2/14"): a customer's "tap, then look" as
    one call, for the load test's crowd."""

    text: str
    timeout: float = 5.0
    label: str | None = None


class TelegramFakeClient:
    """Control-API client: creates the people and chats, injects faults, reads the records."""

    def __init__(self, base_url: str, http: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = http or httpx.AsyncClient(base_url=self.base_url, timeout=70.0)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One control call; a refusal (a button not shown, an unknown chat) is an
        AssertionError carrying the fake's explanation, as a test wants it."""
        response = await self._http.request(method, f"{CONTROL}{path}", **kwargs)
        data: dict[str, Any] = response.json()  # the control API answers a JSON object
        if response.status_code >= 400 and response.status_code != 408:
            raise AssertionError(data.get("error") or data.get("description") or data)
        return data

    async def customer(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = "en",
        last_name: str | None = None,
        username: str | None = None,
    ) -> Customer:
        """A customer with a private chat with the bot (chat id == user id)."""
        await self.request(
            "POST",
            "/customers",
            json={
                "user_id": user_id,
                "first_name": first_name,
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            },
        )
        return Customer(self, user_id, first_name)

    async def group(
        self,
        chat_id: int,
        title: str,
        members: list[dict[str, Any]] | None = None,
        *,
        topics: list[int] | None = None,
        bot_status: str = "member",
        bot_can_send_messages: bool = True,
        members_can_send_messages: bool = True,
        chat_type: str = "supergroup",
    ) -> Group:
        """A group chat the bot is in (e.g. the staff chat); members as
        `{"user_id": .., "first_name": ..}` so they can write there. `topics`: a forum with
        these topics (message_thread_ids); `bot_status`: the bot's membership (member,
        administrator, restricted, left, kicked) and what the bot (restricted) and plain
        members may send."""
        await self.request(
            "POST",
            "/groups",
            json={
                "chat_id": chat_id,
                "title": title,
                "members": members or [],
                "type": chat_type,
                "forum": topics is not None,
                "topics": topics or [],
                "bot_status": bot_status,
                "bot_can_send_messages": bot_can_send_messages,
                "members_can_send_messages": members_can_send_messages,
            },
        )
        return Group(self, chat_id)

    async def settle(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 (server-side wait)
        """Return once the bot has fetched and confirmed everything sent so far."""
        data = await self.request("POST", "/settle", json={"timeout": timeout})
        if not data["settled"]:
            raise AssertionError(
                f"the bot did not fetch updates {data['pending']} within {timeout} s"
            )

    async def fail_next(
        self,
        method: str,
        error: int | str = 429,
        times: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
        contains: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, and whose text or caption
        contains `contains`, if given; with `contains`, `method` may be "*") fail with
        `error`: 429, 403, 400, 502, "timeout" (held until the client gives up), "blocked"
        (the customer blocks the bot just before the call: 403 for it and for every send
        after it, until they unblock) or "timeout_after" (carried out, the message shown,
        then the answer held until the client gives up)."""
        await self.request(
            "POST",
            "/faults",
            json={
                "method": method,
                "error": error,
                "times": times,
                "chat_id": chat_id,
                "retry_after": retry_after,
                "contains": contains,
            },
        )

    async def faults(self) -> list[dict[str, Any]]:
        """Injected faults that have not fired yet."""
        faults: list[dict[str, Any]] = (await self.request("GET", "/faults"))["faults"]
        return faults

    async def findings(self, clear: bool = False) -> list[dict[str, Any]]:
        """Spec violations, unimplemented methods, double answers, unanswered callback
        queries. `clear=True` takes the recorded ones away (for a test that expects them)."""
        params = {"clear": "1"} if clear else {}
        data = await self.request("GET", "/findings", params=params)
        findings: list[dict[str, Any]] = data["findings"]
        return findings

    async def calls(
        self, method: str | None = None, chat_id: int | None = None
    ) -> list[dict[str, Any]]:
        """The Bot API calls the fake received, in order, optionally filtered."""
        params: dict[str, Any] = {}
        if method is not None:
            params["method"] = method
        if chat_id is not None:
            params["chat_id"] = str(chat_id)
        calls: list[dict[str, Any]] = (await self.request("GET", "/calls", params=params))["calls"]
        return calls

    async def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answer to a callback query (`text`, `show_alert`, `url`, as sent), or
        None while it has not answered."""
        data = await self.request("GET", f"/callbacks/{query_id}")
        answer: dict[str, Any] | None = data["answer"] if data["answered"] else None
        return answer

    async def reset(self) -> None:
        await self.request("POST", "/reset")

    async def flood_control(
        self, enabled: bool = True, per_second: int = 30, per_group_minute: int = 20
    ) -> dict[str, Any]:
        """Switch Telegram's flood control on (or off); its 429 count starts again."""
        body = {"enabled": enabled, "per_second": per_second, "per_group_minute": per_group_minute}
        answer: dict[str, Any] = await self.request("POST", "/flood", json=body)
        return answer

    async def flood(self) -> dict[str, Any]:
        """Flood control's switch, limits and the 429s it gave since it was set."""
        answer: dict[str, Any] = await self.request("GET", "/flood")
        return answer

    async def set_bot(
        self, *, inline_mode: bool | None = None, inline_feedback: bool | None = None
    ) -> None:
        """BotFather's switches for the bot: inline mode, inline feedback."""
        options = {"inline_mode": inline_mode, "inline_feedback": inline_feedback}
        await self.request("POST", "/bot", json={k: v for k, v in options.items() if v is not None})


class _ChatParticipant:
    """What anyone in a chat can do: read it, and wait for the bot to say something."""

    def __init__(self, fake: TelegramFakeClient, chat_id: int) -> None:
        self.fake = fake
        self.chat_id = chat_id
        self._last_sent = 0

    @property
    def last_sent_id(self) -> int | None:
        """The id of the message this person sent last (text, command, reply button or
        contact), None before the first: what `edit` takes when an action returned the bot's
        answer instead (`until=`)."""
        return self._last_sent or None

    async def chat(self) -> ChatView:
        return ChatView.from_json(await self.fake.request("GET", f"/chats/{self.chat_id}"))

    async def last_message(self) -> ChatMessage:
        """The bot's latest message in the chat, as it looks now."""
        bot_messages = (await self.chat()).bot_messages
        if not bot_messages:
            raise AssertionError(f"the bot has sent nothing to chat {self.chat_id}")
        return bot_messages[-1]

    async def wait_for_message(
        self,
        contains: str = "",
        timeout: float = 5.0,  # noqa: ASYNC109 (the server holds the wait, not this client)
        after: int | None = None,
    ) -> ChatMessage:
        """The first bot message after this person's last action (or after message id
        `after`) whose text or caption contains `contains`."""
        since = self._last_sent if after is None else after
        data = await self.fake.request(
            "GET",
            f"/chats/{self.chat_id}/next",
            params={"after": since, "contains": contains, "timeout": timeout},
        )
        if data["message"] is None:
            raise AssertionError(
                f"no bot message containing {contains!r} after #{since} in chat {self.chat_id} "
                f"within {timeout} s; the bot's messages: {_bot_texts(data['chat'])}"
            )
        return ChatMessage.from_json(data["message"])

    async def wait_until_shown(
        self,
        contains: str,
        timeout: float = 5.0,  # noqa: ASYNC109 (the server holds the wait, not this client)
    ) -> ChatMessage:
        """The latest bot message that shows `contains`, once one does: sent anew or edited
        in place (a screen that edits its message never arrives as a next message)."""
        data = await self.fake.request(
            "GET",
            f"/chats/{self.chat_id}/shown",
            params={"contains": contains, "timeout": timeout},
        )
        if data["message"] is None:
            raise _not_shown(self.chat_id, contains, timeout, data["chat"])
        return ChatMessage.from_json(data["message"])

    async def _post(
        self, action: str, payload: dict[str, Any], until: Until | None = None
    ) -> dict[str, Any]:
        if until is not None:
            payload = {**payload, "until_shown": until.text, "timeout": until.timeout}
            if until.label is not None:
                payload["until_label"] = until.label
        data = await self.fake.request("POST", f"/chats/{self.chat_id}/{action}", json=payload)
        if until is not None and data.get("shown") is None:
            raise _not_shown(self.chat_id, until.text, until.timeout, data["chat"])
        return data

    async def _send(
        self, user_id: int, payload: dict[str, Any], until: Until | None = None
    ) -> ChatMessage:
        data = await self._post("messages", {"user_id": user_id, **payload}, until)
        message = ChatMessage.from_json(data["message"])
        self._last_sent = message.message_id
        return ChatMessage.from_json(data["shown"]) if until is not None else message

    async def _edit(self, user_id: int, message_id: int, text: str) -> ChatMessage:
        data = await self._post(
            "edits", {"user_id": user_id, "message_id": message_id, "text": text}
        )
        return ChatMessage.from_json(data["message"])


def _bot_texts(chat: dict[str, Any]) -> list[str]:
    """What the bot's messages in a chat view say: a failed wait's explanation."""
    return [m["text"] or m["caption"] for m in chat["messages"] if m["from_bot"]]


def _not_shown(chat_id: int, text: str, timeout: float, chat: dict[str, Any]) -> NotShown:
    return NotShown(
        f"no bot message in chat {chat_id} shows {text!r} within {timeout} s; "
        f"the bot's messages: {_bot_texts(chat)}"
    )


def command_message(name: str, payload: str | None = None) -> dict[str, Any]:
    """`/name [payload]` with the bot_command entity over `/name` only (UTF-16 length)."""
    command = f"/{name.lstrip('/')}"
    text = f"{command} {payload}" if payload else command
    length = len(command.encode("utf-16-le")) // 2
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": length}]}


class Customer(_ChatParticipant):
    """A customer in their private chat with the bot."""

    def __init__(self, fake: TelegramFakeClient, user_id: int, first_name: str) -> None:
        super().__init__(fake, user_id)
        self.user_id = user_id
        self.first_name = first_name
        self.last_query_id: str | None = None  # the callback query of the last tap

    async def send_photo(self, caption: str | None = None) -> ChatMessage:
        """Send a photo from the gallery (with `caption`, if given)."""
        return await self._send_media({"kind": "photo", "caption": caption})

    async def send_sticker(self, emoji: str = "👍") -> ChatMessage:
        return await self._send_media({"kind": "sticker", "emoji": emoji})

    async def _send_media(self, payload: dict[str, Any]) -> ChatMessage:
        data = await self._post("media", {"user_id": self.user_id, **payload})
        message = ChatMessage.from_json(data["message"])
        self._last_sent = message.message_id
        return message

    async def send(self, text: str, until: Until | None = None) -> ChatMessage:
        """The message sent (its `message_id` is what `edit` takes); with `until`, the bot's
        message that then shows its text (the sent one's id is then `last_sent_id`)."""
        return await self._send(self.user_id, {"text": text}, until)

    async def edit(self, message_id: int, text: str) -> ChatMessage:
        """Edit a text message this customer sent to read `text` (plain, no entities): the
        bot receives an `edited_message` update unless its allowed_updates leave it out.
        Returns the message as it now looks (`edited` is True)."""
        return await self._edit(self.user_id, message_id, text)

    async def command(
        self, name: str, payload: str | None = None, until: Until | None = None
    ) -> ChatMessage:
        return await self._send(self.user_id, command_message(name, payload), until)

    async def inline_query(
        self,
        query: str,
        chat_type: str = "supergroup",
        timeout: float = 5.0,  # noqa: ASYNC109 (server-side wait)
    ) -> InlineAnswer:
        """Type `@bot <query>` in a chat of `chat_type`; the bot's answer once it came."""
        data = await self.fake.request(
            "POST",
            "/inline-queries",
            json={
                "user_id": self.user_id,
                "query": query,
                "chat_type": chat_type,
                "timeout": timeout,
            },
        )
        if data["results"] is None:
            raise NotShown(f"the bot did not answer inline query {query!r} within {timeout} s")
        results = [InlineResult.from_json(result) for result in data["results"]]
        return InlineAnswer(data["inline_query_id"], results, data["answer"])

    async def choose(self, answer: InlineAnswer, result_id: str, chat_id: int) -> ChatMessage:
        """Pick a result of `answer`: it is sent into chat `chat_id` via the bot."""
        data = await self.fake.request(
            "POST",
            f"/inline-queries/{answer.query_id}/choose",
            json={"result_id": result_id, "chat_id": chat_id},
        )
        return ChatMessage.from_json(data["message"])

    async def tap(self, label: str, message_id: int | None = None) -> str | None:
        """Tap an inline button by its label on the latest bot message that has it (or on
        `message_id`). A URL button returns its URL and sends nothing."""
        view = await self.chat()
        candidates = [m for m in view.bot_messages if message_id in (None, m.message_id)]
        if message_id is not None and not candidates:
            raise AssertionError(f"no bot message #{message_id} in chat {self.chat_id}")
        for message in reversed(candidates):
            matches = [b for row in message.buttons for b in row if b.text == label]
            if len(matches) > 1:
                raise AssertionError(
                    f"{len(matches)} buttons labelled {label!r} on message "
                    f"#{message.message_id}; its buttons: {message.labels}"
                )
            if matches:
                return await self._press(message, matches[0])
        shown = {m.message_id: m.labels for m in candidates if m.buttons}
        raise AssertionError(f"no inline button {label!r}; buttons shown by message: {shown}")

    async def tap_on(
        self, message: ChatMessage, label: str, until: Until | None = None
    ) -> ChatMessage | str | None:
        """Tap the button labelled `label` on `message` as already in hand (a wait's result),
        without reading the chat first: what a load test does on every step. A URL button
        returns its URL; with `until`, a callback button returns the bot's message that then
        shows its text."""
        matches = [b for row in message.buttons for b in row if b.text == label]
        if len(matches) != 1:
            raise AssertionError(
                f"{len(matches)} buttons labelled {label!r} on message #{message.message_id}; "
                f"its buttons: {message.labels}"
            )
        button = matches[0]
        if until is None or button.url is not None:
            return await self._press(message, button)
        data = await self._post(
            "taps",
            {
                "user_id": self.user_id,
                "message_id": message.message_id,
                "data": button.callback_data,
            },
            until,
        )
        return ChatMessage.from_json(data["shown"])

    async def forge_tap(self, data: str, message_id: int | None = None) -> None:
        """Send callback data no button carries (on the latest bot message, or `message_id`),
        as a modified Telegram client could."""
        if message_id is None:
            message_id = (await self.last_message()).message_id
        answer = await self._post(
            "taps",
            {"user_id": self.user_id, "message_id": message_id, "data": data, "forged": True},
        )
        self.last_query_id = answer["callback_query_id"]

    async def _press(self, message: ChatMessage, button: Button) -> str | None:
        if button.url is not None:
            return button.url
        if button.callback_data is None:
            raise AssertionError(f"button {button.text!r} has neither callback data nor a URL")
        data = await self._post(
            "taps",
            {
                "user_id": self.user_id,
                "message_id": message.message_id,
                "data": button.callback_data,
            },
        )
        self.last_query_id = data["callback_query_id"]
        return None

    async def tap_reply(self, label: str) -> ChatMessage:
        """Press a button of the reply keyboard currently shown (fails if it is not)."""
        return await self._send(self.user_id, {"text": label, "via_reply_button": True})

    async def share_contact(
        self,
        phone: str,
        own: bool = True,
        first_name: str | None = None,
        contact_user_id: int | None = None,
        until: Until | None = None,
    ) -> ChatMessage:
        """Share one's own number through the shown request_contact button (own=True), or
        someone else's contact card. Pass `phone` with or without the leading '+'. With
        `until`, the bot's message that then shows its text."""
        data = await self._post(
            "contact",
            {
                "user_id": self.user_id,
                "phone_number": phone,
                "own": own,
                "first_name": first_name,
                "contact_user_id": contact_user_id,
            },
            until,
        )
        message = ChatMessage.from_json(data["message"])
        self._last_sent = message.message_id
        return ChatMessage.from_json(data["shown"]) if until is not None else message

    async def block(self) -> None:
        await self._post("blocked", {"blocked": True})

    async def unblock(self) -> None:
        await self._post("blocked", {"blocked": False})


class Group(_ChatParticipant):
    """A group chat the bot is in; members may write commands and text there (in a forum,
    in the topic `thread_id`)."""

    async def send(self, user_id: int, text: str, thread_id: int | None = None) -> ChatMessage:
        return await self._send(user_id, {"text": text, "thread_id": thread_id})

    async def edit(self, user_id: int, message_id: int, text: str) -> ChatMessage:
        """Member `user_id` edits a text message they sent here (an `edited_message`)."""
        return await self._edit(user_id, message_id, text)

    async def tap(self, user_id: int, label: str, message_id: int | None = None) -> None:
        """Member `user_id` taps the inline button labelled `label` on the latest bot message
        that has it (or on `message_id`)."""
        view = await self.chat()
        for message in reversed(view.bot_messages):
            if message_id not in (None, message.message_id):
                continue
            matches = [b for row in message.buttons for b in row if b.text == label]
            if matches and matches[0].callback_data is not None:
                data = {"user_id": user_id, "message_id": message.message_id}
                await self._post("taps", {**data, "data": matches[0].callback_data})
                return
        raise AssertionError(f"no inline button {label!r} in chat {self.chat_id}")

    async def command(
        self, user_id: int, name: str, payload: str | None = None, thread_id: int | None = None
    ) -> ChatMessage:
        return await self._send(user_id, {**command_message(name, payload), "thread_id": thread_id})
