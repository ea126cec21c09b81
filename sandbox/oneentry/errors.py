"""Protocol errors and OneEntry's error body.

Endpoints raise `ProtocolError`; the app's exception handlers turn it (and Starlette's own
404/405) into the body the real API answers with, so clients parse one shape everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus

from starlette.responses import JSONResponse


def iso_now() -> str:
    """The current UTC time as OneEntry writes it: ISO 8601 with milliseconds and a Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_at(seconds: float) -> str:
    """A clock time (epoch seconds) as OneEntry writes dates."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ProtocolError(Exception):
    """An error answer of the emulated API: a status, a message and optional extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_body(status: int, message: str) -> dict[str, object]:
    """`{"statusCode", "message", "error", "pageData", "timestamp"}` as NestJS/OneEntry send it."""
    return {
        "statusCode": status,
        "message": message,
        "error": HTTPStatus(status).phrase,
        "pageData": None,
        "timestamp": iso_now(),
    }


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The error body as a response with the given status."""
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def bad_request(message: str) -> ProtocolError:
    """A 400 with OneEntry's wording, for validation failures."""
    return ProtocolError(400, message)


def unauthorized(message: str = "Unauthorized") -> ProtocolError:
    """A 401; the real API says just "Unauthorized" for a missing or expired Bearer."""
    return ProtocolError(401, message)


def not_found(message: str) -> ProtocolError:
    """A 404 naming what was not found."""
    return ProtocolError(404, message)
