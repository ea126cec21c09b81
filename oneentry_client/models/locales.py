"""The project's languages."""

from __future__ import annotations

from ._base import OneEntryModel

__all__ = ["Locale"]


class Locale(OneEntryModel):
    """One of the project's languages: `code` is the `langCode` the API takes (`en_US`)."""

    id: int | None = None
    code: str
    short_code: str | None = None
    name: str | None = None
    native_name: str | None = None
    is_active: bool | None = None
    position: int | None = None
