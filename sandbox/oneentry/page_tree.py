"""The project's pages (OneEntry's Pages module) as the definition lists them, and which
products each catalog page holds.

A definition's `pages` are `{id, pageUrl, parentId, type, position, isVisible, localizeInfos}`;
a product's `categories` name the `pageUrl`s it is in. The API shows a page's `categoryPath`
(its ancestors' urls and its own, joined by `/`) in the page and in a product's
`categories` / `productPages`.
"""

from __future__ import annotations

from typing import Any


class PageTree:
    """Lookups over the definition's pages; invisible pages do not exist for the API."""

    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self._all = {page["id"]: page for page in pages}
        self._by_url = {page["pageUrl"]: page for page in pages}

    def visible(self) -> list[dict[str, Any]]:
        """Every visible page whose ancestors are visible, by depth, then position."""
        pages = [page for page in self._all.values() if self._reachable(page)]
        return sorted(pages, key=lambda p: (self.depth(p), p.get("position", p["id"]), p["id"]))

    def roots(self) -> list[dict[str, Any]]:
        return [page for page in self.visible() if page.get("parentId") is None]

    def children(self, page: dict[str, Any]) -> list[dict[str, Any]]:
        return [p for p in self.visible() if p.get("parentId") == page["id"]]

    def by_url(self, url: str) -> dict[str, Any] | None:
        """A visible page by its `pageUrl` or its whole `categoryPath`."""
        page = self._by_url.get(url) or self._by_url.get(url.rsplit("/", 1)[-1])
        if page is None or not self._reachable(page):
            return None
        if "/" in url and self.category_path(page) != url.strip("/"):
            return None
        return page

    def by_id(self, page_id: int) -> dict[str, Any] | None:
        page = self._all.get(page_id)
        return page if page is not None and self._reachable(page) else None

    def depth(self, page: dict[str, Any]) -> int:
        return len(self._ancestors(page))

    def category_path(self, page: dict[str, Any]) -> str:
        return "/".join([*(p["pageUrl"] for p in reversed(self._ancestors(page))), page["pageUrl"]])

    def path_of_url(self, url: str) -> str:
        """The category path of the page `url`; the url itself for a page the project lacks."""
        page = self._by_url.get(url)
        return self.category_path(page) if page is not None else url

    def _ancestors(self, page: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        parent_id = page.get("parentId")
        while parent_id is not None and parent_id in self._all and len(found) < len(self._all):
            parent = self._all[parent_id]
            found.append(parent)
            parent_id = parent.get("parentId")
        return found

    def _reachable(self, page: dict[str, Any]) -> bool:
        return all(p.get("isVisible", True) for p in [page, *self._ancestors(page)])


def product_in_page(product: dict[str, Any], page: dict[str, Any]) -> bool:
    """Whether the product is on the page itself (a sub-page's products are not)."""
    return page["pageUrl"] in product.get("categories", [])
