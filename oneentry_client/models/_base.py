"""The base model and the lenient field types every OneEntry entity is built from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

__all__ = [
    "FlexibleDecimal",
    "LenientDatetime",
    "OneEntryModel",
    "TrueWhenNull",
    "first_item_or_self",
    "form_data_list",
    "listify",
]


class OneEntryModel(BaseModel):
    """camelCase on the wire, snake_case in Python, and fields OneEntry adds later are kept.

    OneEntry sends `null` for empty maps and lists (`localizeInfos`, `validators`, `products`,
    ...): a null for a field that has an empty default means that default.
    """

    model_config = ConfigDict(
        extra="allow", alias_generator=to_camel, populate_by_name=True, frozen=False
    )

    @model_validator(mode="before")
    @classmethod
    def _null_means_empty(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        nulls = [key for key, value in data.items() if value is None]
        if not nulls:
            return data
        empty_by_default = {
            name
            for field_name, field in cls.model_fields.items()
            if field.default_factory is not None
            for name in (field_name, field.alias)
        }
        return {k: v for k, v in data.items() if not (v is None and k in empty_by_default)}


def to_decimal(value: Any) -> Decimal | None:
    """Prices and sums arrive as numbers, numeric strings ("300.00"), "" or null."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def to_datetime(value: Any) -> datetime | None:
    """ISO 8601 with `Z`, or the old "2023-01-01 12:12"; anything unparseable is None."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def listify(value: Any) -> Any:
    """An object where a list is expected becomes a one-element list; null becomes []."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return value


def first_item_or_self(value: Any) -> Any:
    """An image value is an object or (raw API) a list of objects: take the first object."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def form_data_list(value: Any) -> Any:
    """`formData` as the SDK's schema allows it: a list of fields, or a map keyed by language
    (`{"en_US": [...]}`), which the response's own language has already unwrapped when it
    matched. A map in another language (an order written in `en_US`, read in `ru_RU`) holds
    the fields as they were written: take them, the first language's when there are several."""
    if value is None:
        return []
    if isinstance(value, dict):
        for fields in value.values():
            if isinstance(fields, list):
                return fields
        return []
    return value


def _true_when_null(value: Any) -> Any:
    return True if value is None else value


FlexibleDecimal = Annotated[Decimal | None, BeforeValidator(to_decimal)]

LenientDatetime = Annotated[datetime | None, BeforeValidator(to_datetime)]
TrueWhenNull = Annotated[bool, BeforeValidator(_true_when_null)]
