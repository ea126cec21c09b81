"""The follow-up's rules, with plain values and an explicit clock: no OneEntry, no Telegram."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shop.config import StatusMeanings
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


@dataclasses.dataclass(frozen=True)
class Names:
    """One shop's status markers and what the bot is told they mean."""

    meanings: StatusMeanings
    waiting: str
    paid_session: str
    failed_sessions: tuple[str, ...]
    in_progress: str
    moved: str
    paid_order: str
    cancelled_order: str
    finished_order: str


TEA = Names(
    StatusMeanings(),
    waiting="waiting",
    paid_session="completed",
    failed_sessions=("expired", "failed", "canceled"),
    in_progress="inProgress",
    moved="shipped",
    paid_order="paid_for",
    cancelled_order="cancelled",
    finished_order="completed",
)
MARKET = Names(
    StatusMeanings(
        paid_orders=frozenset({"paid_for"}),
        cancelled_orders=frozenset({"cancelled_by_shop"}),
        finished_orders=frozenset({"delivered"}),
        paid_sessions=frozenset({"succeeded"}),
        failed_sessions=frozenset({"voided", "timed_out"}),
    ),
    waiting="pending",
    paid_session="succeeded",
    failed_sessions=("voided", "timed_out"),
    in_progress="created",
    moved="packed",
    paid_order="paid_for",
    cancelled_order="cancelled_by_shop",
    finished_order="delivered",
)


@pytest.fixture(params=[TEA, MARKET], ids=["tea", "market"])
def names(request: pytest.FixtureRequest) -> Names:
    """The rules hold whatever the shop calls its statuses."""
    return request.param  # type: ignore[no-any-return]  # pytest types params as Any


def at(names: Names, **changes: object) -> OrderRecord:
    fields: dict[str, object] = {"order_status": names.in_progress, **changes}
    return dataclasses.replace(ORDER, **fields)  # type: ignore[arg-type]  # test data by keyword


def seen(names: Names, session_status: str | None = None, **changes: object) -> Observation:
    """What OneEntry shows, with the session's status as the shop names it."""
    base = Observation(
        3,
        names.meanings.payment_state(session_status or names.waiting),
        "http://pay/3",
        False,
        names.in_progress,
        "In progress",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]  # test data by keyword


@pytest.mark.parametrize(
    ("attempt", "delay"), [(0, 5.0), (1, 10.0), (3, 40.0), (6, 300.0), (50, 300.0)]
)
def test_backoff_doubles_from_seconds_up_to_minutes(attempt: int, delay: float) -> None:
    assert Backoff(first=5.0, maximum=300.0).delay(attempt) == delay


@pytest.mark.parametrize("attempt", [1_023, 1_024, 10**6])
def test_backoff_never_overflows_however_many_looks(attempt: int) -> None:
    """`5 * 2.0 ** 1024` overflows a float: the follow-up died after 1,024 looks."""
    assert Backoff(first=5.0, maximum=300.0).delay(attempt) == 300.0
    assert Backoff(first=0.001, maximum=1e9, factor=10.0).delay(attempt) == 1e9


@pytest.mark.parametrize(
    ("seconds", "attempts"), [(0, 0), (4.9, 0), (5, 1), (15, 2), (35, 3), (75, 4), (10_000, 6)]
)
def test_a_restart_goes_on_with_the_schedule_where_it_was(seconds: float, attempts: int) -> None:
    """Looks at 5, 15, 35, 75, 155 s ... after a change: after a restart the next look of an
    order quiet for long is minutes away, not seconds (the schedule used to start over)."""
    assert Backoff(first=5.0, maximum=300.0).attempts_after(seconds) == attempts


def test_backoff_of_zero_is_immediate() -> None:
    assert Backoff(first=0.0, maximum=300.0).delay(9) == 0.0


@pytest.mark.parametrize(
    ("status", "age", "followed"),
    [
        ("in_progress", timedelta(hours=1), True),
        ("paid_order", timedelta(hours=71), True),  # paid orders stay followed for staff moves
        ("moved", timedelta(hours=73), False),  # too old
        ("finished_order", timedelta(minutes=1), False),
        ("cancelled_order", timedelta(minutes=1), False),
    ],
)
def test_which_orders_are_followed(
    names: Names, status: str, age: timedelta, followed: bool
) -> None:
    order = at(names, order_status=getattr(names, status))
    assert is_followed(order, NOW + age, timedelta(hours=72), names.meanings) is followed


def test_nothing_new_is_no_change(names: Names) -> None:
    assessment = assess(at(names), seen(names), names.meanings)
    assert not assessment.changed and assessment.events == ()


def test_a_paid_session_is_paid_once(names: Names) -> None:
    paid = assess(at(names), seen(names, names.paid_session), names.meanings)
    assert paid.events == (OrderEventKind.PAID,) and paid.order.is_paid
    assert paid.order.payment_status == "paid"  # the bot's word, whatever the shop's
    assert assess(paid.order, seen(names, names.paid_session), names.meanings).events == ()


def test_an_order_paid_in_oneentry_alone_is_paid(names: Names) -> None:
    paid = assess(at(names), seen(names, order_paid=True), names.meanings)
    assert paid.events == (OrderEventKind.PAID,) and paid.order.payment_status == "paid"


def test_a_staff_status_change_carries_the_previous_status_and_the_title(names: Names) -> None:
    moved = assess(
        at(names), seen(names, order_status=names.moved, order_status_title="M"), names.meanings
    )
    assert moved.events == (OrderEventKind.STATUS_CHANGED,)
    assert moved.previous_status == names.in_progress
    assert moved.order.order_status_title == "M"


def test_cancelled_is_its_own_event_and_wants_no_new_session(names: Names) -> None:
    cancelled = assess(
        at(names),
        seen(names, names.failed_sessions[-1], order_status=names.cancelled_order),
        names.meanings,
    )
    assert cancelled.events == (OrderEventKind.CANCELLED,)
    assert not cancelled.wants_new_session


def test_another_shops_cancelled_marker_is_a_plain_status_change() -> None:
    """The tea shop's rules do not know the market's marker: a status like any other."""
    moved = assess(at(TEA), seen(TEA, order_status="cancelled_by_shop"), TEA.meanings)
    assert moved.events == (OrderEventKind.STATUS_CHANGED,)


def test_paid_and_moved_in_one_look_are_two_events(names: Names) -> None:
    both = assess(
        at(names), seen(names, names.paid_session, order_status=names.moved), names.meanings
    )
    assert both.events == (OrderEventKind.PAID, OrderEventKind.STATUS_CHANGED)


def test_a_finished_unpaid_session_fails_once_and_wants_a_new_one(names: Names) -> None:
    for status in names.failed_sessions:
        failed = assess(at(names), seen(names, status), names.meanings)
        assert failed.events == (OrderEventKind.PAYMENT_FAILED,) and failed.wants_new_session
        again = assess(failed.order, seen(names, status), names.meanings)
        assert again.events == () and again.wants_new_session  # not told twice; retry


def test_a_link_that_appears_later_changes_the_message_only(names: Names) -> None:
    without = at(names, payment_session_id=None, payment_url=None, payment_status=None)
    found = assess(without, seen(names), names.meanings)
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
