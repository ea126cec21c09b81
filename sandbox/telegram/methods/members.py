"""Who is in a chat: `getChatMember` (the bot itself, or a person) and
`getChatAdministrators`, shaped as the spec's ChatMember subtypes with every required field."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.chats import Chat
from sandbox.telegram.errors import BotApiError
from sandbox.telegram.methods.common import group_of_bot
from sandbox.telegram.state import FakeState

# ChatMemberAdministrator's required rights (Bot API 10.0), all granted to the fake's admins.
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
# ChatMemberRestricted's required rights besides sending messages.
RESTRICTED_RIGHTS = (
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)


def bot_member(state: FakeState, chat: Chat) -> dict[str, Any]:
    """The bot's own ChatMember in `chat`."""
    user = state.bot.user()
    status = chat.bot_status if chat.type != "private" else "member"
    if status == "administrator":
        member: dict[str, Any] = {
            "status": status,
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            **{right: True for right in ADMIN_RIGHTS},
        }
        if chat.type == "channel":
            member |= {"can_post_messages": True, "can_edit_messages": True}
        if chat.is_forum:
            member["can_manage_topics"] = True
        return member
    if status == "restricted":
        return {
            "status": status,
            "user": user,
            "is_member": True,
            "can_send_messages": chat.bot_can_send_messages,
            **{right: chat.bot_can_send_messages for right in RESTRICTED_RIGHTS},
            "until_date": 0,
        }
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    return {"status": status, "user": user}


async def get_chat_member(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat = group_of_bot(state, params["chat_id"])
    user_id = int(params["user_id"])
    if user_id == state.bot.user_id:
        return bot_member(state, chat)
    user = state.directory.users.get(user_id)
    if user is None:
        raise BotApiError(400, "user not found")
    inside = (chat.user is not None and chat.user.id == user_id) or user_id in chat.members
    return {"status": "member" if inside else "left", "user": user.to_api()}


async def get_chat_administrators(state: FakeState, params: dict[str, Any]) -> list[Any]:
    """The bot, when it is an administrator (the fake's people are plain members)."""
    chat = group_of_bot(state, params["chat_id"])
    if chat.type == "private":
        raise BotApiError(400, "there are no administrators in the private chat")
    member = bot_member(state, chat)
    return [member] if member["status"] == "administrator" else []
