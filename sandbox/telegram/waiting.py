"""Event-driven waiting inside the fake: long polls, "wait for the bot's next message" and
`settle` all sleep on one change feed and wake when what they watch changes, never on a
timer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from starlette.requests import Request

T = TypeVar("T")

UPDATES = "updates"
"""The topic of the bot's update queue: new, confirmed or superseded updates and polls."""


def chat_topic(chat_id: int) -> tuple[str, int]:
    """The topic of one chat: its messages, edits, deletions and answered buttons."""
    return ("chat", chat_id)


def inline_topic(query_id: str) -> tuple[str, str]:
    """The topic of one inline query: its answer."""
    return ("inline", query_id)


class ServerClosing(Exception):
    """The fake is shutting down: every held request lets go at once."""


class ClientGone(Exception):
    """The client closed the connection while its request was held (e.g. PTB cancelled a
    long poll at shutdown); nothing was delivered, so nothing counts as received."""


class ChangeFeed:
    """Wakes the waiters of what changed: a chat's waiters when that chat changes, the update
    queue's waiters (getUpdates, settle, the webhook) when it changes, and everyone on a
    change without a topic (reset, shutdown). Each woken waiter re-checks its own predicate.
    Waking only the chat that changed keeps a crowd of N waiting customers O(1) per message
    instead of O(N); one loop, no threads, so no lost wake-ups."""

    def __init__(self) -> None:
        self._everything = asyncio.Event()
        self._topics: dict[Hashable, asyncio.Event] = {}
        self.closed = False

    def notify(self, topic: Hashable | None = None) -> None:
        """Something about `topic` changed (None: anything may have changed)."""
        if topic is None:
            woken, self._topics = list(self._topics.values()), {}
        else:
            event = self._topics.pop(topic, None)
            woken = [event] if event is not None else []
        woken.append(self._everything)
        self._everything = asyncio.Event()
        for event in woken:
            event.set()

    def _event(self, topic: Hashable | None) -> asyncio.Event:
        if topic is None:
            return self._everything
        event = self._topics.get(topic)
        if event is None:
            event = self._topics[topic] = asyncio.Event()
        return event

    def close(self) -> None:
        """Release every waiter for good (server shutdown)."""
        self.closed = True
        self.notify()

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        seconds: float | None,
        topic: Hashable | None = None,
    ) -> bool:
        """Wait until `predicate()` holds, re-checking it when `topic` changes (None: on every
        change); False on timeout; ServerClosing on shutdown."""
        try:
            async with asyncio.timeout(seconds):
                while not predicate():
                    if self.closed:
                        raise ServerClosing
                    await self._event(topic).wait()
        except TimeoutError:
            return predicate()
        return True

    async def wait_closed(self) -> None:
        while not self.closed:
            await self._everything.wait()


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
