"""How a chat looks in the terminal, and which of its messages are new or edited.

Each bot message is printed once, and again (marked edited) when its text or buttons change.
Buttons are numbered across the latest message that has them and the reply keyboard, so the
person can choose one by its number.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from sandbox.telegram.driver import Button, ChatMessage, ChatView

INDENT = "      "


@dataclass(frozen=True)
class Choice:
    """A button the person can choose now: inline (tap), URL (open), or reply keyboard."""

    number: int
    label: str
    message_id: int | None = None
    url: str | None = None
    reply: bool = False
    request_contact: bool = False


def choices(view: ChatView) -> list[Choice]:
    """The latest bot message's inline buttons, then the reply keyboard's buttons."""
    found: list[Choice] = []
    with_buttons = [m for m in view.bot_messages if m.buttons]
    if with_buttons:
        latest = with_buttons[-1]
        for button in _flat(latest.buttons):
            found.append(Choice(len(found) + 1, button.text, latest.message_id, button.url))
    if view.reply_keyboard is not None:
        for row in view.reply_keyboard.buttons:
            for key in row:
                found.append(
                    Choice(
                        len(found) + 1,
                        key["text"],
                        reply=True,
                        request_contact=bool(key.get("request_contact")),
                    )
                )
    return found


def _flat(rows: list[list[Button]]) -> list[Button]:
    return [button for row in rows for button in row]


def render_message(message: ChatMessage, edited: bool = False) -> list[str]:
    """`bot › text` (photos as `[photo] caption`), then the message's buttons."""
    body = message.text if message.text is not None else (message.caption or "")
    if message.photo is not None:
        body = f"[photo] {body}".rstrip()
    label = "bot ✎ " if edited else "bot › "
    lines: list[str] = []
    for number, line in enumerate(body.splitlines() or [""]):
        wrapped = textwrap.wrap(line, 90) or [""]
        for part_number, part in enumerate(wrapped):
            lead = label if number == 0 and part_number == 0 else INDENT
            lines.append((lead + part).rstrip())
    return lines


def render_buttons(items: list[Choice]) -> list[str]:
    inline = [c for c in items if not c.reply]
    reply = [c for c in items if c.reply]
    lines: list[str] = []
    for group, title in ((inline, ""), (reply, "keyboard: ")):
        if group:
            shown = "  ".join(f"[{c.number}] {c.label}{' 🔗' if c.url else ''}" for c in group)
            lines.extend(
                textwrap.wrap(title + shown, 100, initial_indent=INDENT, subsequent_indent=INDENT)
            )
    return lines


@dataclass
class ChatPrinter:
    """Remembers what was shown of one chat, to print only what changed."""

    seen: dict[int, tuple[str | None, str | None, tuple[str, ...]]] = field(default_factory=dict)
    last_choices: tuple[str, ...] = ()

    @property
    def last_seen_id(self) -> int:
        return max(self.seen, default=0)

    def changes(self, view: ChatView) -> list[str]:
        """New and edited bot messages since the last call, then the buttons if they changed."""
        lines: list[str] = []
        for message in view.bot_messages:
            shape = (message.text, message.caption, tuple(message.labels))
            before = self.seen.get(message.message_id)
            if before != shape:
                lines.extend(render_message(message, edited=before is not None))
                self.seen[message.message_id] = shape
        items = choices(view)
        labels = tuple(f"{c.number}:{c.label}" for c in items)
        if lines or labels != self.last_choices:
            lines.extend(render_buttons(items))
            self.last_choices = labels
        return lines
