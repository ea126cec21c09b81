"""The bot's whole OneEntry conversation, end to end against the emulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from oneentry_client import OneEntryClient, OrderUpdate

from .conftest import guest_order, records


@pytest.mark.parametrize("account", ["cash", "stripe"])
async def test_guest_orders_and_pays(
    client: OneEntryClient, oneentry_emulator: Any, account: str
) -> None:
    await client.auth.login()
    storage = await client.orders.get_storage("guest_orders")
    assert account in storage.payment_account_identifiers
    form = await client.forms.get(storage.form_identifier or "guest_order")
    assert {"guest_name", "guest_phone", "guest_email"} <= {f.marker for f in form.attributes}

    created = await client.orders.create("guest_orders", guest_order(account))
    assert created.id > 0
    assert created.total is not None and created.total > 0

    session = await client.payments.create_session(created.id, type="session")
    assert session.status == "waiting"
    if account == "cash":
        assert session.payment_url is None
    else:
        assert session.payment_url and session.payment_url.startswith(oneentry_emulator.url)

    sessions = await client.payments.sessions_for_order(created.id)
    assert sessions[0].id == session.id
    assert (await client.payments.get_session(session.id)).order_id == created.id

    order = await client.orders.get("guest_orders", created.id)
    assert order.total == created.total
    assert [line.quantity for line in order.products] == [2, 1]
    assert len(oneentry_emulator.state.orders) == 1


async def test_paid_session_shows_on_the_order(
    client: OneEntryClient, oneentry_emulator: Any
) -> None:
    created = await client.orders.create("guest_orders", guest_order("stripe"))
    session = await client.payments.create_session(created.id)
    oneentry_emulator.state.pay_session(session.id)
    assert (await client.payments.get_session(session.id)).status in ("paid", "completed")
    assert (await client.orders.get("guest_orders", created.id)).is_paid


async def test_order_list_and_status_change(client: OneEntryClient, oneentry_emulator: Any) -> None:
    created = await client.orders.create("guest_orders", guest_order())
    page = await client.orders.list("guest_orders")
    assert created.id in [order.id for order in page.items]
    assert page.total >= 1
    statuses = {status.identifier for status in await client.orders.statuses("guest_orders")}
    assert "cancelled" in statuses
    oneentry_emulator.state.set_order_status(created.id, "cancelled")
    assert (await client.orders.get("guest_orders", created.id)).status_identifier == "cancelled"


async def test_order_update_cancels(client: OneEntryClient) -> None:
    created = await client.orders.create("guest_orders", guest_order())
    update = OrderUpdate(
        form_identifier="guest_order",
        payment_account_identifier="cash",
        form_data=guest_order().form_data,
        products=guest_order().products,
        status_marker="cancelled",
    )
    updated = await client.orders.update("guest_orders", created.id, update)
    assert updated.id == created.id
    assert (await client.orders.get("guest_orders", created.id)).status_identifier == "cancelled"


async def test_catalog_reads(client: OneEntryClient) -> None:
    page = await client.products.list(offset=0, limit=5)
    assert len(page.items) == 5
    assert page.total >= 12
    first = page.items[0]
    assert first.title and not first.title.startswith("#")
    assert isinstance(first.price, Decimal)
    assert first.image_url
    again = await client.products.get(first.id)
    assert again.title == first.title
    many = await client.products.get_many([page.items[0].id, page.items[1].id])
    assert sorted(p.id for p in many) == sorted([page.items[0].id, page.items[1].id])
    hits = await client.products.quick_search(first.title[:3])
    assert first.id in [hit.id for hit in hits]
    assert await client.products.statuses()
    assert {a.identifier for a in await client.payments.accounts()} >= {"cash", "stripe"}


async def test_catalog_in_russian(client: OneEntryClient) -> None:
    english = await client.products.list(limit=3)
    russian = await client.products.list(limit=3, lang="ru_RU")
    assert [p.id for p in english.items] == [p.id for p in russian.items]
    assert [p.title for p in english.items] != [p.title for p in russian.items]


async def test_catalog_needs_no_login(client: OneEntryClient, oneentry_emulator: Any) -> None:
    await client.products.list()
    assert records(oneentry_emulator, "auth.login") == []


async def test_first_user_call_logs_in_once(client: OneEntryClient, oneentry_emulator: Any) -> None:
    import asyncio

    await asyncio.gather(*(client.orders.get_storage("guest_orders") for _ in range(10)))
    assert len(records(oneentry_emulator, "auth.login")) == 1


async def test_logout_forgets_the_session(client: OneEntryClient, oneentry_emulator: Any) -> None:
    await client.auth.login()
    await client.auth.logout()
    assert not client.auth.is_logged_in
    (logout,) = records(oneentry_emulator, "auth.logout")
    assert 200 <= logout.status < 300
    await client.orders.get_storage("guest_orders")
    assert len(records(oneentry_emulator, "auth.login")) == 2
