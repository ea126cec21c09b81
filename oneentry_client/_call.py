"""The description of one API call, as resource methods hand it to the pipeline."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from .retry import RetryPolicy

__all__ = ["ApiCall", "AuthMode"]

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


class AuthMode(enum.Enum):
    """Whether a call needs the guest user's token."""

    NONE = "none"
    """Log-in and refresh: never send a Bearer, never recover from 401."""

    OPTIONAL = "optional"
    """Public endpoints: send the Bearer if one is held (as the SDK does)."""

    USER = "user"
    """User endpoints (orders, payments): log in first if no token is held."""


@dataclass(frozen=True, slots=True)
class ApiCall:
    """Method, path, query, body and the rules the pipeline applies to one call."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    auth: AuthMode = AuthMode.OPTIONAL
    retry: RetryPolicy = RetryPolicy.IDEMPOTENT
    lang: str | None = None
    """The language whose keyed maps are unwrapped in the response."""

    recover_auth: bool = True
    """Refresh (or log in) and replay once on a 401."""

    @property
    def endpoint(self) -> str:
        """The call's method and path with its numeric ids as `{id}`, like
        `GET /api/content/products/{id}`: a name that groups the calls of one endpoint (the
        markers left in the path come from the shop's settings, so there are few of them)."""
        return f"{self.method} {_ID_SEGMENT.sub('/{id}', self.path)}"
