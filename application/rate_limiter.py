"""The bot's pacing: within Telegram's limits, the most needed message first.

Telegram refuses a bot (429, `retry_after`) that sends more than about 30 messages a second
overall or 20 a minute in one group. PTB's `AIORateLimiter` keeps to that with one
first-come queue, so after a channel post the message with a customer's order number waits
behind everyone else's catalog pages. This limiter keeps the same limits and serves the waiting
calls by deadline: each call's deadline is its arrival plus its class's head start
(`HEAD_START`), so an order's answer passes every browsing call that came less than
`HEAD_START[BROWSING]` seconds before it, and no class waits forever (earliest deadline first
never starves: every waiting call's deadline eventually comes first). Within a class, first
come, first served.

A call holds its place in the window from the moment it is let go until one period after its
answer came back (not after it was sent): Telegram counts a call when it arrives, which is
somewhere between the two, so this is the one way to count that can never exceed Telegram's
window whatever the network does. Calls that only read (get*) or answer a button
(answerCallbackQuery, which carries no chat_id) are not limited, as Telegram does not limit them.

A button's answer Telegram no longer takes — the query is too old (a bot slow under load), or
was answered already (a tap handled again after a take-over, `application/inbox.py`) — is no
reason to stop what the tap does: the toast is not shown, and the call returns False. A tap
handled again is not answered again (`ui/replay.py`).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.error import BadRequest, RetryAfter
from telegram.ext import BaseRateLimiter

from ui.priority import Priority, current_priority
from ui.replay import is_replay

log = logging.getLogger(__name__)

OVERALL_PERIOD = 1.0
GROUP_PER_MINUTE = 20
GROUP_PERIOD = 60.0
# How far ahead each class is served: a call overtakes every call of a lower class that came
# less than the difference of their head starts before it, and no more. A thousand customers
# arriving at once keep about half a minute of messages waiting (Telegram's 30 a second), so a
# minute between classes keeps an order's answer first even then, while still bounding how
# long a lower class can be passed over.
HEAD_START: dict[Priority, float] = {
    Priority.ORDER: 0.0,
    Priority.CHECKOUT: 60.0,
    Priority.BROWSING: 120.0,
    Priority.BACKGROUND: 180.0,
}
_GROUPS_KEPT = 512

Callback = Callable[..., Coroutine[Any, Any, Any]]
QUERY_GONE = "query is too old"  # Telegram's words, for either reason


async def _answer(callback: Callback, args: Any, kwargs: dict[str, Any]) -> Any:
    if is_replay():  # answered, most likely, by the process that first had the tap
        return True
    try:
        return await callback(*args, **kwargs)
    except BadRequest as error:
        if QUERY_GONE not in str(error).lower():
            raise
        log.info("a button's answer not taken: %s", error)
        return False


class Window:
    """At most `limit` calls in any `period`: a call counts from when it is let go until
    `period` after it finished."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.in_flight = 0
        self._leaving: deque[float] = deque()  # when finished calls leave the window

    def wait(self, now: float) -> float | None:
        """0.0: a call may go now; seconds until one may; None: when a call in flight ends."""
        while self._leaving and self._leaving[0] <= now:
            self._leaving.popleft()
        if self.in_flight + len(self._leaving) < self.limit:
            return 0.0
        return self._leaving[0] - now if self._leaving else None

    def take(self) -> None:
        self.in_flight += 1

    def release(self, now: float) -> None:
        self.in_flight -= 1
        self._leaving.append(now + self.period)

    @property
    def idle(self) -> bool:
        return self.in_flight == 0 and not self._leaving


@dataclass(order=True)
class _Waiting:
    deadline: float
    seq: int
    turn: asyncio.Future[None] = field(compare=False)
    group: str | None = field(compare=False)


