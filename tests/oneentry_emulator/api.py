"""Plain-httpx helpers for talking to the emulator the way the SDK does (not the bot's client)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from sandbox.oneentry import RunningEmulator
from tests.contract.sdk_runner import sample_value

AUTH = "/api/content/users-auth-providers/marker/email/users"
STORAGE = "/api/content/orders-storage/marker/guest_orders"
ORDERS = f"{STORAGE}/orders"
SESSIONS = "/api/content/payments/sessions"
OTHER_LOGIN = ("other@shop.example", "other-password")


def device_metadata(fingerprint: str = "UQ_test-device") -> str:
    """The `x-device-metadata` string the SDK builds under Node.js."""
    return json.dumps(
        {
            "fingerprint": fingerprint,
            "deviceInfo": {"os": "Node.js", "browser": "Node.js/test", "location": "en-US"},
        }
    )


def api_client(emulator: RunningEmulator, fingerprint: str = "UQ_test-device") -> httpx.AsyncClient:
    """An httpx client with the headers every SDK request carries."""
    return httpx.AsyncClient(
        base_url=emulator.url,
        headers={
            "content-type": "application/json",
            "x-app-token": emulator.app_token,
            "x-device-metadata": device_metadata(fingerprint),
        },
        timeout=5.0,
    )


def auth_body(login: str, password: str) -> dict[str, Any]:
    return {
        "authData": [
            {"marker": "email_reg", "value": login},
            {"marker": "password_reg", "value": password},
        ]
    }


async def log_in(client: httpx.AsyncClient, login: str, password: str) -> dict[str, Any]:
    """Log in, keep the Bearer on the client, return the token body."""
    response = await client.post(f"{AUTH}/auth", json=auth_body(login, password))
    assert response.status_code == 201, response.text
    tokens = response.json()
    client.headers["authorization"] = f"Bearer {tokens['accessToken']}"
    return tokens


async def log_in_guest(client: httpx.AsyncClient, emulator: RunningEmulator) -> dict[str, Any]:
    return await log_in(client, emulator.guest_login, emulator.guest_password)


def order_body(**overrides: Any) -> dict[str, Any]:
    """A valid create-order body as the SDK sends it (formData wrapped by language)."""
    body: dict[str, Any] = {
        "formIdentifier": "guest_order",
        "paymentAccountIdentifier": "cash",
        "formData": {
            "en_US": [
                {"marker": "guest_name", "type": "string", "value": "Ivan"},
                {"marker": "guest_phone", "type": "string", "value": "+79990000000"},
                {"marker": "guest_email", "type": "string", "value": "ivan@example.com"},
            ]
        },
        "products": [{"productId": 1, "quantity": 2}, {"productId": 2, "quantity": 1}],
    }
    body.update(overrides)
    return body


def form_fields(**values: Any) -> dict[str, list[dict[str, Any]]]:
    """The wrapped formData with some fields replaced (None drops a field)."""
    fields = {
        "guest_name": "Ivan",
        "guest_phone": "+79990000000",
        "guest_email": "ivan@example.com",
    }
    fields.update(values)
    return {
        "en_US": [
            {"marker": marker, "type": "string", "value": value}
            for marker, value in fields.items()
            if value is not None
        ]
    }


async def create_order(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post(ORDERS, json=order_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response: httpx.Response, status: int, message: str | None = None) -> None:
    """The response is OneEntry's error body with this status (and message, when given)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["statusCode"] == status
    assert set(body) >= {"statusCode", "message", "error", "pageData", "timestamp"}
    assert body["timestamp"].endswith("Z")
    if message is not None:
        assert body["message"] == message


SHOPS = ("tea", "market")


