"""Log-in, single-flight refresh, rotating refresh tokens and the fallback to log-in."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from oneentry_client import AuthenticationError, OneEntryClient

from .conftest import records


async def burn_refresh_token(emulator: Any, client: OneEntryClient, refresh_token: str) -> int:
    """Use a refresh token behind the client's back (same device), as a second process might."""
    async with httpx.AsyncClient(base_url=emulator.url) as raw:
        response = await raw.post(
            "/api/content/users-auth-providers/marker/email/users/refresh",
            json={"refreshToken": refresh_token},
            headers={
                "x-app-token": emulator.app_token,
                "x-device-metadata": client.device_metadata,
            },
        )
    return response.status_code


async def test_fifty_concurrent_calls_on_an_expired_token_refresh_once(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    await client.orders.get_storage("guest_orders")
    oneentry_emulator.state.expire_access_tokens()

    results = await asyncio.gather(*(client.orders.get_storage("guest_orders") for _ in range(50)))

    assert {storage.identifier for storage in results} == {"guest_orders"}
    assert len(records(oneentry_emulator, "auth.refresh")) == 1
    assert len(records(oneentry_emulator, "auth.login")) == 1
    rejected = [
        r for r in records(oneentry_emulator, "orders.storage_by_marker") if r.status == 401
    ]
    assert 1 <= len(rejected) <= 50


async def test_refresh_rotates_and_a_reused_refresh_token_is_rejected(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    first = await client.auth.login()
    second = await client.auth.refresh()
    assert second.refresh_token != first.refresh_token

    # Documented: a refresh token works once; its re-use is 401.
    assert await burn_refresh_token(oneentry_emulator, client, first.refresh_token) == 401
    # The client's own, current token still works.
    await client.auth.refresh()


async def test_a_refused_refresh_falls_back_to_login(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    tokens = await client.auth.login()
    assert await burn_refresh_token(oneentry_emulator, client, tokens.refresh_token) < 300
    oneentry_emulator.state.expire_access_tokens()

    storage = await client.orders.get_storage("guest_orders")

    assert storage.identifier == "guest_orders"
    assert [r.status for r in records(oneentry_emulator, "auth.refresh")][-1] == 401
    assert len(records(oneentry_emulator, "auth.login")) == 2


async def test_an_expired_token_on_a_public_call_is_recovered(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    await client.auth.login()
    oneentry_emulator.state.expire_access_tokens()
    page = await client.products.list(limit=2)
    assert len(page.items) == 2


async def test_a_second_401_raises_authentication_error(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    await client.auth.login()
    oneentry_emulator.state.add_fault(
        "orders.storage_by_marker", kind="status", status=401, count=2
    )

    with pytest.raises(AuthenticationError) as caught:
        await client.orders.get_storage("guest_orders")

    assert caught.value.status == 401
    assert len(records(oneentry_emulator, "orders.storage_by_marker")) == 2
    assert len(records(oneentry_emulator, "auth.refresh")) == 1


async def test_wrong_password_is_an_error_not_a_loop(
    make_oneentry_client: Any, oneentry_emulator: Any
) -> None:
    from oneentry_client import APIStatusError, GuestCredentials

    wrong = GuestCredentials(login=oneentry_emulator.guest_login, password="not-the-password")
    async with make_oneentry_client(credentials=wrong) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.orders.get_storage("guest_orders")
    assert 400 <= (caught.value.status or 0) < 500
    assert "not-the-password" not in str(caught.value)
    assert len(records(oneentry_emulator, "auth.login")) == 1


async def test_public_reads_go_without_the_guest_token_a_project_refuses_for_them(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    """A project whose guest user group may not read the catalog answers 403 "Resource is
    closed" to a product read with the guest's token, and serves the same read without one."""
    oneentry_emulator.state.set_behaviour("productsNeedGroupRight", True)
    await client.orders.get_storage("guest_orders")  # logged in: a token is held now
    page = await client.products.list(limit=5)
    assert page.items
    product_reads = records(oneentry_emulator, "products.list")
    assert [r.status for r in product_reads] == [403, 200]
    assert (await client.products.list(limit=5)).items  # from now on straight without it
    assert [r.status for r in records(oneentry_emulator, "products.list")] == [403, 200, 200]
