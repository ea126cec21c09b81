"""Per-update timings for the load benchmark (`BENCH_TRACE_FILE`); off unless that is set.

The benchmark needs the bot's own latency per update: from the update reaching the bot's
update processor to the bot's first Bot API call for it, less the time spent waiting on
OneEntry before that call. Measuring it outside the bot would mean matching the fake's and the
emulator's logs to updates by guesswork; inside, three small hooks do it exactly:
the update processor opens an `UpdateTiming` for each update (a context variable, so every
await in the handler sees it), the OneEntry transport adds the time of each call, and the rate
limiter — which sees every Bot API call — notes the first reply. One JSON line per update goes
to the file; it holds ids and seconds, never message content.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx
from telegram import Update

from application.measured_rate_limiter import MeasuredRateLimiter
from oneentry_client.aiohttp_transport import AiohttpTransport


@dataclass(slots=True)
class UpdateTiming:
    """One update's timings (wall-clock seconds, comparable across processes)."""

    update_id: int | None
    received: float
    first_reply: float | None = None
    handled: float | None = None
    oneentry_seconds: float = 0.0
    oneentry_calls: int = 0


_current: ContextVar[UpdateTiming | None] = ContextVar("update_timing", default=None)


class UpdateTracer:
    """Writes one line per handled update to `path` (appended, line-buffered)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO = path.open("a", buffering=1, encoding="utf-8")

    @contextmanager
    def timing(self, update: object) -> Iterator[UpdateTiming]:
        update_id = update.update_id if isinstance(update, Update) else None
        timing = UpdateTiming(update_id=update_id, received=time.time())
        token = _current.set(timing)
        try:
            yield timing
        finally:
            _current.reset(token)
            timing.handled = time.time()
            if not self._file.closed:
                self._file.write(json.dumps(asdict(timing)) + "\n")

    def close(self) -> None:
        self._file.close()


def note_reply() -> None:
    """The handler is making a Bot API call: the first one ends the update's latency."""
    timing = _current.get()
    if timing is not None and timing.first_reply is None:
        timing.first_reply = time.time()


class TimedOneEntryTransport(AiohttpTransport):
    """The OneEntry client's transport, adding each call's duration to the current update
    (only calls made before its first reply count: that is the latency being measured)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            return await super().handle_async_request(request)
        finally:
            timing = _current.get()
            if timing is not None and timing.first_reply is None:
                timing.oneentry_seconds += time.perf_counter() - started
                timing.oneentry_calls += 1


class ReplyNotingRateLimiter(MeasuredRateLimiter):
    """The bot's rate limiter, which sees every Bot API call first, noting the first reply."""

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        note_reply()
        return await super().process_request(*args, **kwargs)
