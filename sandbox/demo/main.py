"""`python bot.py demo [--script FILE]`: the chat in the terminal, or a replayed script.

Interactive input is read by a daemon thread (so Ctrl-C and end of input end the demo at
once, never waiting on a blocked `input()`), and messages the bot sends on its own, like a
payment notification, are printed as they arrive by one long-poll per chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from pathlib import Path

from application.logging_setup import configure_logging
from sandbox.demo.chat import HELP, DemoChat, DemoError
from sandbox.demo.world import demo_world

PROMPT = "you › "
WATCH_SECONDS = 20.0


def run_demo(script: Path | None = None) -> int:
    """Run the demo; the exit code is 1 when a script line could not be carried out."""
    configure_logging("ERROR")
    try:
        if script is not None:
            return asyncio.run(replay(script.read_text(encoding="utf-8").splitlines()))
        return asyncio.run(interactive())
    except KeyboardInterrupt:
        print("\nbye", flush=True)
        return 0


def _print(line: str) -> None:
    print(line, flush=True)


async def replay(lines: list[str]) -> int:
    """Carry out each line as the person would type it and print the transcript."""
    async with demo_world() as world:
        chat = DemoChat(world, _print)
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            _print(f"{PROMPT}{line.strip()}")
            try:
                await chat.handle(line)
            except (DemoError, AssertionError) as exc:
                _print(f"demo › line {number}: {exc}")
                return 1
    return 0


async def interactive() -> int:
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read_input() -> None:
        while True:
            try:
                line: str | None = input()
            except (EOFError, KeyboardInterrupt):
                line = None
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if line is None:
                return

    _print("Starting the OneEntry emulator, the Telegram fake and the bot…")
    async with demo_world() as world:
        chat = DemoChat(world, _print)
        lock = asyncio.Lock()
        _print(HELP.strip())
        _print("You are the customer, Alice. Say /start.")
        threading.Thread(target=read_input, name="demo-input", daemon=True).start()
        watchers = [asyncio.create_task(_watch(chat, name, lock)) for name in chat.people]
        try:
            while (line := await lines.get()) is not None:
                async with lock:
                    try:
                        await chat.handle(line)
                    except (DemoError, AssertionError) as exc:
                        _print(f"demo › {exc}")
        finally:
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
    _print("bye")
    return 0


async def _watch(chat: DemoChat, name: str, lock: asyncio.Lock) -> None:
    """Print what the bot sends to `name`'s chat on its own (notifications)."""
    person = chat.people[name]
    while True:
        with contextlib.suppress(AssertionError):
            await person.wait_for_message(
                timeout=WATCH_SECONDS, after=chat.printers[name].last_seen_id
            )
            async with lock:
                await chat.show_changes()


if __name__ == "__main__":
    sys.exit(run_demo(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
