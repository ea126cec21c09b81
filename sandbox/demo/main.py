"""`python bot.py demo [--script FILE]`: the chat in the terminal, or a replayed script.

Interactive input is read by a daemon thread (so Ctrl-C and end of input end the demo at
once, never waiting on a blocked read), and messages the bot sends on its own, like a
payment notification, are printed as they arrive by one long-poll per chat. Ctrl-C ends the
demo as end of input does (everything stopped in order, no traceback), even mid-command.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

from application.logging_setup import configure_logging
from sandbox.demo.chat import HELP, DemoChat, DemoError
from sandbox.demo.world import demo_world

PROMPT = "you › "
STDIN = 0  # the terminal's file descriptor
WATCH_SECONDS = 20.0
T = TypeVar("T")


def run_demo(script: Path | None = None) -> int:
    """Run the demo; the exit code is 1 when a script line could not be carried out."""
    configure_logging("ERROR")
    try:
        if script is not None:
            return asyncio.run(replay(script.read_text(encoding="utf-8").splitlines()))
        return asyncio.run(interactive())
    except KeyboardInterrupt:  # Ctrl-C before the chat could take it over
        print("\nbye", flush=True)
        return 0


def _print(line: str) -> None:
    print(line, flush=True)


def _quit_on_ctrl_c() -> asyncio.Event:
    """Ctrl-C sets the event instead of raising KeyboardInterrupt wherever the loop happens
    to be, so the demo ends the way end of input does: everything stopped in order."""
    quitting = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, quitting.set)
    return quitting


async def _unless(quitting: asyncio.Event, work: Awaitable[T]) -> tuple[bool, T | None]:
    """Run `work` unless Ctrl-C comes first: (True, its result), or (False, None)."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(quitting.wait())
    await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    for pending in (task, stop):
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pending
    if task.cancelled() or not task.done():
        return False, None
    return True, task.result()


async def replay(lines: list[str]) -> int:
    """Carry out each line as the person would type it and print the transcript."""
    quitting = _quit_on_ctrl_c()
    async with demo_world() as world:
        chat = DemoChat(world, _print)
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            _print(f"{PROMPT}{line.strip()}")
            try:
                done, _ = await _unless(quitting, chat.handle(line))
            except (DemoError, AssertionError) as exc:
                _print(f"demo › line {number}: {exc}")
                return 1
            if not done:
                break
    _print("bye")
    return 0


class Console:
    """The terminal: the `you ›` prompt while a line is awaited, and the bot's own messages
    (notifications) printed on a line of their own, the prompt shown again after them."""

    def __init__(self) -> None:
        self.prompting = False

    def say(self, line: str) -> None:
        if self.prompting:
            print(flush=True)  # leave the prompt's line
            self.prompting = False
        _print(line)

    def prompt(self) -> None:
        print(PROMPT, end="", flush=True)
        self.prompting = True


async def interactive() -> int:
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    console = Console()
    quitting = _quit_on_ctrl_c()

    def read_input() -> None:
        """Lines from stdin, read with os.read: a thread blocked there holds none of Python's
        stdin locks, so the demo can exit while it waits (a blocked input() would make the
        interpreter's shutdown abort)."""
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = ""
        while True:
            try:
                chunk = os.read(STDIN, 4096)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\r"))
            if not chunk:
                if pending.strip():
                    loop.call_soon_threadsafe(lines.put_nowait, pending)
                loop.call_soon_threadsafe(lines.put_nowait, None)
                return

    _print("Starting the OneEntry emulator, the Telegram fake and the bot…")
    async with demo_world() as world:
        chat = DemoChat(world, console.say)
        lock = asyncio.Lock()
        _print(HELP.strip())
        _print("You are the customer, Alice. Say /start.")
        threading.Thread(target=read_input, name="demo-input", daemon=True).start()
        watchers = [asyncio.create_task(_watch(chat, name, lock, console)) for name in chat.people]
        try:
            while True:
                console.prompt()
                _, line = await _unless(quitting, lines.get())
                if line is None:  # Ctrl-D or Ctrl-C: "bye" goes on a line of its own
                    break
                console.prompting = False  # the person's Enter ended the prompt's line
                async with lock:
                    try:
                        done, _ = await _unless(quitting, chat.handle(line))
                    except (DemoError, AssertionError) as exc:
                        console.say(f"demo › {exc}")
                        continue
                if not done:
                    break
        finally:
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
    if quitting.is_set():
        console.prompting = True  # the terminal's ^C is on the line: "bye" goes below it
    console.say("bye")
    return 0


async def _watch(chat: DemoChat, name: str, lock: asyncio.Lock, console: Console) -> None:
    """Print what the bot sends to `name`'s chat on its own (notifications)."""
    person = chat.people[name]
    while True:
        with contextlib.suppress(AssertionError):
            await person.wait_for_message(
                timeout=WATCH_SECONDS, after=chat.printers[name].last_seen_id
            )
            async with lock:
                was_prompting = console.prompting
                await chat.show_changes()
                if was_prompting and not console.prompting:
                    console.prompt()


if __name__ == "__main__":
    sys.exit(run_demo(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
