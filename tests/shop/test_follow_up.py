"""The follow-up's rules, with plain values and an explicit clock: no OneEntry, no Telegram."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shop.contact import ContactDetails
from shop.events import OrderEventKind
from shop.follow_up import Backoff, Observation, assess, is_followed
from shop.ledger import Ledger
from shop.ledger_records import Notice, OrderChange, OrderItem, OrderRecord

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
ORDER = OrderRecord(
    order_id=7,
    storage="guest_orders",
    user_id=1,
    chat_id=1,
    checkout_id="0123456789ab",
    items=(OrderItem(1, 2, "Tea"),),
    total=Decimal("25.00"),
    currency="USD",
    payment_account="stripe",
    payment_session_id=3,
    payment_url="http://pay/3",
    payment_status="waiting",
    order_status="inProgress",
    order_status_title="In progress",
    created_at=NOW,
    content_lang="en_US",
)


def seen(**changes: object) -> Observation:
    base = Observation(3, "waiting", "http://pay/3", False, "inProgress", "In progress")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("attempt", "delay"), [(0, 5.0), (1, 10.0), (3, 40.0), (6, 300.0), (50, 300.0)]
)
def test_backoff_doubles_from_seconds_up_to_minutes(attempt: int, delay: float) -> None:
    assert Backoff(first=5.0, maximum=300.0).delay(attempt) == delay


def test_backoff_of_zero_is_immediate() -> None:
    assert Backoff(first=0.0, maximum=300.0).delay(9) == 0.0


@pytest.mark.parametrize(
    ("status", "age", "followed"),
    [
        ("inProgress", timedelta(hours=1), True),
        ("paid_for", timedelta(hours=71), True),  # paid orders stay followed for staff moves
        ("shipped", timedelta(hours=73), False),  # too old
        ("completed", timedelta(minutes=1), False),
        ("cancelled", timedelta(minutes=1), False),
    ],
)
def test_which_orders_are_followed(status: str, age: timedelta, followed: bool) -> None:
    order = dataclasses.replace(ORDER, order_status=status)
    assert is_followed(order, NOW + age, timedelta(hours=72)) is followed


def test_nothing_new_is_no_change() -> None:
    assessment = assess(ORDER, seen())
    assert not assessment.changed and assessment.events == ()


def test_a_paid_session_is_paid_once() -> None:
    paid = assess(ORDER, seen(session_status="completed"))
    assert paid.events == (OrderEventKind.PAID,) and paid.order.is_paid
    assert assess(paid.order, seen(session_status="completed")).events == ()


def test_an_order_paid_in_oneentry_alone_is_paid() -> None:
    paid = assess(ORDER, seen(order_paid=True))
    assert paid.events == (OrderEventKind.PAID,) and paid.order.payment_status == "paid"


def test_a_staff_status_change_carries_the_previous_status_and_the_title() -> None:
    moved = assess(ORDER, seen(order_status="shipped", order_status_title="Shipped"))
    assert moved.events == (OrderEventKind.STATUS_CHANGED,)
    assert moved.previous_status == "inProgress"
    assert moved.order.order_status_title == "Shipped"


def test_cancelled_is_its_own_event_and_wants_no_new_session() -> None:
    cancelled = assess(
        ORDER, seen(order_status="cancelled", session_status="canceled", order_status_title="X")
    )
    assert cancelled.events == (OrderEventKind.CANCELLED,)
    assert not cancelled.wants_new_session


def test_paid_and_moved_in_one_look_are_two_events() -> None:
    both = assess(ORDER, seen(session_status="completed", order_status="paid_for"))
    assert both.events == (OrderEventKind.PAID, OrderEventKind.STATUS_CHANGED)


@pytest.mark.parametrize("status", ["expired", "failed", "canceled"])
def test_a_finished_unpaid_session_fails_once_and_wants_a_new_one(status: str) -> None:
    failed = assess(ORDER, seen(session_status=status))
    assert failed.events == (OrderEventKind.PAYMENT_FAILED,) and failed.wants_new_session
    again = assess(failed.order, seen(session_status=status))
    assert again.events == () and again.wants_new_session  # not told twice; retry the session


def test_a_link_that_appears_later_changes_the_message_only() -> None:
    without = dataclasses.replace(
        ORDER, payment_session_id=None, payment_url=None, payment_status=None
    )
    found = assess(without, seen())
    assert found.events == () and found.message_changed
    assert found.order.payment_url == "http://pay/3"


async def test_the_ledger_keeps_the_history_and_the_notices(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3", clock=lambda: NOW) as ledger:
        await ledger.begin_placing(
            ORDER.checkout_id,
            user_id=1,
            chat_id=1,
            items=ORDER.items,
            payment_account="stripe",
            content_lang="en_US",
            contact=ContactDetails("A", "+447911123456", "a@example.com"),
        )
        order = await ledger.record_order(ORDER)
        moved = dataclasses.replace(order, order_status="shipped", order_status_title="Shipped")
        stored, [change] = await ledger.record_changes(
            moved, [OrderChange("status_changed", previous_status="inProgress")]
        )
        assert stored.order_status == "shipped" and change.notice is Notice.PENDING
        assert await ledger.drop_pending_notices() == {("guest_orders", 7)}
        history = await ledger.order_history("guest_orders", 7)
        assert [(e.kind, e.previous_status, e.notice) for e in history] == [
            ("placed", None, Notice.NONE),
            ("status_changed", "inProgress", Notice.DROPPED),
        ]
        followed = await ledger.orders_to_follow(NOW - timedelta(hours=1), {"completed"})
        assert [o.order_id for o in followed] == [7]
        assert await ledger.orders_to_follow(NOW - timedelta(hours=1), {"shipped"}) == []
