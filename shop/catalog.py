"""The catalog the bot sells from: OneEntry's categories (catalog pages) and their products,
asked of OneEntry page by page and cached per language.

A busy moment (a channel post with a deep link) sends hundreds of customers browsing at once;
they all share one listing per category page per language per cache period, fetched by
whichever customer came first while the others wait for it. When OneEntry fails, the previous
listing keeps serving. A text missing in a language (a product not translated yet) is shown in
the default one: OneEntry does not fall back.

Where the products come from:
- the catalog page (CATALOG_PAGE_URL) exists: its sub-pages are the categories, each listing
  its own products (`POST /products/page/url/{url}`); the catalog page's own products are
  listed on the first screen below the categories;
- no such page: one flat list (`POST /products/all`), page by page;
- CATALOG_PRODUCT_IDS set: only those products, in that order, as one flat list.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from oneentry_client import NotFoundError, OneEntryClient, PermissionDeniedError, Product
from shop.cache import RefreshingCache
from shop.categories import Category, CategoryTree, build_tree
from shop.config import ShopConfig
from shop.languages import ContentLanguages

logger = logging.getLogger(__name__)

SEARCH_QUERY_LIMIT = 100  # characters of a search sent to OneEntry
PRODUCTS_ATTRIBUTE_SET = "products"  # OneEntry's usual set, for a product that names none


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
    # The attributes the shop shows on the card (CATALOG_CARD_ATTRIBUTES): (title, value)
    details: tuple[tuple[str, str], ...] = ()
    # Every picture, `image_url` first: more than one makes a gallery
    image_urls: tuple[str, ...] = ()

    @property
    def for_sale(self) -> bool:
        """Has a price: a product with none anywhere is shown as not for sale."""
        return self.price is not None

    def with_texts_from(self, other: CatalogProduct | None) -> CatalogProduct:
        """This product with `other`'s texts where this one has none (another language)."""
        if other is None or self.has_all_texts:
            return self
        return dataclasses.replace(
            self,
            title=self.title or other.title,
            status_title=self.status_title or other.status_title,
            description=self.description or other.description,
            details=self.details or other.details,
        )

    @property
    def has_all_texts(self) -> bool:
        return bool(self.title and self.description and self.status_title)

    @property
    def shown_title(self) -> str:
        """The title, never blank: the SKU or `#id` only when no language has a title."""
        return self.title or self.sku or f"#{self.id}"


@dataclass(frozen=True, slots=True)
class CatalogPage:
    """One page of a product list: its products, its number (from 0) and how many there are."""

    products: tuple[CatalogProduct, ...]
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


@dataclass(frozen=True, slots=True)
class CatalogListing:
    """What one catalog screen shows: the category (None: a catalog without categories), its
    sub-categories, a page of its own products, and where "back" goes: `parent` (None on the
    catalog's first screen), `back_id` (0 when that is the first screen)."""

    category: Category | None
    parent: Category | None
    subcategories: tuple[Category, ...]
    page: CatalogPage
    back_id: int = 0

    @property
    def is_front(self) -> bool:
        """The catalog's first screen (the catalog page, or the flat list)."""
        return self.parent is None

    @property
    def category_id(self) -> int:
        """The id buttons carry: 0 for the first screen."""
        return 0 if self.is_front or self.category is None else self.category.id


