"""Updates from one chat in order, different chats at the same time.

PTB's default handles one update at a time, so one customer's slow OneEntry call would hold up
everyone; its plain concurrent mode would let two taps from the same customer race each other.
This processor gives each chat a FIFO lock: a chat's updates run one after another, in the order
Telegram delivered them, while other chats go on concurrently.

When every slot is taken (a crowd, each handler waiting for its turn to send within Telegram's
limits), a ✅ Confirm tap waiting for a slot goes in before the other waiting updates: the rate
limiter sends its answer first, and it must not queue behind the crowd to get there.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from application.metrics import BotMetrics
from application.update_trace import UpdateTracer
from ui import callback_data as cd

_CONFIRM_PREFIX = cd.CONFIRM + cd.SEPARATOR


def chat_key(update: object) -> int | None:
    """The chat an update belongs to; None for updates with no chat or user (run freely)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def is_confirm(update: object) -> bool:
    """A ✅ Confirm (or its "Get payment link" / "Check again") tap: an order is waiting on it."""
    query = update.callback_query if isinstance(update, Update) else None
    return query is not None and (query.data or "").startswith(_CONFIRM_PREFIX)


class _Slots:
    """At most `size` updates at once; a waiting Confirm goes in first, then first come, first
    served."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def acquire(self, urgent: bool) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if urgent else 1, next(self._seq), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # handed a slot it will not use
            raise

    def release(self) -> None:
        while self._waiting:
            turn = heapq.heappop(self._waiting)[2]
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1


class _ChatLane:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise per chat, run chats concurrently, at most `max_concurrent_updates` at once.

    With 1, PTB's application awaits each update before fetching the next, exactly as its
    default one-at-a-time processing does (the benchmark compares the two). `metrics` counts
    each update handled; a `tracer` (benchmark only) records each update's timings.
    """

    __slots__ = ("_lanes", "_metrics", "_slots", "_tracer")

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        tracer: UpdateTracer | None = None,
        metrics: BotMetrics | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._lanes: dict[int, _ChatLane] = {}
        self._slots = _Slots(max_concurrent_updates)
        self._tracer = tracer
        self._metrics = metrics

    # PTB marks this final and offers `do_process_update`, which runs after the semaphore:
    # waiting for the chat's turn must come before it (see the docstring).
    async def process_update(  # type: ignore[misc]  # overrides PTB's @final on purpose
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        """Wait for the chat's turn first, so queued taps of one chat never hold slots that
        other chats could use. A tracer's timing covers the waits too: they are the bot's."""
        if self._tracer is None:
            await self._in_lane(update, coroutine)
            return
        with self._tracer.timing(update):
            await self._in_lane(update, coroutine)

    async def _in_lane(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await self._in_slot(update, coroutine)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _ChatLane()
        lane.users += 1
        try:
            async with lane.lock:
                await self._in_slot(update, coroutine)
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]

    async def _in_slot(self, update: object, coroutine: Awaitable[Any]) -> None:
        """PTB's semaphore, but a Confirm waiting for a slot goes first."""
        await self._slots.acquire(urgent=is_confirm(update))
        try:
            await self.do_process_update(update, coroutine)
        finally:
            self._slots.release()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        finally:
            if self._metrics is not None:
                self._metrics.count_update()

    async def initialize(self) -> None:
        """Nothing to set up: lanes are created on demand."""

    async def shutdown(self) -> None:
        """Lanes disappear with their last update; only a tracer's file needs closing."""
        if self._tracer is not None:
            self._tracer.close()

    @property
    def active_chats(self) -> int:
        return len(self._lanes)
