"""`Screen`: what one message shows, as plain values the views return and `ui.sending` sends."""

from __future__ import annotations

import json
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

# Inline buttons live under a message; a reply keyboard (the contact button) replaces the
# customer's keyboard until it is removed.
Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
KEYBOARD_KINDS: dict[str, type[Keyboard]] = {
    kind.__name__: kind for kind in (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove)
}


@dataclass(frozen=True, slots=True)
class Screen:
    """HTML text (already escaped), its buttons, and an optional photo."""

    text: str
    keyboard: Keyboard | None = None
    photo_url: str | None = None

    @property
    def is_editable(self) -> bool:
        """Telegram edits a message's text and inline buttons, never its reply keyboard."""
        return self.keyboard is None or isinstance(self.keyboard, InlineKeyboardMarkup)

    @property
    def inline_keyboard(self) -> InlineKeyboardMarkup | None:
        """The buttons an edit can carry."""
        return self.keyboard if isinstance(self.keyboard, InlineKeyboardMarkup) else None

    def to_json(self) -> str:
        """The screen as the update inbox keeps it, to show it again after a crash."""
        keyboard = self.keyboard
        return json.dumps(
            {
                "text": self.text,
                "keyboard": None if keyboard is None else keyboard.to_dict(),
                "keyboard_kind": None if keyboard is None else type(keyboard).__name__,
                "photo_url": self.photo_url,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Screen:
        data = json.loads(text)
        kind = KEYBOARD_KINDS.get(data.get("keyboard_kind") or "")
        keyboard = kind.de_json(data["keyboard"], None) if kind and data["keyboard"] else None
        return cls(data["text"], keyboard, data.get("photo_url"))