@dataclass(frozen=True)
class CatalogSnapshot:
    """Some products by id (a cart's, a search's), for pricing and titles."""

    products: tuple[CatalogProduct, ...]
    by_id: dict[int, CatalogProduct] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {product.id: product for product in self.products})


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Up to a page of the products a search found, and how many OneEntry matched."""

    products: tuple[CatalogProduct, ...]
    total: int


@dataclass(frozen=True, slots=True)
class _Listed:
    """One page as OneEntry listed it: its products and the total of the whole list."""

    products: tuple[CatalogProduct, ...]
    total: int


class CatalogUnavailable(Exception):
    """OneEntry could not be asked for the catalog and no earlier listing exists."""


class Catalog:
    """Cached categories, listing pages, products and searches, per content language."""

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
        self._allowed = frozenset(config.catalog_product_ids)
        self._page_size = config.catalog_page_size
        self._unavailable = config.unavailable_statuses

        def unavailable(error: Exception) -> Exception:
            return CatalogUnavailable(str(error))

        self._trees: RefreshingCache[CategoryTree | None] = RefreshingCache(
            ttl_seconds, unavailable=unavailable, clock=clock
        )
        self._pages: RefreshingCache[_Listed] = RefreshingCache(
            ttl_seconds, unavailable=unavailable, clock=clock
        )
        self._products: RefreshingCache[CatalogProduct | None] = RefreshingCache(
            ttl_seconds, unavailable=unavailable, clock=clock
        )
        self._searches: RefreshingCache[tuple[int, ...]] = RefreshingCache(
            ttl_seconds, unavailable=unavailable, clock=clock
        )
        self._titles: RefreshingCache[dict[str, str]] = RefreshingCache(
            ttl_seconds, unavailable=unavailable, clock=clock
        )

    @property
    def languages(self) -> ContentLanguages:
        return self._languages

    # -- browsing ----------------------------------------------------------------------------

    async def listing(self, lang: str, category_id: int | None, page: int) -> CatalogListing:
        """A catalog screen: the category `category_id` (0 or None: the front) and page `page`
        (from 0, clamped to the pages that exist) of its own products."""
        tree = await self.tree(lang)
        if tree is None:
            return CatalogListing(None, None, (), await self._page(lang, None, page))
        category = tree.get(category_id or None)
        parent = tree.parent(category)
        return CatalogListing(
            category,
            parent,
            tree.children(category),
            await self._page(lang, category.url, page),
            back_id=0 if parent is None or parent.id == tree.root.id else parent.id,
        )

    async def tree(self, lang: str) -> CategoryTree | None:
        """The categories in `lang` (titles missing there from the default language), or None
        for a flat catalog."""
        if self._product_ids or not self._config.catalog_page_url:
            return None
        own = await self._trees.get(lang, lambda: self._fetch_tree(lang))
        fallbacks = self._languages.fallback_langs(lang)[1:]
        if own is None or own.has_all_titles or not fallbacks:
            return own
        try:
            default = await self._trees.get(fallbacks[0], lambda: self._fetch_tree(fallbacks[0]))
        except CatalogUnavailable:
            return own
        return own if default is None else own.with_titles_from(default)

    async def _fetch_tree(self, lang: str) -> CategoryTree | None:
        try:
            pages = await self._client.pages.all(lang=lang)
        except (NotFoundError, PermissionDeniedError) as error:
            logger.warning("catalog pages not readable, the catalog is one list: %s", error)
            return None
        return build_tree(pages, self._config.catalog_page_url)

    async def _page(self, lang: str, url: str | None, number: int) -> CatalogPage:
        """Page `number` of a category's products (`url`; None: the whole catalog)."""
        number = max(number, 0)
        listed = await self._listed(lang, url, number)
        count = max(1, -(-listed.total // self._page_size))
        if number >= count:  # fewer products than when the button was drawn
            number = count - 1
            listed = await self._listed(lang, url, number)
        return CatalogPage(listed.products, number, count)

    async def _listed(self, lang: str, url: str | None, number: int) -> _Listed:
        own = await self._pages.get(
            ("page", lang, url, number), lambda: self._fetch_page(lang, url, number)
        )
        fallbacks = self._languages.fallback_langs(lang)[1:]
        if not fallbacks or all(product.has_all_texts for product in own.products):
            return own
        try:
            default = await self._pages.get(
                ("page", fallbacks[0], url, number),
                lambda: self._fetch_page(fallbacks[0], url, number),
            )
        except CatalogUnavailable:
            return own
        by_id = {product.id: product for product in default.products}
        merged = tuple(product.with_texts_from(by_id.get(product.id)) for product in own.products)
        return _Listed(merged, own.total)

    async def _fetch_page(self, lang: str, url: str | None, number: int) -> _Listed:
        offset, size = number * self._page_size, self._page_size
        if self._product_ids:
            wanted = self._product_ids[offset : offset + size]
            found = await self._client.products.get_many(wanted, lang=lang) if wanted else []
            by_id = {product.id: product for product in found}
            raw = [by_id[pid] for pid in wanted if pid in by_id]
            return _Listed(self._converted(raw), len(self._product_ids))
        if url is None:
            listed = await self._client.products.list(
                offset=offset, limit=size, sort_key="position", sort_order="ASC", lang=lang
            )
        else:
            listed = await self._client.products.of_page(
                url, offset=offset, limit=size, sort_key="position", sort_order="ASC", lang=lang
            )
        return _Listed(self._converted(listed.items), listed.total or len(listed.items))

    # -- products ----------------------------------------------------------------------------

    async def product(self, product_id: int, lang: str) -> CatalogProduct | None:
        """A product the shop sells, or None (unknown, hidden or outside the allowed list)."""
        if self._allowed and product_id not in self._allowed:
            return None
        own = await self._product(product_id, lang)
        fallbacks = self._languages.fallback_langs(lang)[1:]
        if own is None or own.has_all_texts or not fallbacks:
            return own
        try:
            return own.with_texts_from(await self._product(product_id, fallbacks[0]))
        except CatalogUnavailable:
            return own

    async def products(self, product_ids: Iterable[int], lang: str) -> CatalogSnapshot:
        """The products of a cart (or a search) the shop sells, each cached like `product`."""
        wanted = list(dict.fromkeys(product_ids))
        found = await asyncio.gather(*(self.product(pid, lang) for pid in wanted))
        return CatalogSnapshot(tuple(product for product in found if product is not None))

    async def _product(self, product_id: int, lang: str) -> CatalogProduct | None:
        return await self._products.get(
            ("product", lang, product_id), lambda: self._fetch_product(product_id, lang)
        )

    async def _fetch_product(self, product_id: int, lang: str) -> CatalogProduct | None:
        try:
            product = await self._client.products.get(product_id, lang=lang)
        except NotFoundError:
            return None
        converted = self._converted([product])
        if not converted:
            return None
        details = await self._details(product, lang)
        return dataclasses.replace(converted[0], details=details) if details else converted[0]

    async def _details(self, product: Product, lang: str) -> tuple[tuple[str, str], ...]:
        """The card's attributes (CATALOG_CARD_ATTRIBUTES, in that order) that the product
        has a value for, each with its title in `lang` (else the default language's, else
        its marker)."""
        shown = [
            (marker, value)
            for marker in self._config.card_attributes
            if (value := product.attribute_text(marker)) is not None
        ]
        if not shown:
            return ()
        set_marker = product.attribute_set_identifier or PRODUCTS_ATTRIBUTE_SET
        titles: dict[str, str] = {}
        for title_lang in reversed(self._languages.fallback_langs(lang)):
            try:
                titles |= await self._titles.get(
                    (set_marker, title_lang),
                    functools.partial(self._fetch_titles, set_marker, title_lang),
                )
            except CatalogUnavailable:
                continue
        return tuple((titles.get(marker) or marker, value) for marker, value in shown)

    async def _fetch_titles(self, set_marker: str, lang: str) -> dict[str, str]:
        try:
            attributes = await self._client.attribute_sets.attributes(set_marker, lang=lang)
        except (NotFoundError, PermissionDeniedError) as error:
            logger.warning("attribute titles of '%s' not readable: %s", set_marker, error)
            return {}
        return {a.marker: a.title for a in attributes if a.title}

    # -- search ------------------------------------------------------------------------------

    async def search(self, text: str, lang: str) -> SearchResult:
        """Products whose title has `text` (OneEntry's quick search in `lang`, then in the
        default language when nothing matched), up to a page of them, in OneEntry's order."""
        query = " ".join(text.split())[:SEARCH_QUERY_LIMIT]
        if not query:
            return SearchResult((), 0)
        ids: tuple[int, ...] = ()
        for search_lang in self._languages.fallback_langs(lang):
            ids = await self._searches.get(
                ("search", search_lang, query.casefold()),
                functools.partial(self._fetch_search, query, search_lang),
            )
            if ids:
                break
        found = await self.products(ids[: self._page_size], lang)
        return SearchResult(found.products, len(ids))

    async def _fetch_search(self, query: str, lang: str) -> tuple[int, ...]:
        hits = await self._client.products.quick_search(query, lang=lang)
        ids = dict.fromkeys(hit.id for hit in hits)
        return tuple(pid for pid in ids if not self._allowed or pid in self._allowed)

    def invalidate(self) -> None:
        """Forget everything, e.g. when an order was refused for an unknown product."""
        for cache in (self._trees, self._pages, self._products, self._searches):
            cache.clear()

    def _converted(self, products: Iterable[Product]) -> tuple[CatalogProduct, ...]:
        return tuple(self._to_catalog(p) for p in products if p.is_visible is not False)

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
            image_urls=tuple(product.image_urls),
            description=product.short_description,
            sku=product.sku,
        )