@dataclass
class _Group:
    window: Window
    parked: list[_Waiting] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class PriorityRateLimiter(BaseRateLimiter[int]):
    """Telegram's limits, earliest deadline first. `overall_max_rate` 0 turns the overall
    limit off (the group limit stays, as with PTB's limiter); `rate_limit_args` on a call is its
    number of retries after a 429, like `AIORateLimiter`'s. `on_wait(seconds, class)` hears how
    long each limited call waited for its first turn (the metrics)."""

    def __init__(
        self,
        overall_max_rate: float = 30,
        group_max_rate: int = GROUP_PER_MINUTE,
        max_retries: int = 3,
        *,
        overall_period: float = OVERALL_PERIOD,
        group_period: float = GROUP_PERIOD,
        head_start: dict[Priority, float] | None = None,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        self._overall = Window(int(overall_max_rate), overall_period) if overall_max_rate else None
        self._group_max_rate = group_max_rate
        self._group_period = group_period
        self._head_start = head_start or HEAD_START
        self._max_retries = max_retries
        self._on_wait = on_wait
        self._heap: list[_Waiting] = []
        self._groups: dict[str, _Group] = {}
        self._seq = itertools.count()
        self._paused_until = 0.0
        self._timer: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        """Nothing to open: the limiter starts on the first call."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for group in self._groups.values():
            if group.timer is not None:
                group.timer.cancel()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if endpoint == "answerCallbackQuery":
            return await _answer(callback, args, kwargs)
        if chat_id is None or endpoint.startswith("get"):
            return await callback(*args, **kwargs)
        group = _group_key(chat_id)
        priority = current_priority()
        asked = self._now()
        deadline = asked + self._head_start[priority]
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in itertools.count():
            await self._turn(deadline, group)
            if attempt == 0 and self._on_wait is not None:
                self._on_wait(self._now() - asked, priority.name.lower())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as refused:
                if attempt >= retries:
                    raise
                self._pause(refused)
            finally:
                self._release(group)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- waiting for a turn -------------------------------------------------------------------

    async def _turn(self, deadline: float, group: str | None) -> None:
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, _Waiting(deadline, next(self._seq), turn, group))
        self._dispatch()
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release(group)  # given a turn it will not use
            raise

    def _dispatch(self) -> None:
        """Let go every call that may go now, earliest deadline first; then sleep until the
        window next opens (or a call in flight ends, which calls this again)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = self._now()
        while self._heap:
            if now < self._paused_until:
                self._wake_at(self._paused_until)
                return
            wait = self._overall.wait(now) if self._overall is not None else 0.0
            if wait is None:
                return
            if wait > 0:
                self._wake_at(now + wait)
                return
            waiting = heapq.heappop(self._heap)
            if waiting.turn.done():  # its caller gave up
                continue
            if waiting.group is not None and not self._group_admits(waiting, now):
                continue
            if self._overall is not None:
                self._overall.take()
            if waiting.group is not None:
                self._groups[waiting.group].window.take()
            waiting.turn.set_result(None)

    def _group_admits(self, waiting: _Waiting, now: float) -> bool:
        """A group over its minute parks the call (others go on) until the group opens."""
        assert waiting.group is not None
        group = self._group(waiting.group)
        wait = group.window.wait(now)
        if wait == 0.0:
            return True
        group.parked.append(waiting)
        if wait is not None and group.timer is None:
            loop = asyncio.get_running_loop()
            group.timer = loop.call_later(wait, self._group_opens, waiting.group)
        return False

    def _group_opens(self, key: str) -> None:
        self._unpark(key)
        self._dispatch()

    def _unpark(self, key: str) -> None:
        """The group's parked calls wait with the others again (the dispatch decides)."""
        group = self._groups.get(key)
        if group is None:
            return
        group.timer = None
        for waiting in group.parked:
            heapq.heappush(self._heap, waiting)
        group.parked.clear()

    def _release(self, group: str | None) -> None:
        now = self._now()
        if self._overall is not None:
            self._overall.release(now)
        if group is not None and group in self._groups:
            self._groups[group].window.release(now)
            if self._groups[group].parked:
                self._unpark(group)
        self._dispatch()

    def _pause(self, refused: RetryAfter) -> None:
        """Telegram said stop: nothing goes until it said to come back (the call retries)."""
        seconds = refused._retry_after.total_seconds() + 0.1
        log.warning("Telegram asked the bot to wait %.1f s (429)", seconds)
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _wake_at(self, when: float) -> None:
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(max(when - self._now(), 0.0), self._dispatch)

    def _group(self, key: str) -> _Group:
        if key not in self._groups and len(self._groups) >= _GROUPS_KEPT:
            for old in [k for k, g in self._groups.items() if g.window.idle and not g.parked]:
                del self._groups[old]
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(Window(self._group_max_rate, self._group_period))
        return group

    def _now(self) -> float:
        return asyncio.get_running_loop().time()


def _group_key(chat_id: object) -> str | None:
    """Groups and channels (negative ids or @usernames) have a minute limit of their own."""
    key = str(chat_id)
    return key if key.startswith(("-", "@")) else None
