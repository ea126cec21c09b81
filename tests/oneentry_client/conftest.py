"""A client wired to a fresh emulator per test, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from oneentry_client import FormField, GuestCredentials, OneEntryClient, OrderCreate, OrderProduct

ClientFactory = Callable[..., AbstractAsyncContextManager[OneEntryClient]]


def guest_credentials(emulator: Any) -> GuestCredentials:
    return GuestCredentials(login=emulator.guest_login, password=emulator.guest_password)


@pytest.fixture
def make_client(oneentry_emulator: Any) -> ClientFactory:
    """Build clients on the emulator; backoff is injected as zero so no test waits on it."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[OneEntryClient]:
        options: dict[str, Any] = {
            "credentials": guest_credentials(oneentry_emulator),
            "retry_base_delay": 0,
            "max_retries": 2,
            "timeout": httpx.Timeout(10, connect=5),
        }
        options.update(overrides)
        url = options.pop("project_url", oneentry_emulator.url)
        async with OneEntryClient(url, oneentry_emulator.app_token, **options) as client:
            yield client

    return factory


@pytest.fixture
async def client(make_client: ClientFactory) -> AsyncIterator[OneEntryClient]:
    async with make_client() as built:
        yield built


def guest_order(account: str = "cash", **field_values: str) -> OrderCreate:
    """The scenario's order: the three guest fields and two products."""
    values = {
        "guest_name": "Ivan",
        "guest_phone": "+79990000000",
        "guest_email": "ivan@example.com",
        **field_values,
    }
    return OrderCreate(
        form_identifier="guest_order",
        payment_account_identifier=account,
        form_data=[FormField(marker=m, type="string", value=v) for m, v in values.items() if v],
        products=[OrderProduct(product_id=1, quantity=2), OrderProduct(product_id=2, quantity=1)],
    )


def records(emulator: Any, endpoint: str) -> list[Any]:
    """The emulator's request log for one endpoint."""
    return [record for record in emulator.state.requests if record.endpoint == endpoint]
