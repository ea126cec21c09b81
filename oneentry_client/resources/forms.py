"""`Forms` module: the order form's fields."""

from __future__ import annotations

from .._call import ApiCall
from ..models import Form
from ._base import Resource, require_marker

__all__ = ["FormsResource"]


class FormsResource(Resource):
    """Form definitions; public endpoints."""

    async def get(self, marker: str, *, lang: str | None = None) -> Form:
        """`GET /forms/marker/{marker}`."""
        lang = lang or self._lang
        path = f"/api/content/forms/marker/{require_marker(marker, 'form marker')}"
        return await self._request(ApiCall("GET", path, params={"langCode": lang}, lang=lang), Form)
