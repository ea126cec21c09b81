"""The behaviour switches of a shop definition, each both ways (tea and market), and their
control at run time. Time moves by a fake clock or a control call; nothing sleeps."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.oneentry import EmulatorState, RunningEmulator, serve_emulator
from sandbox.oneentry.errors import ProtocolError
from tests.oneentry_emulator.api import (
    SESSIONS,
    SHOPS,
    FakeClock,
    Shop,
    api_client,
    assert_error,
    shop_of,
)

PRODUCTS = "/api/content/products"


async def _ids(client: httpx.AsyncClient, shop: Shop, **query: Any) -> list[int]:
    response = await client.get(shop.orders, params={"langCode": "en_US", **query})
    assert response.status_code == 200, response.text
    return [order["id"] for order in response.json()["items"]]


# -- orderListOrder -------------------------------------------------------------------------


@pytest.mark.parametrize(("oneentry_shop", "newest_first"), [("tea", True), ("market", False)])
async def test_order_list_order_and_paging_follow_the_shop(
    oneentry_emulator: RunningEmulator, newest_first: bool
) -> None:
    shop = shop_of(oneentry_emulator)
    state = oneentry_emulator.state
    guest = state.shop.guest["id"]
    past = sorted(
        (o for o in state.orders.values() if o.user_id == guest),
        key=lambda o: o.created_date,
    )
    async with api_client(oneentry_emulator) as client:
        await shop.log_in_guest(client)
        new = [(await shop.create_order(client))["id"] for _ in range(3)]
        everything = await _ids(client, shop, offset=0, limit=100)
        page = await _ids(client, shop, offset=1, limit=2)
    oldest_first = [o.id for o in past] + new
    expected = oldest_first[::-1] if newest_first else oldest_first
    assert everything == expected
    assert page == expected[1:3]


async def test_the_list_order_can_be_flipped_at_run_time(
    oneentry_emulator: RunningEmulator,
) -> None:
    shop = shop_of(oneentry_emulator)
    async with api_client(oneentry_emulator) as client:
        await shop.log_in_guest(client)
        new = [(await shop.create_order(client))["id"] for _ in range(3)]
        before = await _ids(client, shop)
        flipped = await client.post(
            "/__sandbox__/behaviours", json={"orderListOrder": "oldest_first"}
        )
        after = await _ids(client, shop)
    assert before == new[::-1]
    assert flipped.json()["orderListOrder"] == "oldest_first"
    assert after == new


# -- formDataAsLanguageMap ------------------------------------------------------------------


@pytest.mark.parametrize(("oneentry_shop", "as_map"), [("tea", False), ("market", True)])
async def test_form_data_read_in_another_language(
    oneentry_emulator: RunningEmulator, as_map: bool
) -> None:
    shop = shop_of(oneentry_emulator)
    async with api_client(oneentry_emulator) as client:
        await shop.log_in_guest(client)
        created = await shop.create_order(client)
        url = f"{shop.orders}/{created['id']}"
        same = (await client.get(url, params={"langCode": "en_US"})).json()
        default = (await client.get(url)).json()
        other = (await client.get(url, params={"langCode": "ru_RU"})).json()
        listed = (await client.get(shop.orders, params={"langCode": "ru_RU", "limit": 100})).json()
        in_russian = await shop.create_order(client, lang="ru_RU")
        russian = (
            await client.get(f"{shop.orders}/{in_russian['id']}", params={"langCode": "ru_RU"})
        ).json()
        russian_in_english = (
            await client.get(f"{shop.orders}/{in_russian['id']}", params={"langCode": "en_US"})
        ).json()
    fields = created["formData"]
    assert isinstance(fields, list) and len(fields) == 3 + len(shop.extra)  # always a list
    assert same["formData"] == default["formData"] == fields
    assert russian["formData"] == fields
    [listed_order] = [o for o in listed["items"] if o["id"] == created["id"]]
    if as_map:
        assert other["formData"] == {"en_US": fields}
        assert listed_order["formData"] == {"en_US": fields}
        assert russian_in_english["formData"] == {"ru_RU": fields}
    else:
        assert other["formData"] == listed_order["formData"] == fields
        assert russian_in_english["formData"] == fields


async def test_a_past_russian_order_read_in_english_is_a_language_map(
    market_emulator: RunningEmulator,
) -> None:
    shop = shop_of(market_emulator)
    [past] = [o for o in market_emulator.state.orders.values() if o.id == 104]
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        english = (await client.get(f"{shop.orders}/104", params={"langCode": "en_US"})).json()
        russian = (await client.get(f"{shop.orders}/104", params={"langCode": "ru_RU"})).json()
    assert past.form_lang == "ru_RU"
    assert english["formData"] == {"ru_RU": past.form_data}
    assert russian["formData"] == past.form_data


# -- paymentLinkDelaySeconds ----------------------------------------------------------------


async def test_a_delayed_link_appears_after_the_delay() -> None:
    clock = FakeClock()
    state = EmulatorState.from_shop("market", clock=clock)
    async with serve_emulator(state) as emulator, api_client(emulator) as client:
        shop = shop_of(emulator)
        await shop.log_in_guest(client)
        order = await shop.create_order(client)
        session = await shop.create_session(client, order["id"])
        order_url = f"{shop.orders}/{order['id']}"
        early = (await client.get(f"{SESSIONS}/{session['id']}")).json()
        early_order = (await client.get(order_url)).json()
        clock.now += 1.999
        still = (await client.get(f"{SESSIONS}/order/{order['id']}")).json()
        clock.now += 0.001
        late = (await client.get(f"{SESSIONS}/order/{order['id']}")).json()
        late_order = (await client.get(order_url)).json()
        listed = (await client.get(f"{SESSIONS}/")).json()
    link = f"{emulator.url}/pay/{session['id']}"
    assert session["paymentUrl"] is None
    assert session["amount"] is None  # PayPal is a custom account, not Stripe
    assert early["paymentUrl"] is None and early_order["paymentUrl"] is None
    assert still[0]["paymentUrl"] is None
    assert late[0]["paymentUrl"] == link
    assert late_order["paymentUrl"] == link
    assert [s["paymentUrl"] for s in listed["items"] if s["id"] == session["id"]] == [link]


async def test_publish_link_makes_a_delayed_link_appear_at_once(
    market_emulator: RunningEmulator,
) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        first = await shop.create_order(client)
        by_http = await shop.create_session(client, first["id"])
        published = await client.post(f"/__sandbox__/sessions/{by_http['id']}/publish-link")
        again = await client.post(f"/__sandbox__/sessions/{by_http['id']}/publish-link")
        read = (await client.get(f"{SESSIONS}/{by_http['id']}")).json()
        second = await shop.create_order(client)
        in_process = await shop.create_session(client, second["id"])
        market_emulator.state.publish_payment_link(in_process["id"])
        order = (await client.get(f"{shop.orders}/{second['id']}")).json()
        page = await client.get(order["paymentUrl"])
    assert by_http["paymentUrl"] is None
    assert published.status_code == again.status_code == 200
    assert published.json()["paymentUrl"] == f"{market_emulator.url}/pay/{by_http['id']}"
    assert read["paymentUrl"] == published.json()["paymentUrl"]
    assert order["paymentUrl"] == f"{market_emulator.url}/pay/{in_process['id']}"
    assert page.status_code == 200 and ">Pay</button>" in page.text


async def test_the_delay_is_set_at_run_time(market_emulator: RunningEmulator) -> None:
    shop = shop_of(market_emulator)
    async with api_client(market_emulator) as client:
        await shop.log_in_guest(client)
        delay_off = await client.post(
            "/__sandbox__/behaviours", json={"paymentLinkDelaySeconds": 0}
        )
        order = await shop.create_order(client)
        session = await shop.create_session(client, order["id"])
        market_emulator.state.set_payment_link_delay(2.0)
        delayed = await shop.create_session(client, order["id"])
    assert delay_off.json()["paymentLinkDelaySeconds"] == 0
    assert session["paymentUrl"] == f"{market_emulator.url}/pay/{session['id']}"
    assert delayed["paymentUrl"] is None


async def test_the_tea_shop_links_at_once_and_cash_has_no_link_to_publish(
    oneentry_emulator: RunningEmulator,
) -> None:
    shop = shop_of(oneentry_emulator)
    async with api_client(oneentry_emulator) as client:
        await shop.log_in_guest(client)
        stripe_order = await shop.create_order(client, paymentAccountIdentifier="stripe")
        stripe = await shop.create_session(client, stripe_order["id"])
        cash_order = await shop.create_order(client)
        cash = await shop.create_session(client, cash_order["id"])
        refused = await client.post(f"/__sandbox__/sessions/{cash['id']}/publish-link")
    assert oneentry_emulator.state.behaviours.payment_link_delay_seconds == 0
    assert stripe["paymentUrl"] == f"{oneentry_emulator.url}/pay/{stripe['id']}"
    assert cash["paymentUrl"] is None
    assert_error(refused, 400, f"Payment session {cash['id']} has no payment link")


# -- session status names -------------------------------------------------------------------


SESSION_NAMES = [
    ("tea", "stripe", ("waiting", "completed", "canceled", "expired"), "paid"),
    ("market", "paypal", ("pending", "succeeded", "voided", "timed_out"), "payment-done"),
]


@pytest.mark.parametrize(
    ("oneentry_shop", "account", "names", "paid_status"),
    SESSION_NAMES,
    ids=[row[0] for row in SESSION_NAMES],
)
async def test_session_status_names_follow_the_shop(
    oneentry_emulator: RunningEmulator,
    account: str,
    names: tuple[str, str, str, str],
    paid_status: str,
) -> None:
    initial, paid, canceled, expired = names
    shop = shop_of(oneentry_emulator)
    oneentry_emulator.state.set_payment_link_delay(0)

    async def new_session() -> tuple[dict[str, Any], dict[str, Any]]:
        order = await shop.create_order(client, paymentAccountIdentifier=account)
        return order, await shop.create_session(client, order["id"])

    async with api_client(oneentry_emulator) as client:
        await shop.log_in_guest(client)
        paid_order, to_pay = await new_session()
        await client.post(to_pay["paymentUrl"])
        _, to_cancel = await new_session()
        await client.get(f"{to_cancel['paymentUrl']}/cancel")
        _, to_expire = await new_session()
        expiry = await client.post(f"/__sandbox__/sessions/{to_expire['id']}/expire")
        late_pay = await client.post(to_expire["paymentUrl"])
        statuses = {
            s["id"]: s["status"] for s in (await client.get(f"{SESSIONS}/")).json()["items"]
        }
        order = (await client.get(f"{shop.orders}/{paid_order['id']}")).json()
    assert to_pay["status"] == initial
    assert statuses[to_pay["id"]] == paid
    assert statuses[to_cancel["id"]] == canceled
    assert expiry.json()["status"] == statuses[to_expire["id"]] == expired
    assert late_pay.status_code == 409
    assert order["isCompleted"] is True
    assert order["paymentStatusIdentifier"] == paid_status


async def test_expiring_a_paid_session_changes_nothing(market_emulator: RunningEmulator) -> None:
    state = market_emulator.state
    [paid] = [s for s in state.sessions.values() if s.order_id == 101]
    assert state.expire_session(paid.id).status == "succeeded"
    assert state.cancel_session(paid.id).status == "succeeded"


# -- productsNeedGroupRight -----------------------------------------------------------------


async def _product_reads(client: httpx.AsyncClient) -> list[httpx.Response]:
    return [
        await client.post(f"{PRODUCTS}/all", json={"filter": []}),
        await client.get(f"{PRODUCTS}/1"),
        await client.get(f"{PRODUCTS}/ids", params={"ids": "1,2"}),
        await client.get(f"{PRODUCTS}/quick/search", params={"name": "a"}),
    ]


@pytest.mark.parametrize("oneentry_shop", SHOPS)
async def test_products_need_the_users_group_right_when_switched_on(
    oneentry_emulator: RunningEmulator,
) -> None:
    shop = shop_of(oneentry_emulator)
    async with (
        api_client(oneentry_emulator) as guest,
        api_client(oneentry_emulator) as other,
        api_client(oneentry_emulator) as anonymous,
    ):
        await shop.log_in_guest(guest)
        await shop.log_in(other, *shop.other_login)
        off = await _product_reads(guest)
        switched = await guest.post(
            "/__sandbox__/behaviours", json={"productsNeedGroupRight": True}
        )
        closed = await _product_reads(guest)
        without_token = await _product_reads(anonymous)
        with_the_right = await _product_reads(other)
        not_products = [
            await guest.get("/api/content/product-statuses"),
            await guest.get(f"/api/content/forms/marker/{shop.form}"),
        ]
        oneentry_emulator.state.expire_access_tokens()
        dead_token = await _product_reads(guest)
    assert all(r.status_code == 200 for r in off)
    assert switched.json()["productsNeedGroupRight"] is True
    for response in closed:
        assert_error(response, 403, "Resource is closed")
    for response in (*without_token, *with_the_right, *not_products, *dead_token):
        assert response.status_code == 200, response.text


# -- the behaviours control -----------------------------------------------------------------


async def test_behaviours_control_validates_and_reset_restores(
    market_emulator: RunningEmulator,
) -> None:
    async with httpx.AsyncClient(base_url=market_emulator.url) as client:
        initial = (await client.get("/__sandbox__/behaviours")).json()
        bad = await client.post(
            "/__sandbox__/behaviours", json={"orderListOrder": "random", "colour": "blue"}
        )
        changed = await client.post(
            "/__sandbox__/behaviours",
            json={"formDataAsLanguageMap": False, "sessionStatuses": {"expired": "gone"}},
        )
        await client.post("/__sandbox__/reset")
        restored = (await client.get("/__sandbox__/behaviours")).json()
    assert initial == {
        "orderListOrder": "oldest_first",
        "formDataAsLanguageMap": True,
        "paymentLinkDelaySeconds": 2.0,
        "sessionStatuses": {
            "initial": "pending",
            "paid": "succeeded",
            "canceled": "voided",
            "expired": "timed_out",
            "alsoPaid": [],
        },
        "productsNeedGroupRight": False,
    }
    assert_error(bad, 400)
    assert "behaviours.orderListOrder must be one of" in bad.json()["message"]
    assert "behaviours.colour is not a behaviour switch" in bad.json()["message"]
    assert changed.json()["formDataAsLanguageMap"] is False
    assert changed.json()["sessionStatuses"]["expired"] == "gone"
    assert changed.json()["sessionStatuses"]["paid"] == "succeeded"
    assert restored == initial
    with pytest.raises(ProtocolError, match="must be true or false"):
        market_emulator.state.set_behaviour("productsNeedGroupRight", "yes")
