"""`Shop`: the services the handlers call, built once and shared by every update."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Self

from oneentry_client import OneEntryClient
from shop.catalog import Catalog


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

    def content_lang(self, language: str) -> str:
        """The OneEntry language code for a customer's bot language."""
        langs = dict(self.content_langs)
        return langs.get(language) or self.content_langs[0][1]


class Shop:
    """The catalog, and the OneEntry client the shop's operations use. `async with` opens and
    closes the client's connection pool."""

    def __init__(self, client: OneEntryClient, catalog: Catalog, config: ShopConfig) -> None:
        self.client = client
        self.catalog = catalog
        self.config = config

    async def __aenter__(self) -> Self:
        await self.client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.client.aclose()
