"""Edits and deletes, with Telegram's rules: an edit that changes nothing is refused
(`message is not modified`), an edit without `reply_markup` drops the inline keyboard, only the
bot's own messages without a reply keyboard can be edited, and text edits need a text message.
Inline-mode messages (`inline_message_id`) are not kept by the fake, so editing one is "not
found"."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.chats import Chat, Message, now
from sandbox.telegram.errors import BotApiError
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import chat_topic

# Uploaded parts referenced as attach://<name>, set aside by the request parser.
ATTACHMENTS = "__attachments__"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _editable(state: FakeState, params: dict[str, Any]) -> tuple[Chat, Message]:
    if params.get("chat_id") is None or params.get("message_id") is None:
        raise BotApiError(400, "message to edit not found")
    chat = state.directory.chat(params["chat_id"])
    message = chat.messages.get(params["message_id"])
    if message is None:
        raise BotApiError(400, "message to edit not found")
    if not message.from_bot or message.has_reply_markup:
        raise BotApiError(400, "message can't be edited")
    return chat, message


def _inline_keyboard(params: dict[str, Any]) -> list[list[dict[str, Any]]] | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if "inline_keyboard" not in markup:
        raise BotApiError(400, "inline keyboard expected")
    keyboard: list[list[dict[str, Any]]] = markup["inline_keyboard"]  # decoded by the spec
    return keyboard


def _commit(state: FakeState, chat: Chat, message: Message, before: tuple[Any, ...]) -> Any:
    if (message.content(), message.inline_keyboard) == before:
        raise BotApiError(400, NOT_MODIFIED)
    message.edit_date = now()
    state.changes.notify(chat_topic(chat.id))
    return chat.message_to_api(message)


async def edit_message_text(state: FakeState, params: dict[str, Any]) -> Any:
    chat, message = _editable(state, params)
    if message.text is None:
        raise BotApiError(400, "there is no text in the message to edit")
    keyboard = _inline_keyboard(params)
    before = (message.content(), message.inline_keyboard)
    message.text = params["text"]
    message.entities = list(params.get("entities") or [])
    message.inline_keyboard = keyboard
    return _commit(state, chat, message, before)


async def edit_message_caption(state: FakeState, params: dict[str, Any]) -> Any:
    chat, message = _editable(state, params)
    if message.photo is None:
        raise BotApiError(400, "there is no caption in the message to edit")
    keyboard = _inline_keyboard(params)
    before = (message.content(), message.inline_keyboard)
    message.caption = params.get("caption")
    message.caption_entities = list(params.get("caption_entities") or [])
    message.inline_keyboard = keyboard
    return _commit(state, chat, message, before)


async def edit_message_reply_markup(state: FakeState, params: dict[str, Any]) -> Any:
    chat, message = _editable(state, params)
    before = (message.content(), message.inline_keyboard)
    message.inline_keyboard = _inline_keyboard(params)
    return _commit(state, chat, message, before)


async def edit_message_media(state: FakeState, params: dict[str, Any]) -> Any:
    """Photos only (the shop's catalogue); other media types are refused as unsupported."""
    chat, message = _editable(state, params)
    media = params["media"]
    if media.get("type") != "photo":
        raise BotApiError(400, "the fake supports only photo media in editMessageMedia")
    if message.photo is None and message.text is not None:
        raise BotApiError(400, "message can't be edited")
    before = (message.content(), message.inline_keyboard)
    source = media.get("media")
    if isinstance(source, str) and source.startswith("attach://"):
        source = params.get(ATTACHMENTS, {}).get(source.removeprefix("attach://"))
    stored = state.files.photo(source)
    message.photo = stored.photo_sizes()
    message.caption = media.get("caption")
    message.caption_entities = list(media.get("caption_entities") or [])
    message.inline_keyboard = _inline_keyboard(params)
    return _commit(state, chat, message, before)


async def delete_message(state: FakeState, params: dict[str, Any]) -> bool:
    chat = state.directory.chat(params["chat_id"])
    if chat.messages.pop(params["message_id"], None) is None:
        raise BotApiError(400, "message to delete not found")
    state.changes.notify(chat_topic(chat.id))
    return True


async def delete_messages(state: FakeState, params: dict[str, Any]) -> bool:
    """Deletes what exists and skips the rest, as Telegram does."""
    chat = state.directory.chat(params["chat_id"])
    ids = params["message_ids"]
    if not 1 <= len(ids) <= 100:
        raise BotApiError(400, "message_ids must contain 1-100 identifiers")
    for message_id in ids:
        chat.messages.pop(message_id, None)
    state.changes.notify(chat_topic(chat.id))
    return True
