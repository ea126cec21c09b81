"""The catalog the bot sells from: OneEntry's visible products, cached per language.

A busy moment (a channel post with a deep link) sends hundreds of customers browsing at once;
they all share one listing per language per cache period, fetched by whichever customer came
first while the others wait for it. When OneEntry fails, the previous listing keeps serving.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from oneentry_client import OneEntryClient, Product
from shop.cache import RefreshingCache
from shop.config import ShopConfig
from shop.languages import ContentLanguages

LISTING_PAGE_SIZE = 100
MAX_PRODUCTS = 2000


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    """A product as the shop shows and sells it: plain values, no OneEntry model."""

    id: int
    title: str
    price: Decimal | None
    currency: str
    status: str | None
    status_title: str | None
    orderable: bool
    image_url: str | None = None
    description: str | None = None
    sku: str | None = None

    @property
    def for_sale(self) -> bool:
        """Has a price: a product with none anywhere is shown as not for sale."""
        return self.price is not None

    def with_texts_from(self, other: CatalogProduct) -> CatalogProduct:
        """This product with `other`'s texts where this one has none (another language)."""
        return dataclasses.replace(
            self,
            title=self.title or other.title,
            status_title=self.status_title or other.status_title,
            description=self.description or other.description,
        )

    @property
    def shown_title(self) -> str:
        """The title, never blank: the SKU or `#id` only when no language has a title."""
        return self.title or self.sku or f"#{self.id}"


@dataclass(frozen=True, slots=True)
class CatalogPage:
    products: tuple[CatalogProduct, ...]
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


@dataclass(frozen=True)
class CatalogSnapshot:
    """One listing, in the shop's order (OneEntry positions)."""

    products: tuple[CatalogProduct, ...]
    by_id: dict[int, CatalogProduct] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {product.id: product for product in self.products})

    def with_texts_from(self, default: CatalogSnapshot) -> CatalogSnapshot:
        """The same products with the default language's texts filling the gaps."""
        if all(p.title and p.description and p.status_title for p in self.products):
            return self
        return CatalogSnapshot(
            tuple(
                product.with_texts_from(default.by_id[product.id])
                if product.id in default.by_id
                else product
                for product in self.products
            )
        )

    def page(self, number: int, size: int) -> CatalogPage:
        """Page `number` (from 0), clamped to the pages that exist."""
        count = max(1, -(-len(self.products) // size))
        number = min(max(number, 0), count - 1)
        start = number * size
        return CatalogPage(self.products[start : start + size], number, count)


class CatalogUnavailable(Exception):
    """OneEntry could not be asked for the catalog and no earlier listing exists."""


class Catalog:
    """Cached catalog listings, one per content language. A text missing in a language (a
    product not translated yet) is shown in the default one: OneEntry does not fall back."""

    def __init__(
        self,
        client: OneEntryClient,
        config: ShopConfig,
        *,
        ttl_seconds: float,
        languages: ContentLanguages | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._config = config
        self._languages = languages or ContentLanguages(config.content_langs)
        self._product_ids = config.catalog_product_ids
        self._unavailable = config.unavailable_statuses
        self._cache: RefreshingCache[CatalogSnapshot] = RefreshingCache(
            ttl_seconds, unavailable=lambda error: CatalogUnavailable(str(error)), clock=clock
        )
        # lang -> (its listing, the default's, the two merged): merged once per refresh
        self._merged: dict[str, tuple[CatalogSnapshot, CatalogSnapshot, CatalogSnapshot]] = {}

    @property
    def languages(self) -> ContentLanguages:
        return self._languages

    async def snapshot(self, lang: str) -> CatalogSnapshot:
        """The current listing for `lang`, fetched at most once per cache period, with the
        default language's texts where `lang` has none."""
        own = await self._listing(lang)
        fallbacks = self._languages.fallback_langs(lang)[1:]
        if not fallbacks:
            return own
        try:
            default = await self._listing(fallbacks[0])
        except CatalogUnavailable:
            return own
        merged = self._merged.get(lang)
        if merged is None or merged[0] is not own or merged[1] is not default:
            merged = (own, default, own.with_texts_from(default))
            self._merged[lang] = merged
        return merged[2]

    async def _listing(self, lang: str) -> CatalogSnapshot:
        return await self._cache.get(lang, lambda: self._fetch_snapshot(lang))

    async def product(self, product_id: int, lang: str) -> CatalogProduct | None:
        """A product the shop sells, or None (unknown, hidden or outside the allowed list)."""
        return (await self.snapshot(lang)).by_id.get(product_id)

    def invalidate(self) -> None:
        """Forget every listing, e.g. when an order was refused for an unknown product."""
        self._cache.clear()

    async def _fetch_snapshot(self, lang: str) -> CatalogSnapshot:
        return CatalogSnapshot(tuple(await self._fetch(lang)))

    async def _fetch(self, lang: str) -> list[CatalogProduct]:
        if self._product_ids:
            found = await self._client.products.get_many(self._product_ids, lang=lang)
            by_id = {product.id: product for product in found}
            raw = [by_id[pid] for pid in self._product_ids if pid in by_id]
        else:
            raw = await self._list_all(lang)
        return [self._to_catalog(product) for product in raw if product.is_visible is not False]

    async def _list_all(self, lang: str) -> list[Product]:
        products: list[Product] = []
        while len(products) < MAX_PRODUCTS:
            page = await self._client.products.list(
                offset=len(products),
                limit=LISTING_PAGE_SIZE,
                sort_key="position",
                sort_order="ASC",
                lang=lang,
            )
            products.extend(page.items)
            if not page.items or len(products) >= (page.total or 0):
                break
        return products

    def _to_catalog(self, product: Product) -> CatalogProduct:
        status = product.status_identifier
        price = product.price_in(self._config.price_attribute)
        return CatalogProduct(
            id=product.id,
            title=product.localize_infos.title or "",
            price=price,
            currency=(product.currency_in(self._config.currency_attribute) or "").upper(),
            status=status,
            status_title=product.status_title,
            orderable=price is not None and status not in self._unavailable,
            image_url=product.image_url,
            description=product.short_description,
            sku=product.sku,
        )
