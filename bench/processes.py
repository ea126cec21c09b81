"""The benchmark's processes: the two stand-ins and the bot, each a child process of its own,
so the bot's CPU and memory figures are the bot's alone.

The stand-ins are started as a user would start them (`python -m sandbox.oneentry --port 0`,
`python -m sandbox.telegram --port 0`) and their printed `.env` lines are parsed; the bot is
`python bot.py run` with those lines in its environment, in a fresh data directory that is
also its working directory (so no `.env` of the checkout leaks in).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sandbox.oneentry.shop import load_shop

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "123456789:BENCH-token_for-the-fake"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


class ProcessFailed(RuntimeError):
    """A child process exited or never printed what it should have."""


@dataclass
class Child:
    """A running child process and the file its stderr goes to."""

    name: str
    process: asyncio.subprocess.Process
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stop(self) -> int:
        """SIGTERM, then wait for the exit (the bot saves its state on the way out)."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode or 0

    def log_tail(self, lines: int = 20) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


async def _spawn(
    name: str, args: list[str], workdir: Path, env: dict[str, str] | None = None
) -> Child:
    log = workdir / f"{name}.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=log.open("wb"),
    )
    return Child(name, process, log)


async def _env_lines(child: Child, last_key: str) -> dict[str, str]:
    """Read the `KEY=value` lines a stand-in prints until `last_key`'s line."""
    assert child.process.stdout is not None
    found: dict[str, str] = {}
    async with asyncio.timeout(START_TIMEOUT):
        while last_key not in found:
            line = (await child.process.stdout.readline()).decode()
            if not line:
                raise ProcessFailed(
                    f"{child.name} exited before it printed {last_key}:\n{child.log_tail()}"
                )
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#"):
                found[key] = value
    return found


@dataclass
class StandIns:
    """The OneEntry emulator and the Telegram fake, and the bot settings that point at them."""

    oneentry: Child
    telegram: Child
    bot_env: dict[str, str]

    @property
    def oneentry_url(self) -> str:
        return self.bot_env["ONEENTRY_PROJECT_URL"]

    @property
    def telegram_url(self) -> str:
        return self.bot_env["TELEGRAM_API_BASE_URL"]


@contextlib.asynccontextmanager
async def stand_ins(workdir: Path, shop: str = "tea") -> AsyncIterator[StandIns]:
    """Both stand-ins on free 127.0.0.1 ports, the emulator playing `shop`; stopped on exit."""
    args = ["-m", "sandbox.oneentry", "--port", "0", "--shop", shop]
    oneentry = await _spawn("oneentry", args, workdir)
    try:
        telegram = await _spawn("telegram", ["-m", "sandbox.telegram", "--port", "0"], workdir)
        try:
            # the banner ends with the shop's own settings, after the four it derives
            last_key = ["ONEENTRY_GUEST_PASSWORD", *load_shop(shop).bot_settings][-1]
            env = await _env_lines(oneentry, last_key)
            env |= await _env_lines(telegram, "TELEGRAM_API_BASE_URL")
            yield StandIns(oneentry, telegram, env)
        finally:
            await telegram.stop()
    finally:
        await oneentry.stop()


@contextlib.asynccontextmanager
async def bot_process(
    stand: StandIns,
    data_dir: Path,
    concurrency: int | None,
    trace_file: Path,
    extra_env: dict[str, str] | None = None,
    *,
    shipped_rate_limit: bool = False,
) -> AsyncIterator[Child]:
    """`python bot.py run` against the stand-ins, in `data_dir` (which must exist), with
    `extra_env` settings on top; stopped (SIGTERM) on exit. `concurrency`:
    UPDATE_CONCURRENCY (None: as shipped). `shipped_rate_limit`: the bot paces its sends as
    shipped (30 a second); else its rate limit is off, to measure the bot's own ceiling."""
    limit = {} if shipped_rate_limit else {"TELEGRAM_RATE_LIMIT": "0"}
    if concurrency is not None:
        limit["UPDATE_CONCURRENCY"] = str(concurrency)
    env = {
        **stand.bot_env,
        **limit,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "BENCH_TRACE_FILE": str(trace_file),
        **(extra_env or {}),
    }
    bot = await _spawn("bot", [str(ROOT / "bot.py"), "run"], data_dir, env)
    try:
        yield bot
    finally:
        code = await bot.stop()
        if code not in (0, -signal.SIGTERM):
            raise ProcessFailed(f"the bot exited with {code}:\n{bot.log_tail()}")
