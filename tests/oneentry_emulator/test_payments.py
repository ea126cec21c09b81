"""Payment sessions: cash vs stripe, sessions by order (an array), the payment page."""

from __future__ import annotations

import httpx

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import (
    ORDERS,
    SESSIONS,
    api_client,
    assert_error,
    create_order,
    log_in_guest,
)


async def _order_and_session(client: httpx.AsyncClient, account: str) -> tuple[dict, dict]:
    order = await create_order(client, paymentAccountIdentifier=account)
    response = await client.post(
        SESSIONS, json={"orderId": order["id"], "type": "session", "automaticTaxEnabled": False}
    )
    assert response.status_code == 201, response.text
    return order, response.json()


async def test_cash_session_has_no_payment_url(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order, session = await _order_and_session(client, "cash")
        by_order = (await client.get(f"{SESSIONS}/order/{order['id']}")).json()
        by_id = (await client.get(f"{SESSIONS}/{session['id']}")).json()
    assert session["status"] == "waiting"
    assert session["paymentUrl"] is None
    assert session["orderId"] == order["id"]
    assert session["type"] == "session"
    assert session["paymentAccountId"] == 1
    assert isinstance(by_order, list)
    assert by_order == [by_id]


async def test_stripe_session_points_at_the_emulators_payment_page(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order, session = await _order_and_session(client, "stripe")
        read = (await client.get(f"{ORDERS}/{order['id']}")).json()
        page = await client.get(session["paymentUrl"])
    assert session["paymentUrl"] == f"{oneentry_emulator.url}/pay/{session['id']}"
    assert session["amount"] == 34.9
    assert read["paymentUrl"] == session["paymentUrl"]
    assert page.status_code == 200
    assert f"Order #{order['id']}" in page.text
    assert "Green tea Sencha" in page.text
    assert "34.90" in page.text
    assert ">Pay</button>" in page.text
    assert ">Cancel</a>" in page.text


async def test_paying_completes_the_session_and_the_order_twice_harmlessly(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order, session = await _order_and_session(client, "stripe")
        first = await client.post(session["paymentUrl"])
        second = await client.post(session["paymentUrl"])
        sessions = (await client.get(f"{SESSIONS}/order/{order['id']}")).json()
        read = (await client.get(f"{ORDERS}/{order['id']}")).json()
    assert first.status_code == second.status_code == 200
    assert "Paid, you can return to Telegram" in first.text
    assert "Paid, you can return to Telegram" in second.text
    assert [s["status"] for s in sessions] == ["completed"]
    assert read["isCompleted"] is True
    assert read["paymentStatusIdentifier"] == "paid"


async def test_cancel_link_cancels_the_session_and_it_cannot_be_paid(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order, session = await _order_and_session(client, "stripe")
        canceled = await client.get(f"{session['paymentUrl']}/cancel")
        pay = await client.post(session["paymentUrl"])
        by_id = (await client.get(f"{SESSIONS}/{session['id']}")).json()
        read = (await client.get(f"{ORDERS}/{order['id']}")).json()
    assert canceled.status_code == 200
    assert pay.status_code == 409
    assert by_id["status"] == "canceled"
    assert read["isCompleted"] is None


async def test_sessions_list_answers_on_both_paths(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        await _order_and_session(client, "cash")
        slash = (await client.get(f"{SESSIONS}/", params={"offset": 0, "limit": 30})).json()
        bare = (await client.get(SESSIONS)).json()
    assert set(slash) == {"items", "total"}
    assert slash == bare
    assert slash["total"] == 1


async def test_session_for_a_missing_order_or_bad_type_is_refused(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order = await create_order(client)
        missing = await client.post(SESSIONS, json={"orderId": 999, "type": "session"})
        bad_type = await client.post(SESSIONS, json={"orderId": order["id"], "type": "card"})
    assert_error(missing, 404)
    assert_error(bad_type, 400)


async def test_accounts_are_a_bare_array(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        accounts = (await client.get("/api/content/payments/accounts")).json()
        stripe = (await client.get("/api/content/payments/accounts/2")).json()
        missing = await client.get("/api/content/payments/accounts/99")
    assert [a["identifier"] for a in accounts] == ["cash", "stripe", "invoice"]
    assert stripe["type"] == "stripe"
    assert_error(missing, 404)


async def test_control_session_status_completed_marks_the_order_paid(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        await log_in_guest(client, oneentry_emulator)
        order, session = await _order_and_session(client, "cash")
        changed = await client.post(
            f"/__sandbox__/sessions/{session['id']}/status", json={"status": "completed"}
        )
        read = (await client.get(f"{ORDERS}/{order['id']}")).json()
    assert changed.json()["status"] == "completed"
    assert read["isCompleted"] is True
    assert read["paymentStatusIdentifier"] == "paid"
