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
from shop.languages import ContentLanguages


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
        languages: ContentLanguages | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._storage_marker = storage_marker
        self._languages = languages
        self._cache: RefreshingCache[dict[str, str]] = RefreshingCache(
            ttl_seconds,
            unavailable=lambda error: OrderStatusesUnavailable(str(error)),
            clock=clock,
        )

    async def for_lang(self, lang: str) -> Mapping[str, str]:
        """Every status's title in `lang`, the default language's where `lang` has none;
        raises OrderStatusesUnavailable."""
        titles = await self._cache.get(lang, lambda: self._fetch(lang))
        fallbacks = self._languages.fallback_langs(lang)[1:] if self._languages else ()
        if not fallbacks:
            return titles
        try:
            default = await self._cache.get(fallbacks[0], lambda: self._fetch(fallbacks[0]))
        except OrderStatusesUnavailable:
            return titles
        return {**default, **titles}

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
            status.identifier: status.localize_infos.title
            for status in statuses
            if status.identifier and status.localize_infos.title
        }
