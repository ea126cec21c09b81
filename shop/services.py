"""`Shop`: the services the handlers call, built once and shared by every update."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from oneentry_client import CallObserver, OneEntryClient
from shop.catalog import Catalog
from shop.config import ShopConfig
from shop.events import OrderEvents
from shop.follow_up import FollowUpPolicy
from shop.languages import ContentLanguages
from shop.ledger import Ledger
from shop.order_form import OrderForms
from shop.order_statuses import OrderStatusTitles
from shop.ordering import OrderPlacement
from shop.payment_options import PaymentOptions
from shop.staff import StaffDesk
from shop.storage_orders import StorageOrders
from shop.watcher import OrderWatcher


class Shop:
    """The catalog, the order form, order placement, the ledger and the staff desk, over one
    OneEntry client.
    `async with` opens the ledger and the client's connection pool, and closes both.
    `watcher` looks at placed orders for the payment follow-up, on the schedule `follow_up`;
    `staff` is what the shop's staff look up and change."""

    def __init__(
        self,
        client: OneEntryClient,
        config: ShopConfig,
        ledger: Ledger,
        *,
        cache_seconds: float = 60.0,
        follow_up: FollowUpPolicy | None = None,
    ) -> None:
        self._client = client
        self.config = config
        self.ledger = ledger
        self.languages = ContentLanguages(config.content_langs)
        self.catalog = Catalog(client, config, ttl_seconds=cache_seconds, languages=self.languages)
        self.events = OrderEvents()
        orders = StorageOrders(client, config.order_storage)
        self.follow_up = follow_up or FollowUpPolicy()
        self.status_titles = OrderStatusTitles(
            client, config.order_storage, ttl_seconds=cache_seconds, languages=self.languages
        )
        self.placement = OrderPlacement(
            client,
            ledger,
            config,
            events=self.events,
            status_titles=self.status_titles,
            orders=orders,
        )
        self.watcher = OrderWatcher(
            client,
            ledger,
            self.events,
            self.status_titles,
            default_lang=config.default_content_lang,
            meanings=config.statuses,
        )
        self.forms = OrderForms(client, config, ttl_seconds=cache_seconds, languages=self.languages)
        self.payment_options = PaymentOptions(
            client, config.order_storage, ttl_seconds=cache_seconds, languages=self.languages
        )
        self.staff = StaffDesk(client, ledger, config, cache_seconds=cache_seconds, orders=orders)

    def observe_oneentry_calls(self, observer: CallObserver | None) -> None:
        """Have every OneEntry call reported to `observer` (the bot's metrics)."""
        self._client.observe_calls(observer)

    async def check_oneentry(self) -> None:
        """One small public read, the project's active languages: raises the client's
        OneEntryError unless OneEntry answers (the readiness check asks)."""
        await self._client.locales.active()

    async def __aenter__(self) -> Self:
        await self.ledger.open()
        await self._client.__aenter__()
        await self.languages.load(self._client)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self._client.aclose()
        finally:
            await self.ledger.close()
