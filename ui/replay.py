"""Whether the update being handled is one a stopped process left unfinished, handled again at
start-up (`application/inbox.py`). Its button's answer is not sent again: the first process may
have answered it already, and Telegram takes one answer per tap. Set around the update by the
application; every call made inside sees it through a context variable, as the priority does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_replaying: ContextVar[bool] = ContextVar("replaying_update", default=False)


def is_replay() -> bool:
    return _replaying.get()


@contextmanager
def replaying() -> Iterator[None]:
    """Calls made inside the block are for an update handled again."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)
