"""The order storage's own status titles ("In progress", "Shipped"), in each customer's language.

Order statuses are the shop's configuration (identifiers such as `inProgress` are made up by
whoever set the storage up), so customers must see OneEntry's titles, never the identifiers.
They change only when the shop is reconfigured: cached like the catalog, one fetch per
language per period, the previous titles serving while OneEntry fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from oneentry_client import OneEntryClient
from shop.cache import RefreshingCache


class OrderStatusesUnavailable(Exception):
    """OneEntry could not list the storage's statuses, and none are cached."""


class OrderStatusTitles:
    """Status identifier → title, per OneEntry content language."""

    def __init__(
        self,
        client: OneEntryClient,
        storage_marker: str,
        *,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._storage_marker = storage_marker
        self._cache: RefreshingCache[dict[str, str]] = RefreshingCache(
            ttl_seconds,
            unavailable=lambda error: OrderStatusesUnavailable(str(error)),
            clock=clock,
        )

    async def for_lang(self, lang: str) -> Mapping[str, str]:
        """Every status's title in `lang`; raises OrderStatusesUnavailable."""
        return await self._cache.get(lang, lambda: self._fetch(lang))

    async def title(self, lang: str, identifier: str | None) -> str | None:
        """The title of one status, or None when it is unknown or OneEntry cannot say now
        (callers then show what they had)."""
        if not identifier:
            return None
        try:
            titles = await self.for_lang(lang)
        except OrderStatusesUnavailable:
            return None
        return titles.get(identifier)

    async def _fetch(self, lang: str) -> dict[str, str]:
        statuses = await self._client.orders.statuses(self._storage_marker, lang=lang)
        return {
            status.identifier: status.title or status.identifier
            for status in statuses
            if status.identifier
        }
