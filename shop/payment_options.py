"""The payment methods a customer may pick: the accounts linked to the order storage.

OneEntry says which accounts a storage accepts (`paymentAccountIdentifiers`) and what they are
called (`payments.accounts()`). Both change only when the shop is reconfigured, so they are
fetched once per period and shared by every customer, like the catalog; when OneEntry fails,
the previous answer keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field

from oneentry_client import OneEntryError
from shop.services import Shop

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class PaymentOption:
    """One way to pay: the account marker OneEntry wants and the title the customer sees."""

    identifier: str
    title: str


class PaymentOptionsUnavailable(Exception):
    """OneEntry could not say which payment methods the storage accepts, and none is cached."""


@dataclass
class _Cache:
    options: dict[str, tuple[tuple[PaymentOption, ...], float]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


# One cache per Shop, gone with it: tests and restarts never see another shop's answer.
_caches: weakref.WeakKeyDictionary[Shop, _Cache] = weakref.WeakKeyDictionary()


async def payment_options(shop: Shop, lang: str) -> list[PaymentOption]:
    """The storage's accounts in its order, titled; fetched at most once per cache period."""
    cache = _caches.setdefault(shop, _Cache())
    cached = cache.options.get(lang)
    if cached is not None and _is_fresh(cached[1]):
        return list(cached[0])
    async with cache.lock:
        cached = cache.options.get(lang)
        if cached is not None and _is_fresh(cached[1]):
            return list(cached[0])
        try:
            options = await _fetch(shop)
        except OneEntryError as exc:
            if cached is None:
                raise PaymentOptionsUnavailable(str(exc)) from exc
            logger.warning("payment accounts refresh failed, serving the previous ones: %s", exc)
            return list(cached[0])
        cache.options[lang] = (options, time.monotonic())
        return list(options)


def choose_silently(options: list[PaymentOption], default_account: str) -> str | None:
    """The account to use without asking: the only one offered, the configured default when
    the storage names none, or None when the customer has to choose."""
    if not options:
        return default_account
    if len(options) == 1:
        return options[0].identifier
    return None


def _is_fresh(fetched_at: float) -> bool:
    return time.monotonic() - fetched_at < CACHE_SECONDS


async def _fetch(shop: Shop) -> tuple[PaymentOption, ...]:
    storage = await shop.client.orders.get_storage(shop.config.order_storage)
    identifiers = storage.payment_account_identifiers
    if not identifiers:
        return ()
    titles = {
        account.identifier: account.title or account.identifier
        for account in await shop.client.payments.accounts()
        if account.identifier
    }
    return tuple(
        PaymentOption(identifier, titles.get(identifier) or identifier)
        for identifier in identifiers
    )
