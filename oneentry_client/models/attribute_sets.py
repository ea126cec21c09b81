"""Attribute sets: the schema of an entity's attributes, with each attribute's title."""

from __future__ import annotations

from pydantic import Field

from ._base import OneEntryModel
from .common import LocalizeInfos

__all__ = ["SetAttribute"]


class SetAttribute(OneEntryModel):
    """One attribute of a set (`IAttributesSetsEntity`): its marker, type and title."""

    marker: str
    type: str | None = None
    position: int | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)

    @property
    def title(self) -> str | None:
        return self.localize_infos.title
