"""`Products` and `ProductStatuses` modules: the catalog."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Literal
from urllib.parse import quote

from .._call import ApiCall
from ..models import Page, Product, ProductSearchHit, ProductStatus
from ._base import Resource, require_id, require_marker

__all__ = ["ProductsResource"]

_BASE = "/api/content/products"

SortKey = Literal["id", "position", "title", "date", "price"]
SortOrder = Literal["ASC", "DESC"]


class ProductsResource(Resource):
    """Catalog reads; public endpoints, so no log-in is forced (a held Bearer is still sent).

    The `list` method shadows the builtin in this class, hence `builtins.list` in annotations.
    """

    async def list(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_key: SortKey = "position",
        sort_order: SortOrder = "ASC",
        status_marker: str | None = None,
        lang: str | None = None,
    ) -> Page[Product]:
        """`POST /products/all` with an empty filter: one page of the catalog."""
        lang = lang or self._lang
        params = _page_params(offset, limit, sort_key, sort_order, lang)
        if status_marker:
            params["statusMarker"] = status_marker
        call = ApiCall("POST", f"{_BASE}/all", params=params, json={"filter": []}, lang=lang)
        return await self._request(call, Page[Product])

    async def of_page(
        self,
        url: str,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_key: SortKey = "position",
        sort_order: SortOrder = "ASC",
        lang: str | None = None,
    ) -> Page[Product]:
        """`POST /products/page/url/{url}` with an empty filter: one page of a catalog page's
        own products."""
        lang = lang or self._lang
        params = _page_params(offset, limit, sort_key, sort_order, lang)
        path = f"{_BASE}/page/url/{quote(require_marker(url, 'url').strip('/'), safe='/')}"
        call = ApiCall("POST", path, params=params, json={"filter": []}, lang=lang)
        return await self._request(call, Page[Product])

    async def get(self, product_id: int, *, lang: str | None = None) -> Product:
        """`GET /products/{id}`."""
        lang = lang or self._lang
        path = f"{_BASE}/{require_id(product_id, 'product_id')}"
        return await self._request(
            ApiCall("GET", path, params={"langCode": lang}, lang=lang), Product
        )

    async def get_many(
        self, product_ids: Iterable[int], *, lang: str | None = None
    ) -> builtins.list[Product]:
        """`GET /products/ids?ids=1,2,3` (a bare array; unknown ids are simply absent)."""
        ids = [require_id(product_id, "product_id") for product_id in product_ids]
        if not ids:
            return []
        lang = lang or self._lang
        params = {"ids": ",".join(str(product_id) for product_id in ids), "langCode": lang}
        call = ApiCall("GET", f"{_BASE}/ids", params=params, lang=lang)
        return await self._request(call, list[Product])

    async def quick_search(
        self, name: str, *, lang: str | None = None
    ) -> builtins.list[ProductSearchHit]:
        """`GET /products/quick/search?name=`: ids and titles only."""
        lang = lang or self._lang
        call = ApiCall(
            "GET", f"{_BASE}/quick/search", params={"langCode": lang, "name": name}, lang=lang
        )
        return await self._request(call, list[ProductSearchHit])

    async def statuses(self, *, lang: str | None = None) -> builtins.list[ProductStatus]:
        """`GET /product-statuses` (no query, like the SDK; lang-keyed texts unwrapped here)."""
        call = ApiCall("GET", "/api/content/product-statuses", lang=lang or self._lang)
        return await self._request(call, list[ProductStatus])


def _page_params(
    offset: int, limit: int, sort_key: SortKey, sort_order: SortOrder, lang: str
) -> dict[str, str | int]:
    """The query of a page of products, as every listing endpoint takes it."""
    return {
        "offset": offset,
        "limit": limit,
        "sortKey": sort_key,
        "sortOrder": sort_order,
        "langCode": lang,
    }
