"""Injected faults and latency: each kind as a client sees it over the wire."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.oneentry.app import create_app
from sandbox.oneentry.endpoint_names import ENDPOINT_NAMES
from tests.oneentry_emulator.api import (
    ORDERS,
    api_client,
    assert_error,
    log_in_guest,
    order_body,
)

PRODUCT = "/api/content/products/1"


async def test_status_fault_answers_the_error_body_then_recovers(
    oneentry_emulator: RunningEmulator,
) -> None:
    oneentry_emulator.state.add_fault(
        "products.by_id", status=503, count=2, message="Down for a bit"
    )
    async with api_client(oneentry_emulator) as client:
        first = await client.get(PRODUCT)
        second = await client.get(PRODUCT)
        third = await client.get(PRODUCT)
    assert_error(first, 503, "Down for a bit")
    assert_error(second, 503)
    assert third.status_code == 200
    assert oneentry_emulator.state.pending_faults() == []


async def test_429_carries_retry_after(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        added = await client.post(
            "/__sandbox__/faults",
            json={"endpoint": "products.list", "kind": "status", "status": 429, "retry_after": 2},
        )
        limited = await client.post("/api/content/products/all", json={"filter": []})
    assert added.status_code == 201
    assert_error(limited, 429)
    assert limited.headers["retry-after"] == "2"


async def test_timeout_fault_never_answers(oneentry_emulator: RunningEmulator) -> None:
    oneentry_emulator.state.add_fault("products.by_id", kind="timeout")
    async with api_client(oneentry_emulator) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(PRODUCT, timeout=0.2)
        after = await client.get(PRODUCT)
    assert after.status_code == 200


async def test_held_request_is_let_go_when_the_emulator_stops(
    oneentry_emulator: RunningEmulator,
) -> None:
    oneentry_emulator.state.add_fault("products.by_id", kind="timeout")
    async with api_client(oneentry_emulator) as client:
        held = asyncio.create_task(client.get(PRODUCT, timeout=30))
        # Whether the request is already held or not yet arrived, stopping lets it go.
        oneentry_emulator.state.faults.release_held()
        with pytest.raises(httpx.TransportError):
            await asyncio.wait_for(held, timeout=5)


async def test_drop_closes_the_connection_before_handling(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        oneentry_emulator.state.add_fault("orders.create", kind="drop")
        with pytest.raises(httpx.TransportError):
            await client.post(ORDERS, json=order_body())
    assert oneentry_emulator.state.orders == {}


async def test_drop_after_store_stores_exactly_one_order(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
        with pytest.raises(httpx.TransportError):
            await client.post(ORDERS, json=order_body())
        listing = (await client.get(ORDERS)).json()
    assert len(oneentry_emulator.state.orders) == 1
    assert listing["total"] == 1
    logged = [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.create"]
    assert [r.status for r in logged] == [None]  # no answer reached the client


async def test_latency_knob_delays_one_endpoint(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        slow = await client.post(
            "/__sandbox__/latency", json={"endpoint": "products.by_id", "ms": 60_000}
        )
        with pytest.raises(httpx.ReadTimeout):
            await client.get(PRODUCT, timeout=0.2)
        other = await client.get("/api/content/products/ids", params={"ids": "2"})
        await client.post("/__sandbox__/latency", json={"endpoint": "products.by_id", "ms": 0})
        restored = await client.get(PRODUCT)
    assert slow.json() == {"products.by_id": 60_000}
    assert other.status_code == 200
    assert restored.status_code == 200


async def test_faults_are_listed_and_cleared(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await client.post("/__sandbox__/faults", json={"endpoint": "orders.get", "count": 3})
        await client.get(
            "/api/content/orders-storage/marker/guest_orders/orders/1",
            headers={"authorization": "Bearer x"},
        )
        listed = (await client.get("/__sandbox__/faults")).json()
        await client.delete("/__sandbox__/faults")
        after = (await client.get("/__sandbox__/faults")).json()
    assert [(f["endpoint"], f["remaining"], f["status"]) for f in listed] == [
        ("orders.get", 2, 503)
    ]
    assert after == []


async def test_unknown_endpoint_or_kind_is_400_naming_the_valid_ones(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        fault = await client.post("/__sandbox__/faults", json={"endpoint": "orders.make"})
        kind = await client.post(
            "/__sandbox__/faults", json={"endpoint": "orders.create", "kind": "explode"}
        )
        latency = await client.post("/__sandbox__/latency", json={"endpoint": "nope", "ms": 5})
    assert_error(fault, 400)
    assert "orders.create" in fault.json()["message"]
    assert_error(kind, 400)
    assert_error(latency, 400)


def test_every_endpoint_name_is_one_route(oneentry_state) -> None:
    app = create_app(oneentry_state)
    route_names = {getattr(route, "name", None) for route in app.routes}
    assert set(ENDPOINT_NAMES) <= route_names
