"""Errors raised by the OneEntry client, split by cause first and HTTP status second.

    OneEntryError                  status, message, method, path (never a token or query value)
    ├── UnavailableError           "OneEntry is down": tell the customer to retry later
    │   ├── APIConnectionError     no usable response (refused, reset, broken)
    │   │   └── APITimeoutError    a connect, pool, read or write timeout
    │   └── ServerError            5xx (also an APIStatusError)
    ├── APIStatusError             a 4xx/5xx response: status, body, method, path
    │   ├── BadRequestError        400, `.field` = the form marker OneEntry blamed, if it named one
    │   ├── AuthenticationError    401 that survived one refresh/re-login
    │   ├── PermissionDeniedError  403 (often "Resource is closed": an admin-panel setting)
    │   ├── NotFoundError          404
    │   ├── ConflictError          409
    │   ├── RateLimitError         429, `.retry_after` seconds when the server said
    │   └── ServerError            5xx
    ├── OutcomeUnknownError        a POST that creates something may have reached the server before
    │                              the connection failed: do NOT blindly send it again
    └── ResponseValidationError    a 2xx body that does not fit its model

OutcomeUnknownError is deliberately not an UnavailableError: "try again" is the wrong reaction
to it, because a retry may create a second order or payment session.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "NotFoundError",
    "OneEntryError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "UnavailableError",
    "error_message_from_body",
    "make_status_error",
]


class OneEntryError(Exception):
    """Base of every error the client raises; carries which call failed and why."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path

    def __str__(self) -> str:
        where = f"{self.method} {self.path}" if self.method and self.path else None
        status = str(self.status) if self.status is not None else None
        prefix = " ".join(part for part in (status, where) if part)
        return f"{prefix}: {self.message}" if prefix else self.message


class UnavailableError(OneEntryError):
    """OneEntry could not serve the request: down, unreachable, too slow or failing."""


class APIConnectionError(UnavailableError):
    """No usable response arrived (connection refused, reset, protocol error)."""


class APITimeoutError(APIConnectionError):
    """A connect, pool, read or write timeout expired."""


class OutcomeUnknownError(OneEntryError):
    """A creating POST may have been processed although no response arrived."""


class ResponseValidationError(OneEntryError):
    """A successful response whose body does not fit the expected model."""

    def __init__(self, message: str, *, body: Any = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.body = body


class APIStatusError(OneEntryError):
    """OneEntry answered with a 4xx or 5xx status."""

    def __init__(
        self, message: str, *, status: int, body: Any = None, method: str, path: str
    ) -> None:
        super().__init__(message, status=status, method=method, path=path)
        self.body = body


_MARKER_IN_MESSAGE = re.compile(r"marker '([^']+)'")


class BadRequestError(APIStatusError):
    """400: the request was refused as invalid; `.field` names the blamed form marker."""

    @property
    def field(self) -> str | None:
        """The form marker named in e.g. "formData's marker 'guest_email' value is missing"."""
        match = _MARKER_IN_MESSAGE.search(self.message)
        return match.group(1) if match else None


class AuthenticationError(APIStatusError):
    """401 even after one refresh (or re-login) and one replay."""


class PermissionDeniedError(APIStatusError):
    """403: the entity is closed to the API or the user's group lacks a rule."""


class NotFoundError(APIStatusError):
    """404: no such product, form, storage, order or session."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the entity's current state."""


class RateLimitError(APIStatusError):
    """429: too many requests; `.retry_after` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class ServerError(APIStatusError, UnavailableError):
    """5xx: OneEntry failed; also an UnavailableError so one except catches "OneEntry is down"."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_message_from_body(body: Any, fallback: str) -> str:
    """OneEntry's `message` is a string or a list of strings; anything else falls back."""
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, list):
        parts = [str(part) for part in message if part not in (None, "")]
        return "; ".join(parts) if parts else fallback
    if isinstance(message, str) and message:
        return message
    return fallback


def make_status_error(
    status: int,
    *,
    body: Any,
    method: str,
    path: str,
    message: str,
    retry_after: float | None = None,
) -> APIStatusError:
    """The one status → error class table."""
    context: dict[str, Any] = {"status": status, "body": body, "method": method, "path": path}
    if status == 429:
        return RateLimitError(message, retry_after=retry_after, **context)
    if status >= 500:
        return ServerError(message, **context)
    return _STATUS_ERRORS.get(status, APIStatusError)(message, **context)
