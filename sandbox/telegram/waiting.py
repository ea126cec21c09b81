"""Event-driven waiting inside the fake: long polls, "wait for the bot's next message" and
`settle` all sleep on one change feed and wake when the state changes, never on a timer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.requests import Request

T = TypeVar("T")


class ServerClosing(Exception):
    """The fake is shutting down: every held request lets go at once."""


class ClientGone(Exception):
    """The client closed the connection while its request was held (e.g. PTB cancelled a
    long poll at shutdown); nothing was delivered, so nothing counts as received."""


class ChangeFeed:
    """Wakes every waiter whenever anything in the fake changes; each re-checks its own
    predicate. Cheap at our scale and free of lost-wakeup races (one loop, no threads)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.closed = False

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        """Release every waiter for good (server shutdown)."""
        self.closed = True
        self.notify()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until `predicate()` holds; False on timeout; ServerClosing on shutdown."""
        try:
            async with asyncio.timeout(seconds):
                while not predicate():
                    if self.closed:
                        raise ServerClosing
                    await self._event.wait()
        except TimeoutError:
            return predicate()
        return True

    async def wait_closed(self) -> None:
        while not self.closed:
            await self._event.wait()


async def _disconnected(request: Request) -> None:
    """Return when the client hangs up (the request body must have been read already)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def unless_client_leaves(request: Request, work: Awaitable[T]) -> T:
    """Run `work` while watching the connection; raise ClientGone if the client leaves first."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(request))
    try:
        done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (task, watcher):
            if not pending.done():
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pending
    if task in done:
        return task.result()
    raise ClientGone
