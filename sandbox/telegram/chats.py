"""Users, chats and the messages in them, kept the way Telegram keeps them.

One message-id counter per chat serves both sides, so ids interleave as they do in a real
private chat. A message is stored as plain text plus entities (never as the HTML the bot sent)
and with the markup it was sent with; the reply keyboard a chat currently shows lives on the
client side, as in Telegram's apps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.telegram.errors import BotApiError


@dataclass
class User:
    """A person chatting with the bot (a customer or a staff member)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass
class Message:
    """One message in a chat, as plain text + entities, with its markup and media."""

    message_id: int
    chat_id: int
    date: int
    sender: dict[str, Any]
    from_bot: bool
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    photo: list[dict[str, Any]] | None = None
    sticker: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    inline_keyboard: list[list[dict[str, Any]]] | None = None
    # Sent with a reply keyboard, a keyboard removal or force_reply: Telegram refuses edits.
    has_reply_markup: bool = False
    edit_date: int | None = None
    reply_to: int | None = None
    forward_origin: dict[str, Any] | None = None
    # The forum topic it is in (a forum supergroup's message_thread_id), if any.
    thread_id: int | None = None
    # The bot (a User) a person sent it through: a chosen inline result.
    via_bot: dict[str, Any] | None = None
    # The album (sendMediaGroup) it is one photo of.
    media_group_id: str | None = None

    def content(self) -> tuple[Any, ...]:
        """What an edit compares against to decide `message is not modified`."""
        return (self.text, self.entities, self.caption, self.caption_entities, self.photo)


@dataclass
class Chat:
    """A private chat with a customer, or a group the bot is in."""

    id: int
    type: str
    title: str | None = None
    user: User | None = None
    messages: dict[int, Message] = field(default_factory=dict)
    last_message_id: int = 0
    # The reply keyboard the customer currently sees (a ReplyKeyboardMarkup dict), if any.
    reply_keyboard: dict[str, Any] | None = None
    blocked: bool = False
    last_action: str | None = None
    # Groups only: the members, whether it is a forum and its topics, the bot's membership
    # (a ChatMember status and, for an administrator or a restricted bot, its rights) and what
    # plain members may do.
    members: set[int] = field(default_factory=set)
    is_forum: bool = False
    topics: set[int] = field(default_factory=set)
    bot_status: str = "member"
    bot_can_send_messages: bool = True
    members_can_send_messages: bool = True

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data.update(
                {
                    k: v
                    for k, v in self.user.to_api().items()
                    if k in ("first_name", "last_name", "username")
                }
            )
        elif self.title is not None:
            data["title"] = self.title
        if self.is_forum:
            data["is_forum"] = True
        return data

    def bot_may_post(self) -> bool:
        """Whether the bot may send text here (a group's rules; private chats always)."""
        if self.type == "private":
            return True
        if self.bot_status in ("left", "kicked"):
            return False
        if self.bot_status in ("creator", "administrator"):
            return True
        if self.bot_status == "restricted":
            return self.bot_can_send_messages
        return self.type != "channel" and self.members_can_send_messages

    def message_to_api(self, message: Message, *, nested: bool = True) -> dict[str, Any]:
        """The Message object as the Bot API returns it: inline keyboards only, never a reply
        keyboard, and no empty optional fields."""
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": message.sender,
            "chat": self.to_api(),
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.forward_origin is not None:
            data["forward_origin"] = message.forward_origin
        if message.via_bot is not None:
            data["via_bot"] = message.via_bot
        if message.media_group_id is not None:
            data["media_group_id"] = message.media_group_id
        if message.thread_id is not None:
            data["message_thread_id"] = message.thread_id
            if self.is_forum:
                data["is_topic_message"] = True
        if nested and message.reply_to is not None and message.reply_to in self.messages:
            data["reply_to_message"] = self.message_to_api(
                self.messages[message.reply_to], nested=False
            )
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.photo is not None:
            data["photo"] = message.photo
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.sticker is not None:
            data["sticker"] = message.sticker
        if message.contact is not None:
            data["contact"] = message.contact
        if message.inline_keyboard is not None:
            data["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
        return data


class ChatDirectory:
    """Every user and chat the fake knows; sending to any other chat is `chat not found`."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}

    def add_customer(self, user: User) -> Chat:
        """A customer and their private chat with the bot (chat id == user id)."""
        self.users[user.id] = user
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user=user)
            self.chats[user.id] = chat
        else:
            chat.user = user
        return chat

    def add_group(self, chat_id: int, title: str, chat_type: str = "supergroup") -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = Chat(id=chat_id, type=chat_type, title=title)
            self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: Any) -> Chat:
        """The chat for a `chat_id` parameter (an int, digits, or an @username)."""
        if isinstance(chat_id, str):
            if chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            else:
                for known in self.chats.values():
                    if known.user is not None and f"@{known.user.username}" == chat_id:
                        return known
                raise BotApiError(400, "chat not found")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise BotApiError(400, "chat not found")
        return chat

    def user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise BotApiError(400, "user not found")
        return user


def now() -> int:
    """Unix time as Telegram stamps messages (whole seconds)."""
    return int(time.time())
