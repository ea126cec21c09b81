"""`AttributesSets` module: what an entity's attributes are called in each language."""

from __future__ import annotations

from urllib.parse import quote

from .._call import ApiCall
from ..models import SetAttribute
from ._base import Resource, require_marker

__all__ = ["AttributeSetsResource"]


class AttributeSetsResource(Resource):
    """Attribute set reads; public endpoints."""

    async def attributes(self, marker: str, *, lang: str | None = None) -> list[SetAttribute]:
        """`GET /attributes-sets/{marker}/attributes`: the set's attributes (a bare array)."""
        lang = lang or self._lang
        path = f"/api/content/attributes-sets/{quote(require_marker(marker, 'marker'), safe='')}"
        call = ApiCall("GET", f"{path}/attributes", params={"langCode": lang}, lang=lang)
        return await self._request(call, list[SetAttribute])
