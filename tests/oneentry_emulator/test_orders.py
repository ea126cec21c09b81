"""Orders: validation against the storage's form and catalogue, server-side totals, isolation."""

from __future__ import annotations

import re

import pytest

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import (
    ORDERS,
    OTHER_LOGIN,
    STORAGE,
    api_client,
    assert_error,
    create_order,
    form_fields,
    log_in,
    log_in_guest,
    order_body,
)

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def test_create_order_computes_the_total_on_the_server(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        created = await create_order(
            client,
            products=[
                {"productId": 1, "quantity": 2, "price": 0.01},
                {"productId": 2, "quantity": 1},
            ],
        )
        read = (await client.get(f"{ORDERS}/{created['id']}", params={"langCode": "en_US"})).json()
    assert created["totalSum"] == 34.9  # 2 × 12.50 + 9.90, whatever the body claims
    assert created["currency"] == "usd"
    assert created["statusIdentifier"] == "inProgress"
    assert created["formData"][0] == {"marker": "guest_name", "type": "string", "value": "Ivan"}
    assert read["totalSum"] == "34.90"
    assert read["statusIdentifier"] == "inProgress"
    assert read["statusLocalizeInfos"] == {"title": "In progress"}
    assert read["paymentStatusIdentifier"] == "waiting"
    assert read["paymentAccountIdentifier"] == "cash"
    assert read["paymentAccountLocalizeInfos"] == {"title": "Cash"}
    line = read["products"][0]
    assert (line["id"], line["title"], line["price"], line["quantity"]) == (
        1,
        "Green tea Sencha",
        12.5,
        2,
    )
    assert read["paymentUrl"] is None
    assert read["isCompleted"] is None
    assert ISO_MS_Z.match(read["createdDate"])
    assert isinstance(read["formData"], list)
    assert len(oneentry_emulator.state.orders) == 1


async def test_flat_form_data_is_accepted(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        created = await create_order(client, formData=form_fields()["en_US"])
    assert len(created["formData"]) == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"formData": form_fields(guest_phone=None)},
            "formData's marker 'guest_phone' value is missing or incorrect",
        ),
        (
            {"formData": form_fields(guest_name="")},
            "formData's marker 'guest_name' value is missing or incorrect",
        ),
        (
            {"formData": form_fields(guest_email="not-an-email")},
            "formData's marker 'guest_email' value is missing or incorrect",
        ),
        (
            {"formData": form_fields(guest_name="", guest_email="bad")},
            "formData's marker 'guest_name' value is missing or incorrect",
        ),
        (
            {"formData": form_fields(guest_name=42)},
            "formData's marker 'guest_name' value is missing or incorrect",
        ),
        ({"formData": {"en_US": []}}, "empty form data section"),
        ({"formIdentifier": "feedback"}, "Incorrect formIdentifier"),
        (
            {"products": [{"productId": 999, "quantity": 1}]},
            "Product 999 not found or not available",
        ),
        ({"products": [{"productId": 15, "quantity": 1}]}, "Product 15 not found or not available"),
        (
            {"products": [{"productId": 1, "quantity": 0}]},
            "Quantity of product 1 must be a positive integer",
        ),
        (
            {"products": [{"productId": 1, "quantity": 1.5}]},
            "Quantity of product 1 must be a positive integer",
        ),
        (
            {"products": [{"productId": 1, "quantity": -2}]},
            "Quantity of product 1 must be a positive integer",
        ),
        (
            {"paymentAccountIdentifier": "invoice"},
            "Payment account 'invoice' is not linked to order storage 'guest_orders'",
        ),
    ],
)
async def test_invalid_orders_are_refused_and_not_stored(
    oneentry_emulator: RunningEmulator, overrides: dict, message: str
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        response = await client.post(ORDERS, json=order_body(**overrides))
    assert_error(response, 400, message)
    assert oneentry_emulator.state.orders == {}


async def test_orders_are_visible_only_to_their_user(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as guest, api_client(oneentry_emulator) as other:
        await log_in_guest(guest, oneentry_emulator)
        await log_in(other, *OTHER_LOGIN)
        order = await create_order(guest)
        theirs = await create_order(other)
        peek = await other.get(f"{ORDERS}/{order['id']}")
        overwrite = await other.put(f"{ORDERS}/{order['id']}", json=order_body())
        sessions = await other.get(f"/api/content/payments/sessions/order/{order['id']}")
        guest_list = (await guest.get(ORDERS, params={"offset": 0, "limit": 30})).json()
        other_list = (await other.get(ORDERS, params={"offset": 0, "limit": 30})).json()
    assert_error(peek, 404)
    assert_error(overwrite, 404)
    assert_error(sessions, 404)
    assert set(guest_list) == {"items", "total"}
    assert [o["id"] for o in guest_list["items"]] == [order["id"]]
    assert [o["id"] for o in other_list["items"]] == [theirs["id"]]
    assert guest_list["total"] == other_list["total"] == 1


async def test_order_list_pages_newest_first(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        ids = [(await create_order(client))["id"] for _ in range(3)]
        page = (await client.get(ORDERS, params={"offset": 1, "limit": 1})).json()
    assert page["total"] == 3
    assert [o["id"] for o in page["items"]] == [ids[1]]


async def test_update_replaces_data_and_honours_a_known_status_marker(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order = await create_order(client)
        updated = await client.put(
            f"{ORDERS}/{order['id']}",
            params={"langCode": "en_US"},
            json=order_body(products=[{"productId": 3, "quantity": 1}], statusMarker="cancelled"),
        )
        unknown = await client.put(
            f"{ORDERS}/{order['id']}", json=order_body(statusMarker="teleported")
        )
        read = (await client.get(f"{ORDERS}/{order['id']}")).json()
    assert updated.status_code == 200
    assert updated.json()["totalSum"] == 18.0
    assert_error(unknown, 400)
    assert read["statusIdentifier"] == "cancelled"
    assert read["totalSum"] == "18.00"


async def test_storage_and_statuses_shapes(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        storages = (await client.get("/api/content/orders-storage")).json()
        storage = (await client.get(STORAGE, params={"langCode": "ru_RU"})).json()
        statuses = (await client.get(f"{STORAGE}/order-statuses")).json()
        missing = await client.get("/api/content/orders-storage/marker/nope")
    assert isinstance(storages, list)
    assert storage["formIdentifier"] == "guest_order"
    assert storage["paymentAccountIdentifiers"] == [
        {"identifier": "cash"},
        {"identifier": "stripe"},
    ]
    assert storage["localizeInfos"] == {"title": "Гостевые заказы"}
    assert isinstance(statuses, list)
    assert [s["identifier"] for s in statuses] == [
        "inProgress",
        "paid_for",
        "shipped",
        "completed",
        "cancelled",
    ]
    assert [s["identifier"] for s in statuses if s["isDefault"]] == ["inProgress"]
    assert_error(missing, 404)
