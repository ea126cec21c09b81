"""What a Bot API call is for, so the rate limiter can send first what a waiting person needs
most. Callbacks and jobs say it once (`sending_as`); every call made inside inherits it through
a context variable, the way PTB's own calls inherit the update's task."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum
from typing import Any, ParamSpec, TypeVar


class Priority(IntEnum):
    """Lower goes first."""

    ORDER = 0  # the answer to Confirm (the order number and Pay button), payment news
    CHECKOUT = 1  # the checkout's prompts and summary
    BROWSING = 2  # menu, catalog, cart, My orders, staff commands
    BACKGROUND = 3  # staff cards, follow-up edits of order messages


_current: ContextVar[Priority] = ContextVar("telegram_priority", default=Priority.BROWSING)


def current_priority() -> Priority:
    return _current.get()


@contextmanager
def sending_as(priority: Priority) -> Iterator[None]:
    """Bot API calls made inside the block are `priority`'s."""
    token = _current.set(priority)
    try:
        yield
    finally:
        _current.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def sent_as(
    priority: Priority,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Coroutine[Any, Any, R]]]:
    """A callback or job whose Bot API calls are all `priority`'s."""

    def decorate(callback: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, R]]:
        @functools.wraps(callback)
        async def sending(*args: P.args, **kwargs: P.kwargs) -> R:
            with sending_as(priority):
                return await callback(*args, **kwargs)

        return sending

    return decorate
