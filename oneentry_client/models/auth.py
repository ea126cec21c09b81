"""The token pair OneEntry returns from log-in and refresh."""

from __future__ import annotations

from pydantic import Field

from ._base import OneEntryModel

__all__ = ["AuthTokens"]


class AuthTokens(OneEntryModel):
    """Access and refresh tokens; kept out of repr so tracebacks and logs never show them."""

    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    user_identifier: str | None = None
    auth_provider_identifier: str | None = None
