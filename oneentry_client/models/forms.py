"""Forms: the order form's fields, their types and which are required."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from ._base import OneEntryModel, TrueWhenNull
from .common import LocalizeInfos
from .products import markered_dict

__all__ = ["Form", "FormAttribute"]


class FormAttribute(OneEntryModel):
    """One form field. Requiredness lives in `validators`, not in a flag."""

    marker: str
    type: str | None = None
    position: int | None = None
    is_visible: TrueWhenNull = True
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    validators: dict[str, Any] = Field(default_factory=dict)
    additional_fields: dict[str, Any] = Field(default_factory=dict)
    list_titles: list[Any] = Field(default_factory=list)
    initial_value: Any = None

    @field_validator("additional_fields", mode="before")
    @classmethod
    def _additional_fields_by_marker(cls, value: Any) -> Any:
        return markered_dict(value)

    @property
    def is_required(self) -> bool:
        """Required when a `requiredValidator` is present (OneEntry has no `isRequired`)."""
        return self.validators.get("requiredValidator") not in (None, False)

    @property
    def title(self) -> str:
        return self.localize_infos.title or self.marker


class Form(OneEntryModel):
    """A form; `attributes` arrives as a list, or as `{}` when the form is empty."""

    id: int
    identifier: str | None = None
    type: str | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    attributes: list[FormAttribute] = Field(default_factory=list)

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes_as_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, dict):
            return [
                {"marker": marker, **item} if isinstance(item, dict) else item
                for marker, item in value.items()
            ]
        return value

    def field(self, marker: str) -> FormAttribute | None:
        """The field with this marker, or None when the form has no such field."""
        return next(
            (attribute for attribute in self.attributes if attribute.marker == marker), None
        )

    @property
    def title(self) -> str | None:
        return self.localize_infos.title
