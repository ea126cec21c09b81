"""`Pages` module: the project's pages; the catalog pages are the shop's categories."""

from __future__ import annotations

from urllib.parse import quote

from .._call import ApiCall
from ..models import ContentPage
from ._base import Resource, require_id, require_marker

__all__ = ["PagesResource"]

_BASE = "/api/content/pages"


class PagesResource(Resource):
    """Page reads; public endpoints, like products. Lists are bare arrays."""

    async def all(self, *, lang: str | None = None) -> list[ContentPage]:
        """`GET /pages`: every page of the project."""
        lang = lang or self._lang
        return await self._request(
            ApiCall("GET", _BASE, params={"langCode": lang}, lang=lang), list[ContentPage]
        )

    async def roots(self, *, lang: str | None = None) -> list[ContentPage]:
        """`GET /pages/root`: the top-level pages (`parentId` null)."""
        lang = lang or self._lang
        call = ApiCall("GET", f"{_BASE}/root", params={"langCode": lang}, lang=lang)
        return await self._request(call, list[ContentPage])

    async def children(self, url: str, *, lang: str | None = None) -> list[ContentPage]:
        """`GET /pages/{url}/children`: a page's sub-pages."""
        lang = lang or self._lang
        path = f"{_BASE}/{_url_path(url)}/children"
        return await self._request(
            ApiCall("GET", path, params={"langCode": lang}, lang=lang), list[ContentPage]
        )

    async def by_url(self, url: str, *, lang: str | None = None) -> ContentPage:
        """`GET /pages/url/{url}`."""
        lang = lang or self._lang
        path = f"{_BASE}/url/{_url_path(url)}"
        return await self._request(
            ApiCall("GET", path, params={"langCode": lang}, lang=lang), ContentPage
        )

    async def get(self, page_id: int, *, lang: str | None = None) -> ContentPage:
        """`GET /pages/{id}`."""
        lang = lang or self._lang
        path = f"{_BASE}/{require_id(page_id, 'page_id')}"
        return await self._request(
            ApiCall("GET", path, params={"langCode": lang}, lang=lang), ContentPage
        )


def _url_path(url: str) -> str:
    """A page url (or category path) as path segments, each quoted."""
    require_marker(url, "url")
    return "/".join(quote(part, safe="") for part in url.strip("/").split("/"))
