"""The payment methods a customer may pick: the accounts linked to the order storage.

OneEntry says which accounts a storage accepts (`paymentAccountIdentifiers`) and what they are
called (`payments.accounts()`). Both change only when the shop is reconfigured, so they are
cached like the catalog: one fetch per language per period, the previous answer serving while
OneEntry fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from oneentry_client import OneEntryClient
from shop.cache import RefreshingCache
from shop.languages import ContentLanguages


@dataclass(frozen=True, slots=True)
class PaymentOption:
    """One way to pay: the account marker OneEntry wants and the title the customer sees."""

    identifier: str
    title: str


class PaymentOptionsUnavailable(Exception):
    """OneEntry could not say which payment methods the storage accepts, and none is cached."""


class PaymentOptions:
    """The storage's accounts in its order, titled in the customer's content language."""

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
        self._cache: RefreshingCache[tuple[PaymentOption, ...]] = RefreshingCache(
            ttl_seconds,
            unavailable=lambda error: PaymentOptionsUnavailable(str(error)),
            clock=clock,
        )

    async def for_lang(self, lang: str) -> list[PaymentOption]:
        """The options titled in `lang`, in the default language where `lang` has no title."""
        options = await self._cache.get(lang, lambda: self._fetch(lang))
        fallbacks = self._languages.fallback_langs(lang)[1:] if self._languages else ()
        if fallbacks and any(not option.title for option in options):
            try:
                default = await self._cache.get(fallbacks[0], lambda: self._fetch(fallbacks[0]))
            except PaymentOptionsUnavailable:
                default = ()
            titles = {option.identifier: option.title for option in default}
            options = tuple(
                PaymentOption(option.identifier, option.title or titles.get(option.identifier, ""))
                for option in options
            )
        return [
            option if option.title else PaymentOption(option.identifier, option.identifier)
            for option in options
        ]

    async def _fetch(self, lang: str) -> tuple[PaymentOption, ...]:
        storage = await self._client.orders.get_storage(self._storage_marker)
        identifiers = storage.payment_account_identifiers
        if not identifiers:
            return ()
        titles = {
            account.identifier: account.localize_infos.title or ""
            for account in await self._client.payments.accounts(lang=lang)
            if account.identifier
        }
        return tuple(
            PaymentOption(identifier, titles.get(identifier, "")) for identifier in identifiers
        )


def choose_silently(options: list[PaymentOption], default_account: str) -> str | None:
    """The account to use without asking: the only one offered, the configured default when
    the storage names none, or None when the customer has to choose."""
    if not options:
        return default_account
    if len(options) == 1:
        return options[0].identifier
    return None
