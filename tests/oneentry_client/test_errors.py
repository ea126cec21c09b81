"""The status → error table, the blamed form field, and errors that never carry secrets."""

from __future__ import annotations

import httpx
import pytest

from oneentry_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GuestCredentials,
    NotFoundError,
    OneEntryClient,
    OneEntryError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnavailableError,
)
from oneentry_client.errors import error_message_from_body, make_status_error


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (405, APIStatusError),
        (422, APIStatusError),
    ],
)
def test_status_table(status: int, error_class: type[APIStatusError]) -> None:
    error = make_status_error(status, body={}, method="GET", path="/api/x", message="m")
    assert type(error) is error_class
    assert (error.status, error.method, error.path) == (status, "GET", "/api/x")


def test_one_except_catches_oneentry_being_down() -> None:
    server = make_status_error(503, body={}, method="GET", path="/p", message="down")
    for error in (server, APIConnectionError("refused"), APITimeoutError("slow")):
        assert isinstance(error, UnavailableError)
    assert isinstance(server, APIStatusError)


def test_outcome_unknown_is_not_retryable_unavailability() -> None:
    assert not issubclass(OutcomeUnknownError, UnavailableError)
    assert issubclass(OutcomeUnknownError, OneEntryError)


def test_rate_limit_carries_retry_after() -> None:
    error = make_status_error(
        429, body={}, method="GET", path="/p", message="Too Many Requests", retry_after=7.0
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("formData's marker 'guest_email' value is missing or incorrect", "guest_email"),
        ("formData's marker 'first_nme' value is missing or incorrect", "first_nme"),
        ("Incorrect formIdentifier", None),
        ("Missing x-device-metadata header", None),
    ],
)
def test_bad_request_field(message: str, field: str | None) -> None:
    error = make_status_error(400, body={}, method="POST", path="/p", message=message)
    assert isinstance(error, BadRequestError)
    assert error.field == field


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"statusCode": 400, "message": "Incorrect formIdentifier"}, "Incorrect formIdentifier"),
        (
            {"statusCode": 400, "message": ["a must be set", "b too long"]},
            "a must be set; b too long",
        ),
        ({"statusCode": 500}, "fallback"),
        ("<html>Bad gateway</html>", "fallback"),
        (None, "fallback"),
    ],
)
def test_error_message_from_body(body: object, expected: str) -> None:
    assert error_message_from_body(body, "fallback") == expected


def test_str_names_the_call() -> None:
    error = make_status_error(
        404, body={}, method="GET", path="/api/content/products/9", message="Not found"
    )
    assert str(error) == "404 GET /api/content/products/9: Not found"


async def test_str_of_an_error_never_holds_a_token_or_password() -> None:
    """Even when the server echoes a secret back in its message, it is scrubbed out."""
    access, refresh, password = "eyJ.access.token", "1714557670334-refresh", "hunter2-pass"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/auth"):
            return httpx.Response(200, json={"accessToken": access, "refreshToken": refresh})
        leaked = f"bad token {access} / {refresh} / {password} / app-secret"
        return httpx.Response(400, json={"statusCode": 400, "message": leaked})

    credentials = GuestCredentials(login="guest@shop.example", password=password)
    async with OneEntryClient(
        "http://oneentry.test",
        "app-secret",
        credentials=credentials,
        transport=httpx.MockTransport(handler),
        retry_base_delay=0,
    ) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.orders.get("guest_orders", 1)
    text = f"{caught.value} {caught.value!r} {caught.value.message}"
    for secret in (access, refresh, password, "app-secret"):
        assert secret not in text
    assert password not in repr(credentials)
