"""Each failure the bot must tell apart, produced by the emulator over real HTTP."""

from __future__ import annotations

import logging
import socket
from typing import Any

import httpx
import pytest

from oneentry_client import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnavailableError,
)

from .conftest import guest_order, records


async def test_400_names_the_offending_field(client: Any) -> None:
    with pytest.raises(BadRequestError) as caught:
        await client.orders.create("guest_orders", guest_order(guest_email=""))
    assert caught.value.status == 400
    assert caught.value.field == "guest_email"


async def test_403(client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("forms.by_marker", status=403, message="Resource is closed")
    with pytest.raises(PermissionDeniedError) as caught:
        await client.forms.get("guest_order")
    assert caught.value.message == "Resource is closed"


async def test_404(client: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.products.get(999_999)
    assert caught.value.path == "/api/content/products/999999"


async def test_429_carries_retry_after(make_oneentry_client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", status=429, retry_after=5)
    async with make_oneentry_client(max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.products.get(1)
    assert caught.value.retry_after == 5


async def test_429_then_success_is_retried(client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", status=429, retry_after=0)
    assert (await client.products.get(1)).id == 1
    assert [r.status for r in records(oneentry_emulator, "products.by_id")] == [429, 200]


async def test_500_after_every_retry(client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", status=500, count=3)
    with pytest.raises(ServerError) as caught:
        await client.products.get(1)
    assert isinstance(caught.value, UnavailableError)
    assert len(records(oneentry_emulator, "products.by_id")) == 3


async def test_get_retried_after_503_then_succeeds(client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", status=503)
    assert (await client.products.get(1)).id == 1
    assert [r.status for r in records(oneentry_emulator, "products.by_id")] == [503, 200]


async def test_get_retried_after_a_dropped_connection(client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", kind="drop")
    assert (await client.products.get(1)).id == 1


async def test_create_order_is_never_replayed_after_a_5xx(
    client: Any, oneentry_emulator: Any
) -> None:
    oneentry_emulator.state.add_fault("orders.create", status=503)
    with pytest.raises(ServerError):
        await client.orders.create("guest_orders", guest_order())
    assert len(records(oneentry_emulator, "orders.create")) == 1
    assert len(oneentry_emulator.state.orders) == 0


async def test_dropped_connection_after_the_order_was_stored(
    client: Any, oneentry_emulator: Any
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    with pytest.raises(OutcomeUnknownError) as caught:
        await client.orders.create("guest_orders", guest_order())
    assert not isinstance(caught.value, UnavailableError)
    assert len(oneentry_emulator.state.orders) == 1
    assert len(records(oneentry_emulator, "orders.create")) == 1


async def test_dropped_connection_after_the_session_was_stored(
    client: Any, oneentry_emulator: Any
) -> None:
    created = await client.orders.create("guest_orders", guest_order("stripe"))
    oneentry_emulator.state.add_fault("payments.create_session", kind="drop_after_store")
    with pytest.raises(OutcomeUnknownError):
        await client.payments.create_session(created.id)
    assert len(records(oneentry_emulator, "payments.create_session")) == 1
    assert len(await client.payments.sessions_for_order(created.id)) == 1


async def test_connection_refused(make_oneentry_client: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    async with make_oneentry_client(project_url=f"http://127.0.0.1:{closed_port}") as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.products.get(1)
        assert not isinstance(caught.value, APITimeoutError)
        assert isinstance(caught.value, UnavailableError)
        # Nothing was sent, so a create is a plain connection error, not "outcome unknown".
        with pytest.raises(APIConnectionError):
            await client.orders.create("guest_orders", guest_order())


async def test_read_timeout(make_oneentry_client: Any, oneentry_emulator: Any) -> None:
    oneentry_emulator.state.add_fault("products.by_id", kind="timeout")
    async with make_oneentry_client(timeout=httpx.Timeout(0.2, connect=5), max_retries=0) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.products.get(1)
    assert isinstance(caught.value, UnavailableError)


async def test_timeout_on_create_order_is_outcome_unknown(
    client: Any, make_oneentry_client: Any, oneentry_emulator: Any
) -> None:
    await client.auth.login()
    oneentry_emulator.state.add_fault("orders.create", kind="timeout")
    async with make_oneentry_client(timeout=httpx.Timeout(0.2, connect=5)) as impatient:
        with pytest.raises(OutcomeUnknownError):
            await impatient.orders.create("guest_orders", guest_order())
    assert len(records(oneentry_emulator, "orders.create")) <= 1


async def test_logs_say_what_happened_without_personal_data(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await client.products.quick_search("Secret Customer Name")
        await client.orders.create("guest_orders", guest_order(guest_email="ivan@example.com"))
    ours = [r.getMessage() for r in caplog.records if r.name == "oneentry_client"]
    assert any("GET /api/content/products/quick/search -> 200" in line for line in ours)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Secret", "ivan@example.com", "+79990000000", "guest-password", "Bearer"):
        assert secret not in everything
