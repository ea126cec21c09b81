"""`Shop`: the services the handlers call, built once and shared by every update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo
from types import TracebackType
from typing import Self

from oneentry_client import OneEntryClient
from shop.catalog import Catalog
from shop.events import OrderEvents
from shop.follow_up import FollowUpPolicy
from shop.ledger import Ledger
from shop.order_statuses import OrderStatusTitles
from shop.ordering import OrderPlacement
from shop.payment_options import PaymentOptions
from shop.watcher import OrderWatcher


@dataclass(frozen=True, slots=True)
class ShopConfig:
    """The shop's rules and OneEntry markers, taken from the settings at start-up."""

    order_storage: str = "guest_orders"
    order_form: str = "guest_order"
    name_field: str = "guest_name"
    phone_field: str = "guest_phone"
    email_field: str = "guest_email"
    default_payment_account: str = "cash"
    content_langs: tuple[tuple[str, str], ...] = (("en", "en_US"), ("ru", "ru_RU"))
    default_phone_region: str = "RU"
    catalog_page_size: int = 8
    timezone: tzinfo = UTC  # the shop's: order dates, staff times, "today"

    def content_lang(self, language: str) -> str:
        """The OneEntry language code for a customer's bot language."""
        langs = dict(self.content_langs)
        return langs.get(language) or self.content_langs[0][1]

    def language_for_content(self, content_lang: str) -> str:
        """The bot language of customers who see `content_lang` (content_lang reversed)."""
        for language, lang in self.content_langs:
            if lang == content_lang:
                return language
        return self.content_langs[0][0]


class Shop:
    """The catalog, order placement and the ledger, and the OneEntry client they use.
    `async with` opens the ledger and the client's connection pool, and closes both.
    `watcher` looks at placed orders for the payment follow-up, on the schedule `follow_up`."""

    def __init__(
        self,
        client: OneEntryClient,
        catalog: Catalog,
        config: ShopConfig,
        ledger: Ledger,
        *,
        cache_seconds: float = 60.0,
        follow_up: FollowUpPolicy | None = None,
    ) -> None:
        self.client = client
        self.catalog = catalog
        self.config = config
        self.ledger = ledger
        self.events = OrderEvents()
        self.follow_up = follow_up or FollowUpPolicy()
        self.status_titles = OrderStatusTitles(
            client, config.order_storage, ttl_seconds=cache_seconds
        )
        self.placement = OrderPlacement(
            client, ledger, config, events=self.events, status_titles=self.status_titles
        )
        self.watcher = OrderWatcher(
            client,
            ledger,
            self.events,
            self.status_titles,
            default_lang=config.content_langs[0][1],
        )
        self.payment_options = PaymentOptions(
            client, config.order_storage, ttl_seconds=cache_seconds
        )

    async def __aenter__(self) -> Self:
        await self.ledger.open()
        await self.client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self.client.aclose()
        finally:
            await self.ledger.close()
