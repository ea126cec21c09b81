"""`Screen`: what one message shows, as plain values the views return and `ui.sending` sends."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

# Inline buttons live under a message; a reply keyboard (the contact button) replaces the
# customer's keyboard until it is removed.
Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


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
