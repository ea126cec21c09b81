"""Login, refresh rotation (single use, no device binding), access-token expiry, logout."""

from __future__ import annotations

import re

import pytest

from sandbox.oneentry import EmulatorState, RunningEmulator, serve_emulator
from tests.oneentry_emulator.api import (
    AUTH,
    OTHER_LOGIN,
    SHOPS,
    FakeClock,
    api_client,
    assert_error,
    auth_body,
    log_in,
    log_in_guest,
    shop_of,
)

REFRESH_TOKEN = re.compile(
    r"^\d{13}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


async def test_login_returns_a_token_pair(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        tokens = await log_in_guest(client, oneentry_emulator)
        me = await client.get("/api/content/users/me", params={"langCode": "en_US"})
    assert tokens["userIdentifier"] == "guest@shop.example"
    assert tokens["authProviderIdentifier"] == "email"
    assert tokens["accessToken"].count(".") == 2  # JWT-looking
    assert REFRESH_TOKEN.match(tokens["refreshToken"])
    assert me.status_code == 200
    assert me.json()["identifier"] == "guest@shop.example"
    assert "password" not in me.text


async def test_wrong_credentials_are_401_and_bad_auth_data_400(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        wrong = await client.post(f"{AUTH}/auth", json=auth_body("guest@shop.example", "nope"))
        empty = await client.post(f"{AUTH}/auth", json=auth_body("guest@shop.example", ""))
        extra = await client.post(
            f"{AUTH}/auth",
            json={"authData": [{"marker": "email_reg", "value": "x", "type": "string"}]},
        )
        missing = await client.post(f"{AUTH}/auth", json={"authData": []})
        provider = await client.post(
            "/api/content/users-auth-providers/marker/nope/users/auth",
            json=auth_body("guest@shop.example", "guest-password"),
        )
    assert_error(wrong, 401)
    assert_error(empty, 400)
    assert_error(extra, 400)
    assert_error(missing, 400)
    assert_error(provider, 404)


@pytest.mark.parametrize("oneentry_shop", SHOPS)
async def test_refresh_rotates_and_a_reused_refresh_token_is_401(
    oneentry_emulator: RunningEmulator,
) -> None:
    shop = shop_of(oneentry_emulator)
    async with api_client(oneentry_emulator) as client:
        first = await shop.log_in_guest(client)
        del client.headers["authorization"]  # the SDK's refresh sends no Bearer
        refresh = f"{shop.auth}/refresh"
        rotated = await client.post(refresh, json={"refreshToken": first["refreshToken"]})
        reused = await client.post(refresh, json={"refreshToken": first["refreshToken"]})
        second = rotated.json()
        again = await client.post(refresh, json={"refreshToken": second["refreshToken"]})
        nothing = await client.post(refresh, json={})
        client.headers["authorization"] = f"Bearer {second['accessToken']}"
        me = await client.get("/api/content/users/me")
    assert rotated.status_code == 201
    assert second["refreshToken"] != first["refreshToken"]
    assert second["accessToken"] != first["accessToken"]
    assert REFRESH_TOKEN.match(second["refreshToken"])
    assert_error(reused, 401, "Unauthorized")
    assert again.status_code == 201
    assert_error(nothing, 400)  # the SDK sends {} when it holds no refresh token
    assert me.status_code == 200
    assert oneentry_emulator.state.refresh_count == 2


@pytest.mark.parametrize("oneentry_shop", SHOPS)
async def test_a_refresh_from_another_device_is_not_refused(
    oneentry_emulator: RunningEmulator,
) -> None:
    """No device binding: SDK 1.0.149 refreshes from a module with another random device id
    than the one that logged in, so binding would break its own automatic refresh."""
    shop = shop_of(oneentry_emulator)
    async with api_client(oneentry_emulator, fingerprint="UQ_phone") as phone:
        tokens = await shop.log_in_guest(phone)
    async with api_client(oneentry_emulator, fingerprint="UQ_laptop") as laptop:
        elsewhere = await laptop.post(
            f"{shop.auth}/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
    async with api_client(oneentry_emulator, fingerprint="UQ_phone") as phone:
        reused = await phone.post(
            f"{shop.auth}/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
    assert elsewhere.status_code == 201
    assert elsewhere.json()["userIdentifier"] == oneentry_emulator.guest_login
    assert_error(reused, 401)  # burned by the other device's refresh


async def test_access_token_expires_after_its_ttl() -> None:
    clock = FakeClock()
    state = EmulatorState.from_seed(access_token_ttl=60, clock=clock)
    async with serve_emulator(state) as emulator, api_client(emulator) as client:
        tokens = await log_in_guest(client, emulator)
        clock.now += 59
        fresh = await client.get("/api/content/users/me")
        clock.now += 2
        stale = await client.get("/api/content/users/me")
        del client.headers["authorization"]
        renewed = await client.post(
            f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
        client.headers["authorization"] = f"Bearer {renewed.json()['accessToken']}"
        after = await client.get("/api/content/users/me")
    assert fresh.status_code == 200
    assert_error(stale, 401, "Unauthorized")
    assert after.status_code == 200


async def test_expire_tokens_control_expires_every_access_token(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as guest, api_client(oneentry_emulator) as other:
        await log_in_guest(guest, oneentry_emulator)
        await log_in(other, *OTHER_LOGIN)
        expired = await guest.post("/__sandbox__/tokens/expire")
        guest_me = await guest.get("/api/content/users/me")
        other_me = await other.get("/api/content/users/me")
        fresh = await log_in_guest(guest, oneentry_emulator)
        again = await guest.get("/api/content/users/me")
    assert expired.status_code == 200
    assert_error(guest_me, 401)
    assert_error(other_me, 401)
    assert fresh["accessToken"]
    assert again.status_code == 200


async def test_logout_burns_the_refresh_token(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        tokens = await log_in_guest(client, oneentry_emulator)
        out = await client.post(f"{AUTH}/logout", json={"refreshToken": tokens["refreshToken"]})
        del client.headers["authorization"]
        refresh = await client.post(
            f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
    assert out.status_code == 201
    assert out.json() is True
    assert_error(refresh, 401)


async def test_auth_providers_list_is_an_array(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        listing = await client.get(
            "/api/content/users-auth-providers",
            params={"langCode": "ru_RU", "offset": 0, "limit": 30},
        )
        one = await client.get("/api/content/users-auth-providers/marker/email")
    assert isinstance(listing.json(), list)
    assert listing.json()[0]["identifier"] == "email"
    assert listing.json()[0]["localizeInfos"] == {"title": "Электронная почта"}
    assert one.json()["config"]["accessTokenTtlSec"] == "3600"


async def test_the_market_guest_logs_in_with_its_phone_provider(
    market_emulator: RunningEmulator,
) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        tokens = await shop.log_in_guest(client)
        me = (await client.get("/api/content/users/me")).json()
        wrong_provider = await client.post(
            "/api/content/users-auth-providers/marker/email/users/auth",
            json=shop.auth_body("bot-guest", "market-guest-pin"),
        )
        wrong_markers = await client.post(
            f"{shop.auth}/auth", json=auth_body("bot-guest", "market-guest-pin")
        )
    assert shop.auth.endswith("/marker/phone_auth/users")
    assert (shop.login_marker, shop.password_marker) == ("login_phone", "login_pin")
    assert tokens["userIdentifier"] == "bot-guest"
    assert tokens["authProviderIdentifier"] == "phone_auth"
    assert me["identifier"] == "bot-guest"
    assert me["groups"] == ["bot_guests"]
    assert_error(wrong_provider, 404)
    assert_error(wrong_markers, 400, "Login or password values are missed")
