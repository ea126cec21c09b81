"""Pieces every method module shares: how a handler looks, and how the bot's messages are
created in a chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sandbox.telegram.chats import Chat, Message, now
from sandbox.telegram.errors import BotApiError
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import chat_topic


@dataclass
class Answer:
    """A result with the optional `description` some methods add (e.g. "Webhook was set")."""

    result: Any
    description: str | None = None


Handler = Callable[[FakeState, dict[str, Any]], Awaitable[Any]]


def target_chat(state: FakeState, chat_id: Any, params: dict[str, Any] | None = None) -> Chat:
    """The chat the bot sends to: known, not one that blocked the bot, a group the bot is in
    and may post in, and (with `message_thread_id` in `params`) a topic the chat has."""
    chat = group_of_bot(state, chat_id)
    if chat.blocked:
        raise BotApiError(403, "bot was blocked by the user")
    if not chat.bot_may_post():
        raise BotApiError(400, "not enough rights to send text messages to the chat")
    thread = (params or {}).get("message_thread_id")
    if thread is not None and thread not in chat.topics:
        raise BotApiError(400, "message thread not found")
    return chat


def group_of_bot(state: FakeState, chat_id: Any) -> Chat:
    """A chat the bot can reach: Telegram answers a group it has left as unknown and one it
    was removed from with 403."""
    chat = state.directory.chat(chat_id)
    if chat.bot_status == "left" and chat.type != "private":
        raise BotApiError(400, "chat not found")
    if chat.bot_status == "kicked" and chat.type != "private":
        raise BotApiError(403, f"bot was kicked from the {chat.type} chat")
    return chat


def apply_markup(chat: Chat, message: Message, markup: dict[str, Any] | None) -> None:
    """Inline keyboards stay on the message; reply keyboards go to the customer's app."""
    if markup is None:
        return
    if "inline_keyboard" in markup:
        message.inline_keyboard = markup["inline_keyboard"]
        return
    message.has_reply_markup = True
    if "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def reply_to(chat: Chat, params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters") or {}
    message_id: int | None = reply.get("message_id")  # an Integer, decoded by the spec
    if message_id is None:
        return None
    if message_id not in chat.messages and not reply.get("allow_sending_without_reply"):
        raise BotApiError(400, "message to be replied not found")
    return message_id


def bot_message(state: FakeState, chat: Chat, params: dict[str, Any], **content: Any) -> Message:
    """Store a message from the bot, apply its markup, and wake anyone waiting for it."""
    for key in ("entities", "caption_entities"):
        if content.get(key):
            content[key] = resolve_mentions(state, content[key])
    message = Message(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=now(),
        sender=state.bot.user(),
        from_bot=True,
        reply_to=reply_to(chat, params),
        thread_id=params.get("message_thread_id"),
        **content,
    )
    apply_markup(chat, message, params.get("reply_markup"))
    chat.messages[message.message_id] = message
    state.changes.notify(chat_topic(chat.id))
    return message


def resolve_mentions(state: FakeState, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A `tg://user?id=` link becomes a `text_mention` carrying the whole user, as Telegram
    sends it; a user the bot has never seen cannot be mentioned, so that entity is dropped and
    the text stays plain."""
    resolved: list[dict[str, Any]] = []
    for entity in entities:
        if entity.get("type") == "text_mention":
            user = state.directory.users.get(int(entity["user"]["id"]))
            if user is None:
                continue
            entity = {**entity, "user": user.to_api()}
        resolved.append(entity)
    return resolved
