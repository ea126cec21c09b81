"""What every resource group shares: the pipeline and the client's default language."""

from __future__ import annotations

from typing import TypeVar

from .._call import ApiCall
from .._pipeline import Pipeline

__all__ = ["Resource", "require_id", "require_marker"]

ResultT = TypeVar("ResultT")


class Resource:
    """A group of calls for one OneEntry module; methods only describe their call."""

    def __init__(self, pipeline: Pipeline, lang: str) -> None:
        self._pipeline = pipeline
        self._lang = lang

    async def _request(self, call: ApiCall, cast_to: type[ResultT]) -> ResultT:
        return await self._pipeline.request(call, cast_to)


def require_marker(value: str, what: str) -> str:
    """Refuse an empty marker before it turns into a confusing path like `/marker//orders`."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string")
    return value


def require_id(value: int, what: str) -> int:
    """Refuse ids that cannot exist (OneEntry ids are positive integers)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return value
