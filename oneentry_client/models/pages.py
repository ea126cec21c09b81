"""Pages (the Pages module): the project's site pages; catalog pages are the categories."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from ._base import OneEntryModel, TrueWhenNull
from .common import LocalizeInfos
from .products import AttributeValue, markered_dict

__all__ = ["CATALOG_PAGE_TYPE", "ContentPage"]

CATALOG_PAGE_TYPE = "catalog_page"


class ContentPage(OneEntryModel):
    """A page (`IPagesEntity`). `page_url` is unique in the project; `category_path` joins
    its ancestors' urls and its own (`catalog/teas/green`)."""

    id: int
    parent_id: int | None = None
    page_url: str = ""
    depth: int | None = None
    type: str | None = None
    position: int | None = None
    is_visible: TrueWhenNull = True
    category_path: str | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    attribute_values: dict[str, AttributeValue] = Field(default_factory=dict)

    @field_validator("attribute_values", mode="before")
    @classmethod
    def _attribute_map(cls, value: Any) -> Any:
        return markered_dict(value)

    @property
    def is_catalog(self) -> bool:
        """A page that holds products (`type: "catalog_page"`)."""
        return self.type == CATALOG_PAGE_TYPE

    @property
    def title(self) -> str | None:
        """The menu title when the page has one, else its title."""
        texts = self.localize_infos.model_extra or {}
        menu_title = texts.get("menuTitle")
        if isinstance(menu_title, str) and menu_title.strip():
            return menu_title.strip()
        return self.localize_infos.title
