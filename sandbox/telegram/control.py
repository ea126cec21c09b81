"""The control API under `/__sandbox__/`: what the customer driver, the demo chat and the
benchmark call to play the people in the chats and to inspect the fake. JSON in and out, so it
works the same in-process and from another process. Waits (next bot message, settle) are long
polls on the fake's change feed, bounded by the caller's timeout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.telegram import people
from sandbox.telegram.chats import Chat, Message, User
from sandbox.telegram.faults import Fault
from sandbox.telegram.json_response import JSONResponse
from sandbox.telegram.state import FakeState
from sandbox.telegram.views import chat_view, message_view
from sandbox.telegram.waiting import UPDATES, chat_topic, inline_topic, unless_client_leaves

MAX_WAIT = 60.0


def _state(request: Request) -> FakeState:
    state: FakeState = request.app.state.fake  # set by create_app
    return state


async def _body(request: Request) -> dict[str, Any]:
    body = await request.body()
    return (await request.json()) if body else {}


def _chat(request: Request) -> Chat:
    return _state(request).directory.chat(int(request.path_params["chat_id"]))


def _timeout(value: Any) -> float:
    return min(max(float(value if value is not None else 5.0), 0.0), MAX_WAIT)


def _user(data: dict[str, Any]) -> User:
    return User(
        id=int(data["user_id"]),
        first_name=data["first_name"],
        last_name=data.get("last_name"),
        username=data.get("username"),
        language_code=data.get("language_code"),
    )


async def create_customer(request: Request) -> JSONResponse:
    chat = _state(request).directory.add_customer(_user(await _body(request)))
    return JSONResponse({"chat": chat.to_api()})


async def create_group(request: Request) -> JSONResponse:
    """A group (or supergroup, or channel) with its members; optionally a forum with topics,
    the bot's membership there (`bot_status`: member, administrator, restricted, left,
    kicked) and what the bot and plain members may send."""
    data = await _body(request)
    directory = _state(request).directory
    chat = directory.add_group(int(data["chat_id"]), data["title"], data.get("type", "supergroup"))
    for member in data.get("members", []):
        # someone the fake already knows (a customer) keeps their profile, language included
        directory.users.setdefault(int(member["user_id"]), _user(member))
        chat.members.add(int(member["user_id"]))
    chat.is_forum = bool(data.get("forum", chat.is_forum))
    chat.topics |= {int(topic) for topic in data.get("topics", [])}
    chat.bot_status = str(data.get("bot_status", chat.bot_status))
    chat.bot_can_send_messages = bool(data.get("bot_can_send_messages", True))
    chat.members_can_send_messages = bool(data.get("members_can_send_messages", True))
    return JSONResponse({"chat": chat.to_api()})


async def send_message(request: Request) -> JSONResponse:
    data = await _body(request)
    chat = _chat(request)
    message = people.send_text(
        _state(request),
        chat,
        int(data["user_id"]),
        data["text"],
        data.get("entities"),
        bool(data.get("via_reply_button")),
        thread_id=data.get("thread_id"),
    )
    return await _answer(request, chat, data, {"message": message_view(message)})


async def edit_message(request: Request) -> JSONResponse:
    data = await _body(request)
    chat = _chat(request)
    message = people.edit_text(
        _state(request),
        chat,
        int(data["user_id"]),
        int(data["message_id"]),
        data["text"],
        data.get("entities"),
    )
    return JSONResponse({"message": message_view(message)})


async def share_contact(request: Request) -> JSONResponse:
    data = await _body(request)
    chat = _chat(request)
    message = people.share_contact(
        _state(request),
        chat,
        int(data["user_id"]),
        data["phone_number"],
        own=bool(data.get("own", True)),
        first_name=data.get("first_name"),
        contact_user_id=data.get("contact_user_id"),
    )
    return await _answer(request, chat, data, {"message": message_view(message)})


async def send_media(request: Request) -> JSONResponse:
    """A photo (`kind` photo, optional `caption`) or a sticker (`kind` sticker, `emoji`)."""
    data = await _body(request)
    chat = _chat(request)
    state, user_id = _state(request), int(data["user_id"])
    if data.get("kind") == "sticker":
        message = people.send_sticker(state, chat, user_id, str(data.get("emoji") or "👍"))
    elif data.get("kind") == "photo":
        message = people.send_photo(state, chat, user_id, data.get("caption"))
    else:
        return JSONResponse({"error": "kind must be photo or sticker"}, status_code=400)
    return await _answer(request, chat, data, {"message": message_view(message)})


async def callback_answer(request: Request) -> JSONResponse:
    """What the bot answered to a callback query (the toast or alert the person saw), if
    it answered yet."""
    query = _state(request).callbacks.queries.get(request.path_params["query_id"])
    if query is None:
        return JSONResponse({"error": "no such callback query"}, status_code=404)
    return JSONResponse({"answered": query.answers > 0, "answer": query.answer})


async def tap(request: Request) -> JSONResponse:
    data = await _body(request)
    chat = _chat(request)
    query_id = people.tap(
        _state(request),
        chat,
        int(data["user_id"]),
        int(data["message_id"]),
        data["data"],
        forged=bool(data.get("forged", False)),
    )
    return await _answer(request, chat, data, {"callback_query_id": query_id})


async def send_inline_query(request: Request) -> JSONResponse:
    """`@bot <query>` typed by `user_id` (in a chat of `chat_type`); answers once the bot has
    answered the query (`results`, and its `answer` options), or 408 after `timeout`."""
    data = await _body(request)
    state = _state(request)
    try:
        query = people.inline_query(
            state, int(data["user_id"]), str(data.get("query", "")), data.get("chat_type", "sender")
        )
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    answered = await unless_client_leaves(
        request,
        state.changes.wait_for(
            lambda: query.results is not None,
            _timeout(data.get("timeout")),
            inline_topic(query.id),
        ),
    )
    body = {"inline_query_id": query.id, "results": query.results, "answer": query.answer}
    return JSONResponse(body, status_code=200 if answered else 408)


async def choose_inline_result(request: Request) -> JSONResponse:
    """The person picks result `result_id` of an answered query and sends it into `chat_id`."""
    data = await _body(request)
    state = _state(request)
    chat = state.directory.chat(int(data["chat_id"]))
    message = people.choose_inline_result(
        state, str(request.path_params["query_id"]), str(data["result_id"]), chat
    )
    return JSONResponse({"message": message_view(message), "chat_id": chat.id})


async def set_bot_options(request: Request) -> JSONResponse:
    """BotFather's switches: `inline_mode` (/setinline), `inline_feedback`
    (/setinlinefeedback)."""
    data = await _body(request)
    bot = _state(request).bot
    for name in ("inline_mode", "inline_feedback"):
        if name in data:
            setattr(bot, name, bool(data[name]))
    return JSONResponse({"inline_mode": bot.inline_mode, "inline_feedback": bot.inline_feedback})


async def set_blocked(request: Request) -> JSONResponse:
    data = await _body(request)
    people.set_blocked(_state(request), _chat(request), bool(data["blocked"]))
    return JSONResponse({"blocked": bool(data["blocked"])})


async def read_chat(request: Request) -> JSONResponse:
    return JSONResponse(chat_view(_chat(request)))


async def next_bot_message(request: Request) -> JSONResponse:
    """Wait for the first bot message after `after` whose text or caption has `contains`."""
    chat = _chat(request)
    after = int(request.query_params.get("after", 0))
    contains = request.query_params.get("contains") or ""

    def first_after() -> Message | None:
        for message in sorted(chat.messages.values(), key=lambda m: m.message_id):
            shown = message.text or message.caption or ""
            if message.from_bot and message.message_id > after and contains in shown:
                return message
        return None

    timeout = _timeout(request.query_params.get("timeout"))
    found = await _wait_for_message(request, chat, first_after, timeout)
    if found is None:
        return JSONResponse({"message": None, "chat": chat_view(chat)}, status_code=408)
    return JSONResponse({"message": found})


async def shown_bot_message(request: Request) -> JSONResponse:
    """Wait until a bot message in the chat shows `contains` now, whether it was sent or
    edited to say it: screens that edit in place never count as a next message."""
    chat = _chat(request)
    contains = request.query_params.get("contains", "")
    timeout = _timeout(request.query_params.get("timeout"))
    found = await _wait_shown(request, chat, contains, timeout)
    if found is None:
        return JSONResponse({"message": None, "chat": chat_view(chat)}, status_code=408)
    return JSONResponse({"message": found})


async def _wait_shown(
    request: Request,
    chat: Chat,
    contains: str,
    timeout: float,  # noqa: ASYNC109 (the server holds the wait for the client)
    label: str | None = None,
) -> dict[str, Any] | None:
    """The latest bot message showing `contains` (and a button labelled `label`, if given),
    once one does; None after `timeout`."""

    def latest_showing() -> Message | None:
        for message in reversed(chat.messages.values()):
            if message.from_bot and contains in (message.text or message.caption or ""):
                labels = [b.get("text") for row in message.inline_keyboard or [] for b in row]
                if label is None or label in labels:
                    return message
        return None

    return await _wait_for_message(request, chat, latest_showing, timeout)


async def _wait_for_message(
    request: Request,
    chat: Chat,
    pick: Callable[[], Message | None],
    timeout: float,  # noqa: ASYNC109 (the server holds the wait for the client)
) -> dict[str, Any] | None:
    """The view of the message `pick` finds, once it finds one (it is asked again on each
    change to the chat); None after `timeout`."""
    found: list[dict[str, Any]] = []

    def ready() -> bool:
        message = pick()
        if message is not None:
            found.append(message_view(message))
        return message is not None

    changes = _state(request).changes
    await unless_client_leaves(request, changes.wait_for(ready, timeout, chat_topic(chat.id)))
    return found[0] if found else None


async def _answer(
    request: Request, chat: Chat, data: dict[str, Any], answer: dict[str, Any]
) -> JSONResponse:
    """A customer action's answer. With `until_shown` in the request (and `until_label`: a
    button so labelled) it comes once a bot message shows that text (`shown`, or null with
    the chat after `timeout`): a person's "tap, then look" in one request, so a load test's
    crowd makes half the calls."""
    contains = data.get("until_shown")
    if contains is None:
        return JSONResponse(answer)
    label = data.get("until_label")
    found = await _wait_shown(
        request,
        chat,
        str(contains),
        _timeout(data.get("timeout")),
        None if label is None else str(label),
    )
    if found is None:
        return JSONResponse({**answer, "shown": None, "chat": chat_view(chat)}, status_code=408)
    return JSONResponse({**answer, "shown": found})


async def settle(request: Request) -> JSONResponse:
    """Return once the bot has confirmed (via its getUpdates offset, or a 2xx from its
    webhook) every update queued before this call."""
    state = _state(request)
    data = await _body(request)
    target = state.updates.last_update_id
    settled = await unless_client_leaves(
        request,
        state.changes.wait_for(
            lambda: state.updates.is_settled(target), _timeout(data.get("timeout")), UPDATES
        ),
    )
    pending = [u["update_id"] for u in state.updates.pending if u["update_id"] <= target]
    return JSONResponse(
        {"settled": settled, "pending": pending}, status_code=200 if settled else 408
    )


async def add_fault(request: Request) -> JSONResponse:
    data = await _body(request)
    fault = Fault(
        method=data["method"],
        error=data.get("error", 429),
        times=int(data.get("times", 1)),
        chat_id=data.get("chat_id"),
        retry_after=int(data.get("retry_after", 1)),
        contains=data.get("contains"),
    )
    try:
        _state(request).faults.add(fault)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"fault": fault.to_json()})


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse({"faults": [f.to_json() for f in _state(request).faults.unconsumed()]})


async def findings(request: Request) -> JSONResponse:
    state = _state(request)
    found = state.findings()
    if request.query_params.get("clear") in ("1", "true"):
        state.records.findings.clear()
    return JSONResponse({"findings": found})


async def calls(request: Request) -> JSONResponse:
    method = request.query_params.get("method")
    chat_id = request.query_params.get("chat_id")
    selected = [
        call.to_json()
        for call in _state(request).records.calls
        if (method is None or call.method.lower() == method.lower())
        and (chat_id is None or str(call.chat_id) == chat_id)
    ]
    return JSONResponse({"calls": selected})


async def flood_control(request: Request) -> JSONResponse:
    """GET: the switch, the limits and the 429s given; POST: set them (counts start again)."""
    flood = _state(request).flood
    if request.method == "POST":
        data = await _body(request)
        flood.configure(
            bool(data.get("enabled", True)),
            int(data.get("per_second", flood.per_second)),
            int(data.get("per_group_minute", flood.per_group_minute)),
        )
    return JSONResponse(flood.to_json())


async def reset(request: Request) -> JSONResponse:
    await _state(request).reset()
    return JSONResponse({"reset": True})


routes = [
    Route("/customers", create_customer, methods=["POST"]),
    Route("/groups", create_group, methods=["POST"]),
    Route("/chats/{chat_id}", read_chat, methods=["GET"]),
    Route("/chats/{chat_id}/messages", send_message, methods=["POST"]),
    Route("/chats/{chat_id}/edits", edit_message, methods=["POST"]),
    Route("/chats/{chat_id}/contact", share_contact, methods=["POST"]),
    Route("/chats/{chat_id}/taps", tap, methods=["POST"]),
    Route("/chats/{chat_id}/media", send_media, methods=["POST"]),
    Route("/callbacks/{query_id}", callback_answer, methods=["GET"]),
    Route("/chats/{chat_id}/blocked", set_blocked, methods=["POST"]),
    Route("/chats/{chat_id}/next", next_bot_message, methods=["GET"]),
    Route("/chats/{chat_id}/shown", shown_bot_message, methods=["GET"]),
    Route("/inline-queries", send_inline_query, methods=["POST"]),
    Route("/inline-queries/{query_id}/choose", choose_inline_result, methods=["POST"]),
    Route("/bot", set_bot_options, methods=["POST"]),
    Route("/settle", settle, methods=["POST"]),
    Route("/faults", add_fault, methods=["POST"]),
    Route("/faults", list_faults, methods=["GET"]),
    Route("/findings", findings, methods=["GET"]),
    Route("/calls", calls, methods=["GET"]),
    Route("/flood", flood_control, methods=["GET", "POST"]),
    Route("/reset", reset, methods=["POST"]),
]
