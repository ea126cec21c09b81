"""A small read-through cache for what OneEntry changes only when the shop is reconfigured
(the catalog, the payment methods): one fetch per key per period, however many customers ask
at once, and the previous value keeps serving while OneEntry fails."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from oneentry_client import OneEntryError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RefreshingCache(Generic[T]):
    """Values by key, fetched at most once per `ttl_seconds` (single flight per key)."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        unavailable: Callable[[OneEntryError], Exception],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._unavailable = unavailable
        self._clock = clock
        self._values: dict[Hashable, tuple[T, float]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def get(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        """The fresh value for `key`; raises `unavailable(error)` only when nothing is cached."""
        cached = self._values.get(key)
        if cached is not None and self._is_fresh(cached):
            return cached[0]
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._values.get(key)
            if cached is not None and self._is_fresh(cached):
                return cached[0]  # fetched by another caller while this one waited
            try:
                value = await fetch()
            except OneEntryError as error:
                if cached is None:
                    raise self._unavailable(error) from error
                logger.warning("refresh failed, serving the previous value: %s", error)
                return cached[0]
            self._values[key] = (value, self._clock())
            return value

    def clear(self) -> None:
        self._values.clear()

    def _is_fresh(self, cached: tuple[T, float]) -> bool:
        return self._clock() - cached[1] < self._ttl
