"""The one error type of the Telegram fake: an answer the way the Bot API server gives it."""

from __future__ import annotations

from typing import Any

# The prefix the real server puts before a description, by status code.
_PREFIXES = {
    400: "Bad Request: ",
    401: "Unauthorized",
    403: "Forbidden: ",
    404: "Not Found: ",
    409: "Conflict: ",
    429: "Too Many Requests: ",
    500: "Internal Server Error: ",
}


class BotApiError(Exception):
    """Raised anywhere in the fake; the app turns it into Telegram's error envelope.

    `detail` is the text after the status prefix, e.g. `message is not modified: ...`;
    `description` is the whole text as Telegram sends it.
    """

    def __init__(
        self,
        error_code: int,
        detail: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        self.error_code = error_code
        self.detail = detail
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id
        super().__init__(self.description)

    @property
    def description(self) -> str:
        prefix = _PREFIXES.get(self.error_code, "")
        if self.error_code == 401:
            return prefix
        return f"{prefix}{self.detail}"

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        parameters: dict[str, int] = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(detail: str) -> BotApiError:
    return BotApiError(400, detail)
