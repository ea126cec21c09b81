"""The payment follow-up's rules: which orders are followed, how often they are looked at, and
what a look at OneEntry means for an order. Pure functions of plain values (the clock is an
argument), so every rule is tested without OneEntry, Telegram or time passing.

Which orders: every order whose status is not final (the shop's finished or cancelled
statuses, `StatusMeanings`) and that is not older than the age limit. Paid orders stay
followed: staff move them on (shipped, completed) and the customer hears of each move; a final
status or the age limit ends the follow-up.

How often: seconds at first (a customer paying right now hears of it at once), then doubling
up to a few minutes, so a thousand open orders cost OneEntry a few requests per second at
most. A change starts the schedule over.

What a look means: see `assess`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from shop.config import PaymentState, StatusMeanings
from shop.events import OrderEventKind
from shop.ledger_records import OrderRecord


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays between looks: `first * factor**attempt`, at most `maximum` seconds."""

    first: float
    maximum: float
    factor: float = 2.0

    def delay(self, attempt: int) -> float:
        if self.first <= 0:
            return 0.0
        delay = self.first
        if self.factor <= 1:
            return float(min(self.maximum, delay))
        for _ in range(max(attempt, 0)):  # stops at the maximum: no float overflow
            if delay >= self.maximum:
                break
            delay *= self.factor
        return float(min(self.maximum, delay))

    def attempts_after(self, seconds: float) -> int:
        """How many looks the schedule has made `seconds` after a change (the looks come
        `first`, `first * factor`, ... apart): a restart goes on from there, instead of
        looking at every old order again within seconds."""
        attempt, waited = 0, 0.0
        while waited + self.delay(attempt) <= seconds and self.delay(attempt) < self.maximum:
            waited += self.delay(attempt)
            attempt += 1
        return attempt


@dataclass(frozen=True, slots=True)
class FollowUpPolicy:
    """The follow-up's settings: the delays and how long an order is followed at most."""

    backoff: Backoff = Backoff(first=5.0, maximum=300.0)
    max_age: timedelta = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class Observation:
    """What OneEntry says about an order now: its newest payment session (if any), in the
    bot's words, and the order's own statuses. `order_paid`: the order itself says it is paid
    (completed, or an order status the shop uses for paid). `order_status_title` is in the
    order's content language."""

    session_id: int | None
    session_state: PaymentState | None
    payment_url: str | None
    order_paid: bool
    order_status: str | None
    order_status_title: str | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """The order as the ledger should now hold it, the events that happened, and whether the
    customer's order message shows anything different."""

    order: OrderRecord
    events: tuple[OrderEventKind, ...]
    message_changed: bool
    previous_status: str | None
    wants_new_session: bool

    @property
    def changed(self) -> bool:
        return bool(self.events) or self.message_changed


def shown_state(order: OrderRecord) -> tuple[object, ...]:
    """What the customer's order message shows of the order's follow-up state."""
    return (
        order.payment_session_id,
        order.payment_url,
        order.payment_status,
        order.order_status,
        order.order_status_title,
    )


def is_followed(
    order: OrderRecord, now: datetime, max_age: timedelta, meanings: StatusMeanings
) -> bool:
    """Whether the follow-up still looks at this order."""
    if meanings.is_final_order(order.order_status):
        return False
    return order.created_at is None or now - order.created_at <= max_age


def assess(order: OrderRecord, seen: Observation, meanings: StatusMeanings) -> Assessment:
    """Compare the ledger's order with what OneEntry says.

    - PAID: the order or its newest session says paid, and the ledger did not.
    - CANCELLED: the order status became one of the shop's cancelled ones.
    - STATUS_CHANGED: any other change of the order status (staff moved it on).
    - PAYMENT_FAILED: the newest session, unpaid, expired, failed or was cancelled, and the
      ledger did not know yet; a new session is wanted unless the order is cancelled.
    - A payment link that appears later changes the message without an event.
    The payment state recorded is the session's, or paid when only the order says so.
    """
    was_paid = order.is_paid
    paid = was_paid or seen.order_paid or seen.session_state is PaymentState.PAID
    payment_status = seen.session_state if seen.session_id is not None else order.payment_status
    if paid:
        payment_status = PaymentState.PAID
    updated = dataclasses.replace(
        order,
        payment_session_id=seen.session_id
        if seen.session_id is not None
        else order.payment_session_id,
        payment_url=seen.payment_url if seen.session_id is not None else order.payment_url,
        payment_status=payment_status,
        order_status=seen.order_status or order.order_status,
        order_status_title=seen.order_status_title or order.order_status_title,
    )
    events: list[OrderEventKind] = []
    if paid and not was_paid:
        events.append(OrderEventKind.PAID)
    status_moved = (updated.order_status or "") != (order.order_status or "")
    cancelled = meanings.is_cancelled_order(updated.order_status)
    if status_moved and cancelled:
        events.append(OrderEventKind.CANCELLED)
    elif status_moved:
        events.append(OrderEventKind.STATUS_CHANGED)
    session_failed = not paid and updated.payment_failed and not cancelled
    newly_failed = session_failed and (
        not order.payment_failed or updated.payment_session_id != order.payment_session_id
    )
    if newly_failed:
        events.append(OrderEventKind.PAYMENT_FAILED)
    return Assessment(
        order=updated,
        events=tuple(events),
        message_changed=shown_state(updated) != shown_state(order),
        previous_status=order.order_status if status_moved else None,
        wants_new_session=session_failed,
    )
