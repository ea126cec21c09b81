"""A chat as the person in it sees it right now (after edits and deletes, with the keyboard
their app shows): the JSON the control API returns and the driver reads."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.chats import Chat, Message


def _button(button: dict[str, Any]) -> dict[str, Any]:
    shown = {"text": button.get("text", "")}
    for action in ("callback_data", "url", "web_app", "copy_text", "login_url"):
        if action in button:
            shown[action] = button[action]
    return shown


def message_view(message: Message) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "sender_id": message.sender["id"],
        "text": message.text,
        "entities": message.entities,
        "caption": message.caption,
        "photo": message.photo[-1]["file_id"] if message.photo else None,
        "sticker": message.sticker["emoji"] if message.sticker else None,
        "contact": message.contact,
        "buttons": [[_button(b) for b in row] for row in message.inline_keyboard or []],
        "edited": message.edit_date is not None,
        "reply_to": message.reply_to,
        "thread_id": message.thread_id,
        "via_bot": message.via_bot["username"] if message.via_bot else None,
    }


def reply_keyboard_view(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    if markup is None:
        return None
    rows = [[b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]]
    return {
        "buttons": rows,
        "one_time": bool(markup.get("one_time_keyboard")),
        "placeholder": markup.get("input_field_placeholder"),
    }


def chat_view(chat: Chat) -> dict[str, Any]:
    return {
        "chat_id": chat.id,
        "type": chat.type,
        "title": chat.title,
        "messages": [message_view(m) for m in sorted(chat.messages.values(), key=_id)],
        "reply_keyboard": reply_keyboard_view(chat.reply_keyboard),
        "blocked": chat.blocked,
        "last_action": chat.last_action,
        "is_forum": chat.is_forum,
    }


def _id(message: Message) -> int:
    return message.message_id
