"""The shop's categories: OneEntry's catalog pages under the catalog page (CATALOG_PAGE_URL),
as a tree with each category's title in the customer's language."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from oneentry_client import ContentPage


@dataclass(frozen=True, slots=True)
class Category:
    """One catalog page: `url` is what OneEntry lists its products by."""

    id: int
    url: str
    title: str  # the page url when the page has no title in the language
    parent_id: int | None

    @property
    def has_title(self) -> bool:
        return self.title != self.url


@dataclass(frozen=True)
class CategoryTree:
    """The catalog page (`root`) and the catalog pages below it, each parent's children in the
    shop's order (OneEntry positions)."""

    root: Category
    categories: dict[int, Category]
    children_of: dict[int, tuple[Category, ...]]

    def get(self, category_id: int | None) -> Category:
        """The category, or the root for None and for an id the tree does not have (a page
        removed since the button was drawn)."""
        if category_id is None:
            return self.root
        return self.categories.get(category_id, self.root)

    def children(self, category: Category) -> tuple[Category, ...]:
        return self.children_of.get(category.id, ())

    @property
    def has_all_titles(self) -> bool:
        return all(category.has_title for category in self.categories.values())

    def with_titles_from(self, other: CategoryTree) -> CategoryTree:
        """This tree with `other`'s titles (another language's) where this one has none."""

        def titled(category: Category) -> Category:
            known = other.categories.get(category.id)
            if category.has_title or known is None or not known.has_title:
                return category
            return dataclasses.replace(category, title=known.title)

        return CategoryTree(
            titled(self.root),
            {cid: titled(c) for cid, c in self.categories.items()},
            {pid: tuple(titled(c) for c in kids) for pid, kids in self.children_of.items()},
        )

    def parent(self, category: Category) -> Category | None:
        """Where "back" goes: the parent category; None for the root."""
        if category.id == self.root.id or category.parent_id is None:
            return None
        return self.categories.get(category.parent_id, self.root)


def build_tree(pages: Iterable[ContentPage], root_url: str) -> CategoryTree | None:
    """The tree under the visible catalog page `root_url`, or None when the project has no
    such page (the shop then has a flat catalog)."""
    visible = [page for page in pages if page.is_visible is not False]
    root_page = next((p for p in visible if p.page_url == root_url and p.is_catalog), None)
    if root_page is None:
        return None

    def category(page: ContentPage) -> Category:
        return Category(page.id, page.page_url, page.title or page.page_url, page.parent_id)

    by_parent: dict[int, list[ContentPage]] = {}
    for page in visible:
        if page.is_catalog and page.parent_id is not None:
            by_parent.setdefault(page.parent_id, []).append(page)
    root = category(root_page)
    categories: dict[int, Category] = {root.id: root}
    children_of: dict[int, tuple[Category, ...]] = {}
    pending = [root_page.id]
    while pending:  # breadth first from the root: pages outside it are not the catalog's
        parent_id = pending.pop(0)
        kids = sorted(by_parent.get(parent_id, []), key=lambda p: (p.position or 0, p.id))
        kids = [page for page in kids if page.id not in categories]
        children_of[parent_id] = tuple(category(page) for page in kids)
        for page in kids:
            categories[page.id] = category(page)
            pending.append(page.id)
    return CategoryTree(root, categories, children_of)
