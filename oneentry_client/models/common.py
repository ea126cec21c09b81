"""Shapes shared by several OneEntry modules: localized texts, files, pages, error bodies."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import Field, model_validator

from ._base import OneEntryModel

__all__ = ["ApiErrorBody", "FileObject", "LocalizeInfos", "Page"]

ItemT = TypeVar("ItemT")


class LocalizeInfos(OneEntryModel):
    """The texts of one language (`title` and whatever else the entity has). Accepts them as
    an object, or as a list holding one (a shape the SDK's schemas also allow); an empty
    object (content missing in the requested language: OneEntry has no fallback) has no
    title."""

    title: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _object_or_list(cls, data: Any) -> Any:
        if isinstance(data, list):
            return next((item for item in data if isinstance(item, dict)), {})
        return data

    @property
    def is_empty(self) -> bool:
        return not self.title and not self.model_extra


class FileObject(OneEntryModel):
    """An uploaded file or image; `download_link` is the URL to show."""

    filename: str | None = None
    download_link: str | None = None
    preview_link: str | None = None
    size: int | None = None
    content_type: str | None = None


class Page(OneEntryModel, Generic[ItemT]):
    """One page of a list; accepts `{"items": [...], "total": N}` and a bare array alike."""

    items: list[ItemT] = Field(default_factory=list)
    total: int = 0

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_array(cls, data: Any) -> Any:
        if isinstance(data, list):
            return {"items": data, "total": len(data)}
        if isinstance(data, dict) and data.get("total") in (None, ""):
            return {**data, "total": len(data.get("items") or [])}
        return data


class ApiErrorBody(OneEntryModel):
    """OneEntry's error body; only `statusCode` and `message` are reliably present."""

    status_code: int | None = None
    message: str | list[str] | None = None
    error: str | None = None
    page_data: Any = None
    timestamp: str | None = None

    @property
    def text(self) -> str:
        """The message as one string, whether it came as a string or a list of strings."""
        if isinstance(self.message, list):
            return "; ".join(self.message)
        return self.message or self.error or ""
