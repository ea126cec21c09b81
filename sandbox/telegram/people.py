"""The people's side of the fake: what a customer's or staff member's Telegram app does.

Each action stores what the person sees in the chat and queues the update the bot receives,
shaped as real Telegram shapes it (a command carries its `bot_command` entity, a contact has
no text, a button tap carries the message it was on, an edit of one's own text message is an
`edited_message` with `edit_date`). Client-side rules are enforced here: only a shown reply
keyboard can be pressed, a one-time keyboard hides after use, a contact can only be shared
through a `request_contact` button, only one's own text messages can be edited and an edit
must change the text.
"""

from __future__ import annotations

from typing import Any

from sandbox.telegram.chats import Chat, Message, User, now
from sandbox.telegram.inline import InlineQuery, chosen_update, notify_chat, result_message
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import chat_topic


class ClientRefused(Exception):
    """The person's app would not let them do this (e.g. the button is not shown)."""


def _reply_buttons(chat: Chat) -> list[dict[str, Any]]:
    if chat.reply_keyboard is None:
        return []
    return [
        button if isinstance(button, dict) else {"text": button}
        for row in chat.reply_keyboard.get("keyboard", [])
        for button in row
    ]


def _store(state: FakeState, chat: Chat, user: User, **content: Any) -> Message:
    message = Message(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=now(),
        sender=user.to_api(),
        from_bot=False,
        **content,
    )
    chat.messages[message.message_id] = message
    state.updates.push("message", chat.message_to_api(message))
    state.changes.notify(chat_topic(chat.id))
    return message


def _member_of(state: FakeState, chat: Chat, user_id: int) -> User:
    if chat.type == "private":
        if chat.user is None or chat.user.id != user_id:
            raise ClientRefused(f"user {user_id} is not in private chat {chat.id}")
        return chat.user
    return state.directory.user(user_id)


def send_text(
    state: FakeState,
    chat: Chat,
    user_id: int,
    text: str,
    entities: list[dict[str, Any]] | None = None,
    via_reply_button: bool = False,
    thread_id: int | None = None,
) -> Message:
    """A typed message, or (via_reply_button) a press of a shown reply-keyboard button;
    `thread_id`: written in that topic of a forum group."""
    user = _member_of(state, chat, user_id)
    if thread_id is not None and int(thread_id) not in chat.topics:
        raise ClientRefused(f"chat {chat.id} has no topic {thread_id}")
    if chat.blocked:
        raise ClientRefused("the customer blocked the bot; unblock it before writing")
    if via_reply_button:
        labels = [b["text"] for b in _reply_buttons(chat)]
        if text not in labels:
            raise ClientRefused(f"no reply-keyboard button {text!r} is shown; shown: {labels}")
        _after_reply_button(chat)
    return _store(
        state,
        chat,
        user,
        text=text,
        entities=list(entities or []),
        thread_id=int(thread_id) if thread_id is not None else None,
    )


def edit_text(
    state: FakeState,
    chat: Chat,
    user_id: int,
    message_id: int,
    text: str,
    entities: list[dict[str, Any]] | None = None,
) -> Message:
    """Edit a text message this person sent: the stored message shows the new text and gets
    `edit_date`, and the bot receives an `edited_message` update with the whole message (its
    original `date` kept), unless the bot's allowed_updates leave that kind out."""
    user = _member_of(state, chat, user_id)
    if chat.blocked:
        raise ClientRefused("the customer blocked the bot; unblock it before editing")
    message = chat.messages.get(message_id)
    if message is None:
        raise ClientRefused(f"message {message_id} is not in chat {chat.id}")
    if message.from_bot or message.sender.get("id") != user.id:
        raise ClientRefused(f"message {message_id} was not sent by user {user_id}")
    if message.text is None:
        raise ClientRefused(f"message {message_id} has no text to edit")
    new_entities = list(entities or [])
    if (message.text, message.entities) == (text, new_entities):
        raise ClientRefused("the text is unchanged: Telegram's apps send no edit for that")
    message.text = text
    message.entities = new_entities
    message.edit_date = now()
    state.updates.push("edited_message", chat.message_to_api(message))
    state.changes.notify(chat_topic(chat.id))
    return message


def share_contact(
    state: FakeState,
    chat: Chat,
    user_id: int,
    phone_number: str,
    own: bool = True,
    first_name: str | None = None,
    contact_user_id: int | None = None,
) -> Message:
    """Share a phone number: one's own through a request_contact button, or someone else's
    from the address book (no button needed, user_id of that person or none)."""
    user = _member_of(state, chat, user_id)
    contact: dict[str, Any] = {"phone_number": phone_number}
    if own:
        if not any(b.get("request_contact") for b in _reply_buttons(chat)):
            raise ClientRefused("no request_contact button is shown in this chat")
        _after_reply_button(chat)
        contact["first_name"] = user.first_name
        if user.last_name:
            contact["last_name"] = user.last_name
        contact["user_id"] = user.id
    else:
        contact["first_name"] = first_name or "Friend"
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
    return _store(state, chat, user, contact=contact)


