"""Products, their attribute values and statuses, with the conveniences a shop needs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator

from ._base import FlexibleDecimal, OneEntryModel, TrueWhenNull, first_item_or_self, to_decimal
from .common import FileObject, LocalizeInfos

__all__ = [
    "AttributeValue",
    "Product",
    "ProductSearchHit",
    "ProductStatus",
    "markered_dict",
]

PRICE_MARKERS = ("price",)
CURRENCY_MARKERS = ("currency_products", "currency")
IMAGE_MARKERS = ("img", "pic", "image", "photo", "picture")
DESCRIPTION_MARKERS = ("short_description", "short_desc", "description", "desc")
DESCRIPTION_TEXT_KEYS = ("shortDescription", "short_description", "plainValue", "description")


def markered_dict(value: Any) -> Any:
    """`additionalFields` arrives as `[{"marker": ...}]` raw and as a dict from the SDK."""
    if value is None:
        return {}
    if isinstance(value, list):
        return {
            item["marker"]: item for item in value if isinstance(item, dict) and "marker" in item
        }
    return value


def text_of(value: Any) -> str | None:
    """A text attribute's value: a string, `{"plainValue"|"htmlValue": ...}` or a list of those."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            text = text_of(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("plainValue", "value", "htmlValue"):
            text = text_of(value.get(key))
            if text:
                return text
    return None


class AttributeValue(OneEntryModel):
    """One entry of `attributeValues`: `value` depends on `type` and is left as sent."""

    type: str | None = None
    value: Any = None
    position: int | None = None
    is_icon: bool | None = None
    is_product_preview: bool | None = None
    additional_fields: dict[str, Any] = Field(default_factory=dict)

    @field_validator("additional_fields", mode="before")
    @classmethod
    def _additional_fields_by_marker(cls, value: Any) -> Any:
        return markered_dict(value)

    @property
    def file(self) -> FileObject | None:
        """The (first) file of an image/file/groupOfImages value, object or list alike."""
        candidate = first_item_or_self(self.value)
        if isinstance(candidate, dict):
            return FileObject.model_validate(candidate)
        return None

    @property
    def files(self) -> list[FileObject]:
        """Every file of an image/file/groupOfImages value (a gallery has several)."""
        values = self.value if isinstance(self.value, list) else [self.value]
        return [FileObject.model_validate(v) for v in values if isinstance(v, dict)]

    @property
    def shown_text(self) -> str | None:
        """The value as a person reads it: text, a number, a list's titles; None for an
        empty value or one that is not text (an image, a file, a yes/no)."""
        value = self.value
        if self.type in ("image", "groupOfImages", "file") or isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            titles = [str(v["title"]) for v in value if v.get("title")]
            if titles:
                return ", ".join(titles)
        return text_of(value)

    @property
    def is_price(self) -> bool:
        """OneEntry marks the attribute it derives `price` from with `isPrice`."""
        return bool((self.model_extra or {}).get("isPrice"))


class Product(OneEntryModel):
    """A catalog product. `price`, `currency`, `image_url` etc. hide where each lives."""

    id: int
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    raw_price: FlexibleDecimal = Field(default=None, alias="price")
    status_identifier: str | None = None
    attribute_set_identifier: str | None = None
    status_localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    is_visible: TrueWhenNull = True
    sku: str | None = None
    position: int | None = None
    categories: list[str] = Field(default_factory=list)
    attribute_values: dict[str, AttributeValue] = Field(default_factory=dict)
    additional: dict[str, Any] | None = None

    @field_validator("attribute_values", mode="before")
    @classmethod
    def _attribute_map(cls, value: Any) -> Any:
        return markered_dict(value)

    @property
    def title(self) -> str:
        """The display name; falls back to the SKU or `#id` so a button is never blank."""
        return self.localize_infos.title or self.sku or f"#{self.id}"

    @property
    def price(self) -> Decimal | None:
        """The search-index price, else the attribute it is derived from."""
        return self.price_in(PRICE_MARKERS[0])

    def price_in(self, marker: str) -> Decimal | None:
        """OneEntry's `price` (recalculated in the background, so it can be null), else the
        shop's price attribute `marker`, else the attribute flagged `isPrice`."""
        if self.raw_price is not None:
            return self.raw_price
        attribute = self.attribute_values.get(marker)
        if attribute is not None and (amount := to_decimal(attribute.value)) is not None:
            return amount
        for known, attribute in self.attribute_values.items():
            if known in PRICE_MARKERS or attribute.is_price:
                amount = to_decimal(attribute.value)
                if amount is not None:
                    return amount
        return None

    @property
    def currency(self) -> str | None:
        """The currency code from the product's currency attribute, or None when unset."""
        return self.currency_in(CURRENCY_MARKERS[0])

    def currency_in(self, marker: str) -> str | None:
        """The currency code from the shop's currency attribute `marker` (else a usual one)."""
        for candidate in (marker, *CURRENCY_MARKERS):
            attribute = self.attribute_values.get(candidate)
            if attribute and isinstance(attribute.value, str) and attribute.value.strip():
                return attribute.value.strip()
        return None

    @property
    def image_url(self) -> str | None:
        """The download link of the preview image, else of the first image attribute."""
        images = [a for a in self.attribute_values.values() if a.type in ("image", "groupOfImages")]
        preferred = [a for a in images if a.is_product_preview]
        preferred += [self.attribute_values[m] for m in IMAGE_MARKERS if m in self.attribute_values]
        for attribute in [*preferred, *images]:
            file = attribute.file
            if file and file.download_link:
                return file.download_link
        return None

    @property
    def image_urls(self) -> list[str]:
        """Every picture of the product, the preview (`image_url`) first, then the others of
        its image and gallery (groupOfImages) attributes, each once."""
        links = [self.image_url] if self.image_url else []
        for attribute in self.attribute_values.values():
            if attribute.type in ("image", "groupOfImages"):
                links += [f.download_link for f in attribute.files if f.download_link]
        return list(dict.fromkeys(links))

    @property
    def short_description(self) -> str | None:
        """A short text for the product card, from localizeInfos or a description attribute."""
        texts = self.localize_infos.model_extra or {}
        for key in DESCRIPTION_TEXT_KEYS:
            text = text_of(texts.get(key))
            if text:
                return text
        for marker in DESCRIPTION_MARKERS:
            attribute = self.attribute_values.get(marker)
            text = text_of(attribute.value) if attribute else None
            if text:
                return text
        return None

    def attribute_text(self, marker: str) -> str | None:
        """The attribute `marker`'s value as a person reads it, None when absent or empty."""
        attribute = self.attribute_values.get(marker)
        return attribute.shown_text if attribute is not None else None

    @property
    def status_title(self) -> str | None:
        """The human-readable product status, e.g. "In stock"."""
        return self.status_localize_infos.title


class ProductSearchHit(OneEntryModel):
    """One quick-search result: enough to fetch the product."""

    id: int
    title: str | None = None
    page_id: int | None = None


class ProductStatus(OneEntryModel):
    """A project-defined product status such as `in_stock`."""

    id: int
    identifier: str | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    is_default: bool | None = None
    position: int | None = None

    @property
    def title(self) -> str | None:
        return self.localize_infos.title
