"""How a chat looks in the terminal, and which of its messages are new or edited.

Each bot message is printed once, and again (marked edited) when its text or buttons change.
Buttons are numbered across the latest message that has them and the reply keyboard, so the
person can choose one by its number. A message with buttons shows its number (`bot #12 ›`),
and one printed when it is no longer the latest lists its buttons beneath it, so any of them
can be tapped with `/tap 12 …`.
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


def message_choices(message: ChatMessage) -> list[Choice]:
    """One message's inline buttons, numbered from 1."""
    return [
        Choice(number, button.text, message.message_id, button.url)
        for number, button in enumerate(_flat(message.buttons), start=1)
    ]


def latest_with_buttons(view: ChatView) -> ChatMessage | None:
    with_buttons = [m for m in view.bot_messages if m.buttons]
    return with_buttons[-1] if with_buttons else None


def choices(view: ChatView) -> list[Choice]:
    """The latest bot message's inline buttons, then the reply keyboard's buttons."""
    latest = latest_with_buttons(view)
    found: list[Choice] = message_choices(latest) if latest is not None else []
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


def render_message(
    message: ChatMessage, edited: bool = False, with_buttons: bool = False
) -> list[str]:
    """`bot › text` (photos as `[photo] caption`; `bot #12 ›` when it has buttons), then,
    `with_buttons`, its buttons numbered as `/tap` takes them."""
    body = message.text if message.text is not None else (message.caption or "")
    if message.photo is not None:
        body = f"[photo] {body}".rstrip()
    number = f"#{message.message_id} " if message.buttons else ""
    label = f"bot {number}✎ " if edited else f"bot {number}› "
    lines: list[str] = []
    for line_number, line in enumerate(body.splitlines() or [""]):
        wrapped = textwrap.wrap(line, 90) or [""]
        for part_number, part in enumerate(wrapped):
            lead = label if line_number == 0 and part_number == 0 else INDENT
            lines.append((lead + part).rstrip())
    if with_buttons and message.buttons:
        shown = "  ".join(f"[{c.number}] {c.label}" for c in message_choices(message))
        lines.extend(
            textwrap.wrap(
                f"(/tap {message.message_id} …) {shown}",
                100,
                initial_indent=INDENT,
                subsequent_indent=INDENT,
            )
        )
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
        latest = latest_with_buttons(view)
        for message in view.bot_messages:
            shape = (message.text, message.caption, tuple(message.labels))
            before = self.seen.get(message.message_id)
            if before != shape:
                not_latest = latest is not None and message.message_id != latest.message_id
                lines.extend(render_message(message, before is not None, not_latest))
                self.seen[message.message_id] = shape
        items = choices(view)
        labels = tuple(f"{c.number}:{c.label}" for c in items)
        if lines or labels != self.last_choices:
            lines.extend(render_buttons(items))
            self.last_choices = labels
        return lines
