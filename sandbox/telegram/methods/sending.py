"""Methods that put something into a chat: text, photos, copies, forwards, chat actions."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.limits import check_caption
from sandbox.telegram.methods.common import bot_message, group_of_bot, target_chat
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
    chat = target_chat(state, params["chat_id"], params)
    message = bot_message(
        state, chat, params, text=params["text"], entities=list(params.get("entities") or [])
    )
    return chat.message_to_api(message)


async def send_photo(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat = target_chat(state, params["chat_id"], params)
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


MEDIA_GROUP_SIZES = range(2, 11)


async def send_media_group(state: FakeState, params: dict[str, Any]) -> list[dict[str, Any]]:
    """An album: 2-10 photos, each a message of the same `media_group_id`, a caption on any
    (parsed as sendPhoto's). The fake sends photo albums only."""
    chat = target_chat(state, params["chat_id"], params)
    media = list(params["media"])
    if len(media) not in MEDIA_GROUP_SIZES:
        raise BotApiError(400, "wrong number of media items: an album has 2 to 10")
    if any(item.get("type") != "photo" for item in media):
        raise BotApiError(500, "the fake sends albums of photos only")
    checked = [check_caption(item) for item in media]
    photos = [state.files.photo(item["media"]) for item in media]  # every file, before any send
    group_id = f"{chat.id}{chat.last_message_id + 1}"
    sent = []
    for item, photo in zip(checked, photos, strict=True):
        message = bot_message(
            state,
            chat,
            params,
            photo=photo.photo_sizes(),
            caption=item.get("caption"),
            caption_entities=list(item.get("caption_entities") or []),
        )
        message.media_group_id = group_id
        sent.append(chat.message_to_api(message))
    return sent


async def copy_message(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    source = state.directory.chat(params["from_chat_id"]).messages.get(params["message_id"])
    if source is None:
        raise BotApiError(400, "message to copy not found")
    chat = target_chat(state, params["chat_id"], params)
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
    chat = target_chat(state, params["chat_id"], params)
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
    chat = target_chat(state, params["chat_id"], params)
    if params["action"] not in CHAT_ACTIONS:
        raise BotApiError(400, "wrong parameter action in request")
    chat.last_action = params["action"]
    return True


async def get_chat(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    """ChatFullInfo; a group's also says what its plain members may send."""
    chat = group_of_bot(state, params["chat_id"])
    extra: dict[str, Any] = {}
    if chat.type in ("group", "supergroup"):
        extra["permissions"] = member_permissions(chat.members_can_send_messages)
    return {
        **chat.to_api(),
        **extra,
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


# ChatPermissions' fields: what plain members of a group may do.
PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
)


def member_permissions(can_send: bool) -> dict[str, bool]:
    """Plain members may send everything, or (`can_send` False) nothing."""
    return {name: can_send for name in PERMISSIONS} | {
        "can_change_info": False,
        "can_invite_users": True,
        "can_pin_messages": False,
        "can_manage_topics": False,
    }
