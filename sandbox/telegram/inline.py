"""Inline mode: a person types `@bot words` in any chat, the bot answers with results
(`answerInlineQuery`), and the person picks one, which lands in that chat as a message sent
"via" the bot.

As Telegram: inline queries reach only a bot with inline mode on (BotFather's /setinline;
`supports_inline_queries` in getMe), a query can be answered once, results are at most 50
with ids of 1-64 bytes unique within the answer, a text result's `message_text` is parsed
like sendMessage's text, and `chosen_inline_result` updates come only with inline feedback on
(BotFather's /setinlinefeedback), carrying `inline_message_id` when the result had buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.telegram.chats import Chat, Message, User, now
from sandbox.telegram.errors import BotApiError, bad_request
from sandbox.telegram.limits import check_inline_button, parse_result_text
from sandbox.telegram.waiting import chat_topic

MAX_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
CHAT_TYPES = ("sender", "private", "group", "supergroup", "channel")


@dataclass
class InlineQuery:
    """One query a person typed, and the bot's answer once it came."""

    id: str
    user: User
    query: str
    chat_type: str | None
    offset: str = ""
    results: list[dict[str, Any]] | None = None
    answer: dict[str, Any] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "from": self.user.to_api(),
            "query": self.query,
            "offset": self.offset,
        }
        if self.chat_type is not None:
            data["chat_type"] = self.chat_type
        return data


class InlineQueries:
    """The queries people typed, by id, with their answers."""

    def __init__(self, first_id: int = 7_700_000_000_000_000_001) -> None:
        self._next_id = first_id
        self._next_inline_message = 1
        self.queries: dict[str, InlineQuery] = {}

    def create(self, user: User, query: str, chat_type: str | None) -> InlineQuery:
        if chat_type is not None and chat_type not in CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {', '.join(CHAT_TYPES)}")
        created = InlineQuery(str(self._next_id), user, query, chat_type)
        self._next_id += 1
        self.queries[created.id] = created
        return created

    def answer(self, params: dict[str, Any]) -> InlineQuery:
        """Record the bot's answer after Telegram's checks; a second answer is refused."""
        query = self.queries.get(str(params["inline_query_id"]))
        if query is None or query.results is not None:
            raise BotApiError(400, QUERY_INVALID)
        results = list(params["results"])
        if len(results) > MAX_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = str(result["id"])
            if not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID_BYTES:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            for row in (result.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    check_inline_button(button)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                content["message_text"], content["entities"] = parse_result_text(content)
        query.results = results
        query.answer = {
            key: params[key]
            for key in ("cache_time", "is_personal", "next_offset", "button")
            if key in params
        }
        return query

    def new_inline_message_id(self) -> str:
        inline_id = f"AgAAA{self._next_inline_message:010d}"
        self._next_inline_message += 1
        return inline_id


def result_message(
    chat: Chat, user: User, bot_user: dict[str, Any], result: dict[str, Any]
) -> Message:
    """The message a chosen result puts into `chat`: from the person, via the bot."""
    content = result.get("input_message_content")
    message = Message(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=now(),
        sender=user.to_api(),
        from_bot=False,
        via_bot=bot_user,
    )
    if isinstance(content, dict) and "message_text" in content:
        message.text = content["message_text"]
        message.entities = list(content.get("entities") or [])
    elif result.get("type") == "photo":
        message.caption = result.get("caption")
        message.photo = [{"file_id": result["photo_url"], "width": 0, "height": 0}]
    else:
        raise bad_request(f"the fake cannot send a {result.get('type')} result yet")
    markup = result.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        message.inline_keyboard = markup["inline_keyboard"]
    chat.messages[message.message_id] = message
    return message


def chosen_update(
    query: InlineQuery, result_id: str, inline_message_id: str | None
) -> dict[str, Any]:
    """The `chosen_inline_result` payload."""
    data: dict[str, Any] = {
        "result_id": result_id,
        "from": query.user.to_api(),
        "query": query.query,
    }
    if inline_message_id is not None:
        data["inline_message_id"] = inline_message_id
    return data


def notify_chat(changes: Any, chat: Chat) -> None:
    changes.notify(chat_topic(chat.id))
