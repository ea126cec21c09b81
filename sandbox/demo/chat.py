"""The demo's command language, shared by the interactive chat and `--script` files.

text                 send it to the bot as the current person
/command [args]      a bot command, e.g. /start, /catalog, /cart, /orders
3  or  Add to cart   choose a button by its number or label (or a unique part of it)
/tap 12 Add to cart  tap a button of an earlier message (bot #12), by its label or number
/contact [phone]     share your phone number (as the "Share my phone" button does)
/contact phone name  share someone else's contact card from your address book
/photo [caption]     send a photo from your gallery
/sticker [emoji]     send a sticker
/pay                 pay the payment link opened last, on the emulator's payment page
/wait [text]         wait for the bot's next message (containing text), e.g. a notification
/as admin | /as customer    switch to the staff member's chat or back
/show                print the current chat again
?                    this help
Ctrl-C or Ctrl-D     quit

A tap's answer shows as "toast › …" (a short pop-up) or "alert › …" (a box to close).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sandbox.demo.view import ChatPrinter, Choice, choices, message_choices
from sandbox.demo.world import DemoWorld
from sandbox.telegram.driver import Customer

DEFAULT_PHONE = "+79123456789"
WAIT_SECONDS = 15.0
YES = frozenset({"y", "yes", "/pay"})


class DemoError(Exception):
    """The person asked for something the chat cannot do (no such button, say)."""


HELP = __doc__ or ""


class DemoChat:
    """Carries out one line at a time and hands back what to print."""

    def __init__(self, world: DemoWorld, out: Callable[[str], None]) -> None:
        self.world = world
        self.out = out
        self.people = {"customer": world.customer, "admin": world.admin}
        self.printers = {name: ChatPrinter() for name in self.people}
        self.current = "customer"
        self.pending_url: str | None = None

    @property
    def person(self) -> Customer:
        return self.people[self.current]

    async def handle(self, line: str) -> None:
        line = line.strip()
        if not line or line.startswith("#"):
            return
        url, self.pending_url = self.pending_url, None
        if url is not None and line.lower() in YES:
            await self._pay(url)
            return
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if line == "?":
            self.out(HELP.strip())
        elif word == "/as":
            self._switch(rest)
            await self.show_changes()
        elif word == "/show":
            self.printers[self.current] = ChatPrinter()
            await self.show_changes()
        elif word == "/contact":
            await self._contact(rest)
        elif word == "/photo":
            await self.person.send_photo(rest or None)
            await self.after_action()
        elif word == "/sticker":
            await self.person.send_sticker(rest or "👍")
            await self.after_action()
        elif word == "/tap":
            await self._tap(rest)
        elif word == "/pay":
            raise DemoError("no payment link is open: choose the Pay button first")
        elif word == "/wait":
            await self._wait(rest)
        elif line.startswith("/"):
            name = word[1:]
            await self.person.command(name, rest or None)
            await self.after_action()
        elif (choice := await self._choice(line)) is not None:
            await self._choose(choice)
        else:
            await self.person.send(line)
            await self.after_action()

    async def after_action(self, tapped: bool = False) -> None:
        """Wait for the bot, print the tap's answer (toast or alert) if `tapped`, then what
        changed in the chats."""
        await self.world.settle()
        answered = False
        if tapped and self.person.last_query_id is not None:
            answer = await self.world.fake.callback_answer(self.person.last_query_id)
            if answer and answer.get("text"):
                kind = "alert" if answer.get("show_alert") else "toast"
                self.out(f"{kind} › {answer['text']}")
                answered = True
        if not await self.show_changes() and not answered:
            self.out("bot · (no answer)")

    async def show_changes(self) -> int:
        """Print what changed in the current chat, then in the other one under its name;
        return how many lines that was."""
        printed = 0
        for name in sorted(self.people, key=lambda n: n != self.current):
            view = await self.people[name].chat()
            lines = self.printers[name].changes(view)
            if lines and name != self.current:
                self.out(f"── in the {name}'s chat ({'/as ' + name} to answer) ──")
            for line in lines:
                self.out(line)
            printed += len(lines)
        return printed

    def _switch(self, name: str) -> None:
        if name not in self.people:
            raise DemoError(f"/as needs one of: {', '.join(self.people)}")
        self.current = name
        self.out(f"── you are now the {name}, {self.person.first_name} ──")

    async def _choice(self, line: str) -> Choice | None:
        """One of the buttons shown now (the latest message's and the keyboard's), as
        `_pick` finds it; None: the line is plain text."""
        return _pick(choices(await self.person.chat()), line)

    async def _choose(self, choice: Choice) -> None:
        if choice.request_contact:
            await self.person.share_contact(DEFAULT_PHONE, own=True)
        elif choice.reply:
            await self.person.tap_reply(choice.label)
        else:
            url = await self.person.tap(choice.label, message_id=choice.message_id)
            if url is not None:
                self.pending_url = url
                self.out(f"🔗 {url}")
                self.out("Pay it now, as you would in the browser? [y/N]")
                return
            await self.after_action(tapped=True)
            return
        await self.after_action()

    async def _tap(self, rest: str) -> None:
        """`/tap MESSAGE BUTTON`: a button of any message still in the chat."""
        number, _, wanted = rest.partition(" ")
        if not number.lstrip("#").isdigit() or not wanted.strip():
            raise DemoError("/tap needs a message number and a button: /tap 12 Add to cart")
        message_id = int(number.lstrip("#"))
        view = await self.person.chat()
        message = next((m for m in view.bot_messages if m.message_id == message_id), None)
        if message is None:
            raise DemoError(f"there is no bot message #{message_id} in this chat")
        items = message_choices(message)
        if not items:
            raise DemoError(f"bot message #{message_id} has no buttons")
        choice = _pick(items, wanted.strip())
        if choice is None:
            shown = ", ".join(f"[{c.number}] {c.label}" for c in items)
            raise DemoError(f"bot message #{message_id} has no button {wanted.strip()!r}: {shown}")
        await self._choose(choice)

    async def _contact(self, rest: str) -> None:
        """Your own number (through the "Share my phone" button), or with a name after the
        number, someone else's contact card."""
        phone, _, name = rest.partition(" ")
        if name.strip():
            await self.person.share_contact(phone, own=False, first_name=name.strip())
        else:
            await self.person.share_contact(phone or DEFAULT_PHONE, own=True)
        await self.after_action()

    async def _pay(self, url: str) -> None:
        self.out(f"payment page › {await self.world.pay(url)}")
        await self.world.settle()
        await self.show_changes()

    async def _wait(self, contains: str) -> None:
        printer = self.printers[self.current]
        try:
            await self.person.wait_for_message(
                contains, timeout=WAIT_SECONDS, after=printer.last_seen_id
            )
        except AssertionError:
            what = f"no message containing {contains!r}" if contains else "no message"
            raise DemoError(f"{what} arrived within {WAIT_SECONDS:g} s") from None
        await self.show_changes()


def _pick(items: list[Choice], wanted: str) -> Choice | None:
    """A button by number, exact label, or label without emoji and case ("cart" for
    "🛒 Cart"), or a unique start of one ("add" for "Add to cart"); None: no such button."""
    if wanted.isdigit():
        return next((c for c in items if c.number == int(wanted)), None)
    for matches in (
        [c for c in items if c.label == wanted],
        [c for c in items if _plain(c.label) == _plain(wanted)],
        [c for c in items if _plain(wanted) and _plain(c.label).startswith(_plain(wanted))],
    ):
        if len(matches) > 1:
            shown = ", ".join(f"[{c.number}] {c.label}" for c in matches)
            raise DemoError(f"{wanted!r} matches several buttons: {shown}; use its number")
        if matches:
            return matches[0]
    return None


def _plain(label: str) -> str:
    """A label without emoji and punctuation, lower-cased: "🛒 Cart" → "cart"."""
    return re.sub(r"[^\w ]+", "", label).strip().lower()
