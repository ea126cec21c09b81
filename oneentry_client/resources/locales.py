"""`Locales` module: the languages the project's content is written in."""

from __future__ import annotations

from .._call import ApiCall
from ..models import Locale
from ._base import Resource

__all__ = ["LocalesResource"]


class LocalesResource(Resource):
    """The project's languages; a public endpoint."""

    async def active(self) -> list[Locale]:
        """`GET /locales/active/all`: the active languages, as the project orders them."""
        call = ApiCall("GET", "/api/content/locales/active/all")
        return await self._request(call, list[Locale])
