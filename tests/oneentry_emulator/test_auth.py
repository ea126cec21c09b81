"""Login, refresh rotation and device binding, access-token expiry, logout."""

from __future__ import annotations

import re

from sandbox.oneentry import EmulatorState, RunningEmulator, serve_emulator
from tests.oneentry_emulator.api import (
    AUTH,
    OTHER_LOGIN,
    api_client,
    assert_error,
    auth_body,
    log_in,
    log_in_guest,
)

REFRESH_TOKEN = re.compile(
    r"^\d{13}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


class FakeClock:
    """A clock the test moves by hand, so token expiry needs no waiting."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


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


async def test_refresh_rotates_and_each_refresh_token_works_once(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        first = await log_in_guest(client, oneentry_emulator)
        del client.headers["authorization"]  # the SDK's refresh sends no Bearer
        rotated = await client.post(f"{AUTH}/refresh", json={"refreshToken": first["refreshToken"]})
        reused = await client.post(f"{AUTH}/refresh", json={"refreshToken": first["refreshToken"]})
        second = rotated.json()
        again = await client.post(f"{AUTH}/refresh", json={"refreshToken": second["refreshToken"]})
        client.headers["authorization"] = f"Bearer {second['accessToken']}"
        me = await client.get("/api/content/users/me")
    assert rotated.status_code == 201
    assert second["refreshToken"] != first["refreshToken"]
    assert second["accessToken"] != first["accessToken"]
    assert REFRESH_TOKEN.match(second["refreshToken"])
    assert_error(reused, 400)
    assert again.status_code == 201
    assert me.status_code == 200
    assert oneentry_emulator.state.refresh_count == 2


async def test_refresh_from_another_device_is_refused(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator, fingerprint="UQ_phone") as phone:
        tokens = await log_in_guest(phone, oneentry_emulator)
    async with api_client(oneentry_emulator, fingerprint="UQ_laptop") as laptop:
        stolen = await laptop.post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]})
    async with api_client(oneentry_emulator, fingerprint="UQ_phone") as phone:
        rightful = await phone.post(
            f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
    assert_error(stolen, 400)
    assert rightful.status_code == 201


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
    assert_error(refresh, 400)


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
