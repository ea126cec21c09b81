"""The header rules every OneEntry request is held to."""

from __future__ import annotations

import httpx
import pytest

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import (
    ORDERS,
    SHOPS,
    api_client,
    assert_error,
    auth_body,
    log_in_guest,
    order_body,
)


@pytest.mark.parametrize("oneentry_shop", SHOPS)
async def test_missing_or_wrong_app_token_is_403_resource_is_closed(
    oneentry_emulator: RunningEmulator,
) -> None:
    """The platform rules' answer (reference, Cautions); a 401 would send the SDK into a
    refresh that cannot help."""
    tokens = {"sandbox-app-token", "market-app-token"}
    [other_shop] = tokens - {oneentry_emulator.app_token}  # the other bundled shop's token
    async with httpx.AsyncClient(base_url=oneentry_emulator.url) as client:
        no_token = await client.get("/api/content/product-statuses")
        wrong = await client.get("/api/content/product-statuses", headers={"x-app-token": "nope"})
        another_projects = await client.post(
            "/api/content/products/all",
            json={"filter": []},
            headers={"x-app-token": other_shop, "x-device-metadata": "{}"},
        )
        locales = await client.get(
            "/api/content/locales/active/all", headers={"x-app-token": "nope"}
        )
    for response in (no_token, wrong, another_projects, locales):
        assert_error(response, 403, "Resource is closed")


async def test_post_without_device_metadata_is_400(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        del client.headers["x-device-metadata"]
        response = await client.post(
            "/api/content/users-auth-providers/marker/email/users/auth",
            json=auth_body(oneentry_emulator.guest_login, oneentry_emulator.guest_password),
        )
        listing = await client.post("/api/content/products/all", json={"filter": []})
        reading = await client.get("/api/content/products/1")
    assert_error(response, 400, "Missing x-device-metadata header")
    assert_error(listing, 400, "Missing x-device-metadata header")
    assert reading.status_code == 200  # GETs need no device metadata


async def test_user_endpoints_need_a_bearer(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        calls = [
            await client.get("/api/content/users/me"),
            await client.get("/api/content/orders-storage"),
            await client.get("/api/content/orders-storage/marker/guest_orders"),
            await client.get(ORDERS),
            await client.post(ORDERS, json=order_body()),
            await client.get("/api/content/payments/accounts"),
            await client.get("/api/content/payments/sessions/order/1001"),
            await client.get("/api/content/payments/sessions/", params={"offset": 0, "limit": 30}),
        ]
        client.headers["authorization"] = "Bearer not-a-token"
        calls.append(await client.get("/api/content/users/me"))
    for response in calls:
        assert_error(response, 401, "Unauthorized")


async def test_public_endpoints_ignore_an_expired_bearer(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        oneentry_emulator.state.expire_access_tokens()
        products = await client.post("/api/content/products/all", json={"filter": []})
        form = await client.get("/api/content/forms/marker/guest_order")
        me = await client.get("/api/content/users/me")
    assert products.status_code == 200
    assert form.status_code == 200
    assert_error(me, 401, "Unauthorized")


async def test_unknown_path_answers_the_error_body(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        response = await client.get("/api/content/no-such-module")
    assert_error(response, 404, "Cannot GET /api/content/no-such-module")
