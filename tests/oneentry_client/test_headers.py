"""The headers the emulator received, exactly as the official SDK sends them."""

from __future__ import annotations

import json
from typing import Any

from oneentry_client import OneEntryClient

from .conftest import guest_order, records


def lowered(headers: Any) -> dict[str, str]:
    return {str(name).lower(): value for name, value in dict(headers).items()}


async def test_headers_on_every_kind_of_call(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    await client.products.list(limit=2)
    created = await client.orders.create("guest_orders", guest_order())
    await client.payments.create_session(created.id)
    await client.payments.sessions_for_order(created.id)
    await client.auth.refresh()
    await client.orders.get("guest_orders", created.id)

    log = oneentry_emulator.state.requests
    assert {r.endpoint for r in log} >= {
        "products.list",
        "auth.login",
        "orders.create",
        "payments.create_session",
        "payments.sessions_by_order",
        "auth.refresh",
        "orders.get",
    }
    metadata_values = set()
    for record in log:
        headers = lowered(record.headers)
        # The log redacts the value; the emulator refuses a wrong app token, so 2xx proves it.
        assert "x-app-token" in headers, record.endpoint
        assert record.status < 300, record.endpoint
        assert headers.get("content-type") == "application/json", record.endpoint
        if record.method == "POST":
            metadata_values.add(headers.get("x-device-metadata"))
        else:
            assert "x-device-metadata" not in headers, record.endpoint
    assert metadata_values == {client.device_metadata}

    by_endpoint = {r.endpoint: lowered(r.headers) for r in log}
    assert "authorization" not in by_endpoint["products.list"]  # nothing held yet
    assert "authorization" not in by_endpoint["auth.login"]
    assert "authorization" not in by_endpoint["auth.refresh"]
    for endpoint in ("orders.create", "payments.create_session", "orders.get"):
        assert "authorization" in by_endpoint[endpoint], endpoint


async def test_device_metadata_is_the_sdk_node_format_and_stable(make_oneentry_client: Any) -> None:
    async with make_oneentry_client(device_id="abcdefghijklmnop") as client:
        assert client.device_metadata == (
            '{"fingerprint":"UQ_abcdefghijklmnop","deviceInfo":{"os":"Node.js",'
            '"browser":"Node.js/abcdefghij","location":"en-US"}}'
        )


async def test_create_order_sends_form_data_wrapped_per_language_and_no_lang_query(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    await client.orders.create("guest_orders", guest_order())
    (record,) = records(oneentry_emulator, "orders.create")
    assert not record.query
    body = record.body if isinstance(record.body, dict) else json.loads(record.body)
    assert list(body["formData"]) == ["en_US"]
    assert {f["marker"] for f in body["formData"]["en_US"]} == {
        "guest_name",
        "guest_phone",
        "guest_email",
    }
    assert body["products"] == [{"productId": 1, "quantity": 2}, {"productId": 2, "quantity": 1}]
