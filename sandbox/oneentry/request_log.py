"""The request log: what clients sent, for assertions, with secrets redacted.

Headers are lower-cased; `authorization` and `x-app-token` values become "<present>" so the log
can be printed or returned by the control API without leaking credentials. Bodies of login
calls are kept (tests assert on them) but their `authData` values are redacted too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

REDACTED = "<present>"
_SECRET_HEADERS = frozenset({"authorization", "x-app-token", "cookie"})


@dataclass
class RequestRecord:
    """One API call as the emulator saw it, and the status it answered (None: no answer)."""

    endpoint: str | None
    method: str
    path: str
    query: dict[str, str]
    status: int | None
    headers: dict[str, str]
    body: Any
    at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def redact_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-cased headers with credential values replaced by a marker."""
    headers: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        headers[name] = REDACTED if name in _SECRET_HEADERS else value.decode("latin-1")
    return headers


def redact_body(body: Any) -> Any:
    """The body with login `authData` values and refresh tokens replaced by a marker."""
    if not isinstance(body, dict):
        return body
    redacted = dict(body)
    if isinstance(redacted.get("authData"), list):
        redacted["authData"] = [
            {**item, "value": REDACTED} if isinstance(item, dict) and "value" in item else item
            for item in redacted["authData"]
        ]
    if "refreshToken" in redacted:
        redacted["refreshToken"] = REDACTED
    return redacted
