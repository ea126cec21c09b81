"""Reading a storage's orders newest first whichever way the project lists them, and stopping
at a date: a test per direction, on the market shop's 24 past orders, five to a page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oneentry_client import OneEntryClient
from sandbox.oneentry import RunningEmulator
from shop.storage_orders import ListOrder, StorageOrders, newest_first_key


@pytest.fixture
def oneentry_shop() -> str:
    return "market"


@pytest.fixture(params=["oldest_first", "newest_first"])
def direction(request: pytest.FixtureRequest, oneentry_emulator: RunningEmulator) -> str:
    oneentry_emulator.state.set_behaviour("orderListOrder", request.param)
    return request.param  # type: ignore[no-any-return]  # pytest types params as Any


async def everything(client: OneEntryClient) -> list[int]:
    """Every order, newest first, as the truth to compare with (one big page, sorted here)."""
    listing = await client.orders.list("market_orders", offset=0, limit=100)
    return [o.id for o in sorted(listing.items, key=newest_first_key, reverse=True)]


async def test_the_direction_is_learnt_and_the_newest_come_first(
    client: OneEntryClient, direction: str
) -> None:
    orders = StorageOrders(client, "market_orders", page_size=5)
    expected = await everything(client)
    assert len(expected) >= 20
    first = await orders.page(0, 5)
    assert [o.id for o in first.items] == expected[:5] and first.total == len(expected)
    assert orders.direction is ListOrder(direction.replace("_", " "))
    third = await orders.page(10, 5)
    assert [o.id for o in third.items] == expected[10:15]
    assert [o.id async for o in orders.newest_first()] == expected


async def test_a_scan_stops_at_its_date(client: OneEntryClient, direction: str) -> None:
    orders = StorageOrders(client, "market_orders", page_size=5)
    since = datetime.now(UTC) - timedelta(days=7)
    recent = [o async for o in orders.newest_first(since=since)]
    assert recent, "the market has orders of the last 7 days"
    assert all(o.created_date is not None and o.created_date >= since for o in recent)
    everyone = await client.orders.list("market_orders", offset=0, limit=100)
    expected = {
        o.id for o in everyone.items if o.created_date is not None and o.created_date >= since
    }
    assert {o.id for o in recent} == expected
