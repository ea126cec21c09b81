"""The category tree from OneEntry's pages: only catalog pages under the catalog page, each
parent's children by position, hidden pages left out, titles filled from another language."""

from __future__ import annotations

from typing import Any

from oneentry_client import AttributeValue, ContentPage
from shop.categories import build_tree


def page(page_id: int, url: str, parent: int | None, position: int, **extra: Any) -> ContentPage:
    data = {
        "id": page_id,
        "pageUrl": url,
        "parentId": parent,
        "position": position,
        "type": "catalog_page",
        "localizeInfos": {"title": url.title()},
        **extra,
    }
    return ContentPage.model_validate(data)


PAGES = [
    page(1, "catalog", None, 1),
    page(2, "drinks", 1, 2),
    page(3, "food", 1, 1),
    page(4, "tea", 2, 1),
    page(5, "hidden", 1, 3, isVisible=False),
    page(6, "about", None, 2, type="common_page"),
    page(7, "blog-post", 6, 1),  # a catalog page outside the catalog
    page(8, "untitled", 3, 1, localizeInfos={}),
    page(9, "menu", 3, 2, localizeInfos={"title": "Menu page", "menuTitle": "Menu"}),
]


def test_the_tree_under_the_catalog_page() -> None:
    tree = build_tree(PAGES, "catalog")
    assert tree is not None
    assert [c.url for c in tree.children(tree.root)] == ["food", "drinks"]
    drinks = tree.get(2)
    assert [c.url for c in tree.children(drinks)] == ["tea"]
    assert tree.parent(tree.get(4)) == drinks
    assert tree.parent(tree.root) is None
    assert tree.get(5) == tree.root and tree.get(7) == tree.root  # hidden; outside: the front
    assert [c.title for c in tree.children(tree.get(3))] == ["untitled", "Menu"]


def test_no_catalog_page_means_a_flat_catalog() -> None:
    assert build_tree(PAGES, "shop") is None
    assert build_tree(PAGES, "about") is None  # a common page holds no products


def test_titles_missing_in_a_language_come_from_another() -> None:
    own = build_tree(PAGES, "catalog")
    other = build_tree(
        [*PAGES[:7], page(8, "untitled", 3, 1, localizeInfos={"title": "Soup"})], "catalog"
    )
    assert own is not None and other is not None and not own.has_all_titles
    merged = own.with_titles_from(other)
    assert merged.get(8).title == "Soup"
    assert [c.title for c in merged.children(merged.get(3))] == ["Soup", "Menu"]


def test_attribute_values_as_a_card_shows_them() -> None:
    def shown(kind: str, value: Any) -> str | None:
        return AttributeValue.model_validate({"type": kind, "value": value}).shown_text

    assert shown("integer", 100) == "100"
    assert shown("float", 0.5) == "0.5"
    assert shown("string", "  Japan ") == "Japan"
    assert (
        shown("list", [{"title": "red", "value": 1}, {"title": "blue", "value": 2}]) == "red, blue"
    )
    assert shown("image", [{"downloadLink": "http://x/1.png"}]) is None
    assert shown("string", "") is None
    assert shown("boolean", True) is None
