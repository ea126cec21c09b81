"""The staff desk against the OneEntry emulator over HTTP (no Telegram): listing and paging the
storage's orders, pending, stats per period and currency, find, and status changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from oneentry_client import OneEntryClient
from sandbox.oneentry import RunningEmulator
from shop.config import ShopConfig
from shop.contact import ContactDetails
from shop.ledger import Ledger
from shop.ledger_records import OrderItem
from shop.ordering import OrderPlacement
from shop.placement_types import PlacementRequest
from shop.staff import StaffDesk
from shop.staff_records import StaffUnavailable, StatsPeriod, StatusChangeRefused, UnknownStatus

PEOPLE = [
    ContactDetails("Ivan Petrov", "+79990000001", "ivan@example.com"),
    ContactDetails("Alice Smith", "+447911123456", "alice@example.com"),
    ContactDetails("Bob Jones", "+12025550123", "bob@example.org"),
]


@pytest.fixture
def desk(client: OneEntryClient, ledger: Ledger) -> StaffDesk:
    return StaffDesk(client, ledger, ShopConfig(), page_size=2, cache_seconds=0)


async def place(client: OneEntryClient, ledger: Ledger, number: int, account: str = "cash") -> int:
    """Order `number`: placed by Telegram user 500+number through the real placement."""
    placement = OrderPlacement(client, ledger, ShopConfig())
    result = await placement.place(
        PlacementRequest(
            checkout_id=f"{number:012x}",
            user_id=500 + number,
            chat_id=500 + number,
            contact=PEOPLE[number % len(PEOPLE)],
            items=(OrderItem(1, number + 1, "Green tea"),),
            payment_account=account,
            content_lang="en_US",
        )
    )
    assert result.order is not None
    return result.order.order_id


async def test_an_empty_storage_has_one_empty_page(desk: StaffDesk) -> None:
    page = await desk.page(0)
    assert (page.orders, page.number, page.count, page.total) == ((), 0, 1, 0)
    assert await desk.pending() == []
    assert await desk.find("ivan") == []
    stats = await desk.stats(StatsPeriod.TODAY)
    assert (stats.orders, stats.paid_orders, stats.currencies) == (0, 0, ())


async def test_pages_newest_first_with_the_customer_and_the_telegram_user(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger
) -> None:
    ids = [await place(client, ledger, number) for number in range(5)]
    first = await desk.page(0)
    assert [o.order_id for o in first.orders] == [ids[4], ids[3]]
    assert (first.count, first.total, first.has_previous, first.has_next) == (3, 5, False, True)
    newest = first.orders[0]
    assert newest.customer_name == "Alice Smith" and newest.phone == "+447911123456"
    assert newest.email == "alice@example.com" and newest.telegram_user_id == 504
    assert newest.total == Decimal("62.50") and newest.currency == "USD"
    assert newest.lines[0].quantity == 5 and newest.order_status == "inProgress"
    last = await desk.page(7)  # past the end: the last page
    assert last.number == 2 and [o.order_id for o in last.orders] == [ids[0]]


async def test_orders_the_bot_did_not_place_have_no_telegram_user(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, tmp_path: Path
) -> None:
    async with Ledger(tmp_path / "other.sqlite3") as other:
        await place(client, other, 1)  # placed by another installation
    [order] = (await desk.page(0)).orders
    assert order.telegram_user_id is None and order.customer_name == "Alice Smith"


async def test_one_order_with_its_payment_session(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger
) -> None:
    order_id = await place(client, ledger, 0, account="stripe")
    detail = await desk.order(order_id)
    assert detail is not None
    assert detail.order.payment_account == "stripe" and detail.session_status == "waiting"
    assert detail.payment_url and detail.payment_url.startswith("http")
    assert [change.kind for change in detail.history] == ["placed"]
    assert await desk.order(999_999) is None


async def test_pending_is_unpaid_and_not_cancelled_oldest_first(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    ids = [await place(client, ledger, number, account="stripe") for number in range(4)]
    [paid_session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == ids[1]]
    oneentry_emulator.state.pay_session(paid_session.id)
    oneentry_emulator.state.set_order_status(ids[2], "cancelled")
    assert [o.order_id for o in await desk.pending()] == [ids[0], ids[3]]


async def test_stats_count_orders_and_paid_revenue_per_currency(
    client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    ids = [await place(client, ledger, number, account="stripe") for number in range(3)]
    for order_id in ids[:2]:
        [session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == order_id]
        oneentry_emulator.state.pay_session(session.id)
    oneentry_emulator.state.orders[ids[0]].created_date = (
        (datetime.now(UTC) - timedelta(days=10)).isoformat().replace("+00:00", "Z")
    )
    desk = StaffDesk(client, ledger, ShopConfig())
    week = await desk.stats(StatsPeriod.WEEK)
    assert (week.orders, week.paid_orders) == (2, 1)
    [usd] = week.currencies
    assert (usd.currency, usd.paid_orders, usd.revenue, usd.average) == (
        "USD",
        1,
        Decimal("25.00"),
        Decimal("25.00"),
    )
    month = await desk.stats(StatsPeriod.MONTH)
    assert (month.orders, month.paid_orders, month.currencies[0].revenue) == (
        3,
        2,
        Decimal("37.50"),
    )
    assert month.currencies[0].average == Decimal("18.75") and month.complete


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("+7 999 000-00-01", "Ivan Petrov"),
        ("79990000001", "Ivan Petrov"),
        ("ALICE@example.com", "Alice Smith"),
        ("example.org", None),
        ("bob", "Bob Jones"),
        ("smith", "Alice Smith"),
        ("nobody", None),
    ],
)
async def test_find_by_phone_email_or_name(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, query: str, who: str | None
) -> None:
    for number in range(3):
        await place(client, ledger, number)
    names = [o.customer_name for o in await desk.find(query)]
    if query == "example.org":
        assert names == []  # an email query must hold an @
    else:
        assert names == ([who] if who else [])


async def test_statuses_in_the_asked_language(desk: StaffDesk) -> None:
    english = await desk.statuses("en_US")
    russian = await desk.statuses("ru_RU")
    assert [s.identifier for s in english][:2] == ["inProgress", "paid_for"]
    assert english[2].title == "Shipped" and russian[2].title == "Отправлен"


async def test_change_status_keeps_the_order_and_sets_the_status(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 2)
    before = oneentry_emulator.state.orders[order_id]
    form, total = list(before.form_data), before.total_sum
    changed = await desk.change_status(order_id, "shipped")
    assert changed is not None and changed.order_status == "shipped"
    after = oneentry_emulator.state.orders[order_id]
    assert after.status_identifier == "shipped"
    assert after.form_data == form and after.total_sum == total
    [put] = [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.update"]
    assert put.method == "PUT"
    assert await desk.change_status(999_999, "shipped") is None
    with pytest.raises(UnknownStatus):
        await desk.change_status(order_id, "teleported")


async def test_a_refused_status_change_and_an_unreachable_oneentry(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 0)
    oneentry_emulator.state.add_fault("orders.update", status=403)
    with pytest.raises(StatusChangeRefused):
        await desk.change_status(order_id, "shipped")
    oneentry_emulator.state.add_fault("orders.list", status=503, count=5)
    with pytest.raises(StaffUnavailable):
        await desk.page(0)
