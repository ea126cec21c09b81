"""Control endpoints: the request log and its redaction, staff status changes, reset."""

from __future__ import annotations

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import (
    ORDERS,
    api_client,
    assert_error,
    create_order,
    log_in_guest,
)


async def test_request_log_redacts_credentials(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        tokens = await log_in_guest(client, oneentry_emulator)
        await client.get("/api/content/products/1", params={"langCode": "ru_RU"})
        log = (await client.get("/__sandbox__/requests")).json()
    login, product = log
    assert login["endpoint"] == "auth.login"
    assert login["method"] == "POST"
    assert login["status"] == 201
    assert login["headers"]["x-app-token"] == "<present>"
    assert login["body"]["authData"][0] == {"marker": "email_reg", "value": "<present>"}
    assert product["endpoint"] == "products.by_id"
    assert product["path"] == "/api/content/products/1"
    assert product["query"] == {"langCode": "ru_RU"}
    assert product["headers"]["authorization"] == "<present>"
    assert "x-device-metadata" in product["headers"]
    flat = str(log)
    for secret in (
        oneentry_emulator.app_token,
        oneentry_emulator.guest_password,
        tokens["accessToken"],
    ):
        assert secret not in flat


async def test_request_log_can_be_cleared(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await client.get("/api/content/product-statuses")
        await client.delete("/__sandbox__/requests")
        log = (await client.get("/__sandbox__/requests")).json()
    assert log == []


async def test_staff_status_changes_show_in_order_reads(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order = await create_order(client)
        shipped = await client.post(
            f"/__sandbox__/orders/{order['id']}/status", json={"statusIdentifier": "shipped"}
        )
        paid = await client.post(
            f"/__sandbox__/orders/{order['id']}/payment-status",
            json={"paymentStatusIdentifier": "paid"},
        )
        unknown = await client.post(
            f"/__sandbox__/orders/{order['id']}/status", json={"statusIdentifier": "lost"}
        )
        missing = await client.post(
            "/__sandbox__/orders/1/status", json={"statusIdentifier": "shipped"}
        )
        read = (await client.get(f"{ORDERS}/{order['id']}", params={"langCode": "ru_RU"})).json()
    assert shipped.status_code == paid.status_code == 200
    assert read["statusIdentifier"] == "shipped"
    assert read["statusLocalizeInfos"] == {"title": "Отправлен"}
    assert read["paymentStatusIdentifier"] == "paid"
    assert read["isCompleted"] is True
    assert_error(unknown, 400)
    assert_error(missing, 404)


async def test_reset_returns_to_the_seed(oneentry_emulator: RunningEmulator) -> None:
    state = oneentry_emulator.state
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        await create_order(client)
        state.add_fault("products.by_id", count=5)
        state.set_latency("*", 1)
        reset = await client.post("/__sandbox__/reset")
        me = await client.get("/api/content/users/me")
        product = await client.get("/api/content/products/1")
    assert reset.status_code == 200
    assert state.orders == {}
    assert state.pending_faults() == []
    assert_error(me, 401)  # tokens are forgotten too
    assert product.status_code == 200
    assert [r.endpoint for r in state.requests] == ["users.me", "products.by_id"]
