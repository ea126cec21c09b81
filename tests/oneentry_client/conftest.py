"""A client wired to a fresh emulator per test, over real HTTP on 127.0.0.1 (built by the shared
`make_oneentry_client` of tests/fixtures/oneentry.py), and the order the tests place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from oneentry_client import FormField, OneEntryClient, OrderCreate, OrderProduct
from tests.fixtures.oneentry import ClientFactory


@pytest.fixture
async def client(make_oneentry_client: ClientFactory) -> AsyncIterator[OneEntryClient]:
    """A client with the shared factory's options: no backoff, two retries, 10 s to read."""
    async with make_oneentry_client() as built:
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
