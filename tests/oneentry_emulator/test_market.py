"""The market shop as a client sees it: null prices and the price attribute, past orders and
their sessions, per-user visibility of history."""

from __future__ import annotations

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import SESSIONS, api_client, assert_error, shop_of

PRODUCTS = "/api/content/products"


async def test_prices_live_in_price_or_in_the_price_attribute(
    market_emulator: RunningEmulator,
) -> None:
    async with api_client(market_emulator) as client:
        priced = (await client.get(f"{PRODUCTS}/1")).json()
        by_attribute = (await client.get(f"{PRODUCTS}/9")).json()
        unpriced = (await client.get(f"{PRODUCTS}/16")).json()
        by_price = (
            await client.post(
                f"{PRODUCTS}/all",
                params={"sortKey": "price", "sortOrder": "ASC", "limit": 1000},
                json={"filter": []},
            )
        ).json()
        cheap = (
            await client.post(
                f"{PRODUCTS}/all",
                params={"limit": 1000},
                json={
                    "filter": [
                        {
                            "attributeMarker": "product_price",
                            "conditionMarker": "lth",
                            "conditionValue": 3,
                        }
                    ]
                },
            )
        ).json()
    assert priced["price"] == 18.9
    assert priced["attributeValues"]["product_price"]["value"] == 18.9
    assert priced["attributeValues"]["currency_code"] == {
        "type": "string",
        "value": "eur",
        "position": 1,
        "isIcon": False,
        "isProductPreview": False,
        "additionalFields": [],
    }
    assert by_attribute["price"] is None
    assert by_attribute["additional"] == {"prices": {"min": 0, "max": 0}}
    assert by_attribute["attributeValues"]["product_price"]["value"] == 7.9
    assert unpriced["price"] is None
    assert "product_price" not in unpriced["attributeValues"]
    assert list(unpriced["attributeValues"]) == ["currency_code", "description", "img"]
    prices = [p["price"] for p in by_price["items"]]
    priced_count = len(prices) - 8  # the hand-written products without a price come last
    assert prices[:priced_count] == sorted(prices[:priced_count])
    assert set(prices[priced_count:]) == {None}
    # the hand-written products (ids below 100; the generated series have prices of their own)
    assert {p["id"] for p in cheap["items"] if p["id"] < 100} == {3, 4, 13, 15}


async def test_orders_are_priced_from_the_price_attribute_when_price_is_null(
    market_emulator: RunningEmulator,
) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        created = await shop.create_order(
            client,
            products=[
                {"productId": 1, "quantity": 1},
                {"productId": 9, "quantity": 2},
                {"productId": 16, "quantity": 1},
            ],
        )
        read = (await client.get(f"{shop.orders}/{created['id']}")).json()
    assert created["id"] == 1001  # after the past orders' ids, never colliding
    assert created["totalSum"] == 34.7  # 18.90 + 2 × 7.90 + 0 for the product priced nowhere
    assert created["currency"] == "eur"
    assert created["statusIdentifier"] == "created"
    assert read["paymentStatusIdentifier"] == "inProgress-payment"
    assert read["paymentAccountLocalizeInfos"] == {"title": "PayPal"}
    assert [line["price"] for line in read["products"]] == [18.9, 7.9, 0.0]


async def test_the_guest_sees_its_past_orders_and_only_those(
    market_emulator: RunningEmulator,
) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as guest, api_client(market_emulator) as other:
        await shop.log_in_guest(guest)
        await shop.log_in(other, *shop.other_login)
        mine = (await guest.get(shop.orders, params={"limit": 100})).json()
        theirs = (await other.get(shop.orders, params={"limit": 100})).json()
        peek = await guest.get(f"{shop.orders}/125")
        typeless = (await guest.get(f"{shop.orders}/108")).json()
        statuses = (
            await guest.get(f"/api/content/orders-storage/marker/{shop.storage}/order-statuses")
        ).json()
    assert mine["total"] == len(mine["items"]) == 24
    assert [o["id"] for o in theirs["items"]] == [125, 126]
    assert_error(peek, 404)
    assert [f["type"] for f in typeless["formData"]] == ["string", None, "string"]
    assert typeless["totalSum"] == "8.25"  # 3 × 2.75, priced from the attribute
    assert all(status["isUsed"] for status in statuses)
    dates = [o["createdDate"] for o in mine["items"]]
    assert dates == sorted(dates)  # oldest first


async def test_a_past_unpaid_session_can_still_be_paid(market_emulator: RunningEmulator) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        [session] = (await client.get(f"{SESSIONS}/order/121")).json()
        before = (await client.get(f"{shop.orders}/121")).json()
        paid = await client.post(session["paymentUrl"])
        after = (await client.get(f"{shop.orders}/121")).json()
        [paid_session] = (await client.get(f"{SESSIONS}/order/121")).json()
    assert session["status"] == "pending"
    assert session["paymentUrl"] == f"{market_emulator.url}/pay/{session['id']}"
    assert before["paymentUrl"] == session["paymentUrl"]
    assert before["isCompleted"] is None
    assert "Paid, you can return to Telegram" in paid.text
    assert paid_session["status"] == "succeeded"
    assert (after["paymentStatusIdentifier"], after["isCompleted"]) == ("payment-done", True)


async def test_reset_brings_the_history_back(market_emulator: RunningEmulator) -> None:
    state = market_emulator.state
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        await shop.create_order(client)
        state.set_order_status(101, "cancelled_by_shop")
        await client.post("/__sandbox__/reset")
    assert len(state.orders) == 26 and 1001 not in state.orders
    assert state.orders[101].status_identifier == "delivered"
    assert state.next_order_id() == 1001