class FakeClock:
    """A clock the test moves by hand, so token expiry and link delays need no waiting."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Shop:
    """What a test needs to talk to whichever shop an emulator plays, read from its definition:
    the guest's provider and markers, the storage, its form's fields, its accounts."""

    emulator: RunningEmulator
    provider: str
    login_marker: str
    password_marker: str
    storage: str
    form: str
    fields: tuple[str, str, str]
    phone: str  # a phone the form takes (in its mask, when it has one)
    extra: tuple[dict[str, Any], ...]  # the form's other required fields, filled in
    accounts: tuple[str, ...]
    other_login: tuple[str, str]

    @property
    def auth(self) -> str:
        return f"/api/content/users-auth-providers/marker/{self.provider}/users"

    @property
    def orders(self) -> str:
        return f"/api/content/orders-storage/marker/{self.storage}/orders"

    @property
    def statuses(self) -> Any:
        return self.emulator.state.behaviours.session_statuses

    def auth_body(self, login: str, password: str) -> dict[str, Any]:
        return {
            "authData": [
                {"marker": self.login_marker, "value": login},
                {"marker": self.password_marker, "value": password},
            ]
        }

    def order_body(self, lang: str = "en_US", **overrides: Any) -> dict[str, Any]:
        """A valid create-order body for this shop, its formData wrapped in `lang`."""
        name, phone, email = self.fields
        body: dict[str, Any] = {
            "formIdentifier": self.form,
            "paymentAccountIdentifier": self.accounts[0],
            "formData": {
                lang: [
                    {"marker": name, "type": "string", "value": "Ivan"},
                    {"marker": phone, "type": "string", "value": self.phone},
                    {"marker": email, "type": "string", "value": "ivan@example.com"},
                    *self.extra,
                ]
            },
            "products": [{"productId": 1, "quantity": 2}, {"productId": 2, "quantity": 1}],
        }
        body.update(overrides)
        return body

    async def log_in(self, client: httpx.AsyncClient, login: str, password: str) -> dict[str, Any]:
        response = await client.post(f"{self.auth}/auth", json=self.auth_body(login, password))
        assert response.status_code == 201, response.text
        tokens: dict[str, Any] = response.json()
        client.headers["authorization"] = f"Bearer {tokens['accessToken']}"
        return tokens

    async def log_in_guest(self, client: httpx.AsyncClient) -> dict[str, Any]:
        return await self.log_in(client, self.emulator.guest_login, self.emulator.guest_password)

    async def create_order(self, client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
        response = await client.post(self.orders, json=self.order_body(**overrides))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def create_session(self, client: httpx.AsyncClient, order_id: int) -> dict[str, Any]:
        response = await client.post(
            SESSIONS, json={"orderId": order_id, "type": "session", "automaticTaxEnabled": False}
        )
        assert response.status_code == 201, response.text
        session: dict[str, Any] = response.json()
        return session


def shop_of(emulator: RunningEmulator) -> Shop:
    """The `Shop` of the definition `emulator` plays."""
    state = emulator.state
    guest = state.shop.guest
    provider = state.auth_provider(guest["authProvider"])
    storage = state.storage(state.bot_settings().get("ONEENTRY_ORDER_STORAGE", "guest_orders"))
    form = state.form(storage["formIdentifier"])
    name, phone, email = (a["marker"] for a in form["attributes"][:3])
    required = [
        field
        for field in form["attributes"][3:]
        if "requiredValidator" in field.get("validators", {})
    ]
    mask = (form["attributes"][1]["validators"].get("fieldMaskValidator") or {}).get("maskValue")
    other = next(user for user in state.data["users"] if not user.get("guest"))
    return Shop(
        emulator=emulator,
        provider=provider["identifier"],
        login_marker=provider["loginMarker"],
        password_marker=provider["passwordMarker"],
        storage=storage["identifier"],
        form=form["identifier"],
        fields=(name, phone, email),
        phone="".join("9" if c in "9#_" else c for c in mask) if mask else "+79990000000",
        extra=tuple(
            {"marker": f["marker"], "type": f["type"], "value": sample_value(f)} for f in required
        ),
        accounts=tuple(storage["paymentAccountIdentifiers"]),
        other_login=(other["login"], other["password"]),
    )