def send_photo(state: FakeState, chat: Chat, user_id: int, caption: str | None = None) -> Message:
    """A photo from the person's gallery, with an optional caption."""
    user = _member_of(state, chat, user_id)
    if chat.blocked:
        raise ClientRefused("the customer blocked the bot; unblock it before writing")
    stored = state.files.from_person(b"\xff\xd8\xff\xe0 a photo from the gallery", ".jpg")
    return _store(state, chat, user, photo=stored.photo_sizes(), caption=caption or None)


def send_sticker(state: FakeState, chat: Chat, user_id: int, emoji: str = "👍") -> Message:
    """A sticker from the person's sticker panel (a regular, static one)."""
    user = _member_of(state, chat, user_id)
    if chat.blocked:
        raise ClientRefused("the customer blocked the bot; unblock it before writing")
    stored = state.files.from_person(f"sticker {emoji}".encode(), ".webp")
    sticker = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return _store(state, chat, user, sticker=sticker)


def _after_reply_button(chat: Chat) -> None:
    if chat.reply_keyboard is not None and chat.reply_keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None


def tap(
    state: FakeState, chat: Chat, user_id: int, message_id: int, data: str, forged: bool = False
) -> str:
    """Tap a callback button of a bot message; returns the callback query id.

    `forged` sends `data` whether or not the message has such a button, as a modified client
    can: the bot must treat callback data as untrusted input.
    """
    user = _member_of(state, chat, user_id)
    message = chat.messages.get(message_id)
    if message is None:
        raise ClientRefused(f"message {message_id} is not in chat {chat.id}")
    buttons = [b for row in message.inline_keyboard or [] for b in row]
    if not forged and not any(b.get("callback_data") == data for b in buttons):
        raise ClientRefused(f"message {message_id} has no button with callback data {data!r}")
    query = state.callbacks.create(chat.id, message_id, data)
    state.updates.push(
        "callback_query",
        {
            "id": query.id,
            "from": user.to_api(),
            "message": chat.message_to_api(message),
            "chat_instance": str(-(10**12) - chat.id),
            "data": data,
        },
    )
    state.changes.notify(chat_topic(chat.id))
    return query.id


def set_blocked(state: FakeState, chat: Chat, blocked: bool) -> None:
    """Block or unblock the bot: a `my_chat_member` update, and 403s while blocked."""
    if chat.user is None:
        raise ClientRefused("only a customer's private chat can block the bot")
    if chat.blocked == blocked:
        return
    chat.blocked = blocked
    bot = state.bot.user()
    member = {"status": "member", "user": bot}
    kicked = {"status": "kicked", "user": bot, "until_date": 0}
    state.updates.push(
        "my_chat_member",
        {
            "chat": chat.to_api(),
            "from": chat.user.to_api(),
            "date": now(),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        },
    )
    state.changes.notify(chat_topic(chat.id))


def inline_query(
    state: FakeState, user_id: int, query: str, chat_type: str | None = "sender"
) -> InlineQuery:
    """`@bot <query>` typed in a chat of `chat_type` ("sender": the chat with the bot)."""
    if not state.bot.inline_mode:
        raise ClientRefused("the bot has no inline mode (BotFather /setinline is off)")
    user = state.directory.user(user_id)
    created = state.inline.create(user, query, chat_type)
    state.updates.push("inline_query", created.to_api())
    return created


def choose_inline_result(state: FakeState, query_id: str, result_id: str, chat: Chat) -> Message:
    """Pick one of the answered results: it is sent into `chat` via the bot, and the bot is
    told (`chosen_inline_result`) when inline feedback is on."""
    query = state.inline.queries.get(query_id)
    if query is None or query.results is None:
        raise ClientRefused(f"inline query {query_id} has no answer to choose from")
    result = next((r for r in query.results if str(r["id"]) == str(result_id)), None)
    if result is None:
        shown = [r["id"] for r in query.results]
        raise ClientRefused(f"inline query {query_id} has no result {result_id!r}; shown: {shown}")
    if chat.type == "private" and (chat.user is None or chat.user.id != query.user.id):
        raise ClientRefused(f"user {query.user.id} is not in private chat {chat.id}")
    if chat.type != "private" and query.user.id not in chat.members:
        raise ClientRefused(f"user {query.user.id} is not a member of chat {chat.id}")
    message = result_message(chat, query.user, state.bot.user(), result)
    if chat.type == "private" or chat.bot_status not in ("left", "kicked"):
        state.updates.push("message", chat.message_to_api(message))
    if state.bot.inline_feedback:
        inline_id = state.inline.new_inline_message_id() if message.inline_keyboard else None
        state.updates.push("chosen_inline_result", chosen_update(query, str(result_id), inline_id))
    notify_chat(state.changes, chat)
    return message
