"""Methods that put something into a chat: text, photos, copies, forwards, chat actions."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.methods.common import bot_message, target_chat
from sandbox.telegram.state import FakeState

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


async def send_message(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat = target_chat(state, params["chat_id"])
    message = bot_message(
        state, chat, params, text=params["text"], entities=list(params.get("entities") or [])
    )
    return chat.message_to_api(message)


async def send_photo(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat = target_chat(state, params["chat_id"])
    stored = state.files.photo(params["photo"])
    message = bot_message(
        state,
        chat,
        params,
        photo=stored.photo_sizes(),
        caption=params.get("caption"),
        caption_entities=list(params.get("caption_entities") or []),
    )
    return chat.message_to_api(message)


async def copy_message(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    source = state.directory.chat(params["from_chat_id"]).messages.get(params["message_id"])
    if source is None:
        raise BotApiError(400, "message to copy not found")
    chat = target_chat(state, params["chat_id"])
    caption = params.get("caption", source.caption)
    caption_entities = params.get("caption_entities", source.caption_entities)
    message = bot_message(
        state,
        chat,
        params,
        text=source.text,
        entities=list(source.entities),
        photo=source.photo,
        caption=caption if source.photo is not None else None,
        caption_entities=list(caption_entities or []),
        contact=source.contact,
    )
    return {"message_id": message.message_id}


async def forward_message(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    source_chat = state.directory.chat(params["from_chat_id"])
    source = source_chat.messages.get(params["message_id"])
    if source is None:
        raise BotApiError(400, "message to forward not found")
    chat = target_chat(state, params["chat_id"])
    origin = {"type": "user", "date": source.date, "sender_user": source.sender}
    message = bot_message(
        state,
        chat,
        {k: v for k, v in params.items() if k != "reply_markup"},
        text=source.text,
        entities=list(source.entities),
        photo=source.photo,
        caption=source.caption,
        caption_entities=list(source.caption_entities),
        contact=source.contact,
        forward_origin=origin,
    )
    return chat.message_to_api(message)


async def send_chat_action(state: FakeState, params: dict[str, Any]) -> bool:
    chat = target_chat(state, params["chat_id"])
    if params["action"] not in CHAT_ACTIONS:
        raise BotApiError(400, "wrong parameter action in request")
    chat.last_action = params["action"]
    return True


async def get_chat(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat = state.directory.chat(params["chat_id"])
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
