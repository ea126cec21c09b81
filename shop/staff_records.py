"""What the staff tools return, as plain values: orders as staff see them, pages, statistics.

Everything comes from OneEntry's storage listing (the guest user sees every guest order) joined
with the ledger, which alone knows which Telegram user placed an order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum


class StaffUnavailable(Exception):
    """OneEntry could not be asked; the staff member may try again."""


class UnknownStatus(Exception):
    """The status is not one of the storage's order statuses."""


class StatusChangeRefused(Exception):
    """OneEntry refused the status change (the project's API permissions may not allow it)."""


@dataclass(frozen=True, slots=True)
class StaffOrderLine:
    title: str
    quantity: int
    price: Decimal | None


@dataclass(frozen=True, slots=True)
class StaffOrder:
    """One order of the storage with the customer's details and, when the bot placed it, the
    customer's Telegram user id."""

    order_id: int
    created_at: datetime | None
    customer_name: str | None
    phone: str | None
    email: str | None
    lines: tuple[StaffOrderLine, ...]
    total: Decimal | None
    currency: str
    payment_account: str | None
    payment_account_title: str | None
    payment_status: str | None
    payment_status_title: str | None
    is_paid: bool
    order_status: str | None
    order_status_title: str | None
    telegram_user_id: int | None = None
    is_cancelled: bool = False

    @property
    def awaits_payment(self) -> bool:
        return not self.is_paid and not self.is_cancelled


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of an order the bot has seen (from the ledger's history)."""

    kind: str
    order_status: str | None
    payment_status: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class StaffOrderDetail:
    """Everything about one order: the order, its latest payment session and its history."""

    order: StaffOrder
    session_status: str | None = None
    payment_url: str | None = None
    history: tuple[StatusChange, ...] = ()


@dataclass(frozen=True, slots=True)
class OrdersPage:
    """Page `number` (from 0) of `count` pages of the storage's orders, newest first."""

    orders: tuple[StaffOrder, ...]
    number: int
    count: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


@dataclass(frozen=True, slots=True)
class StatusChoice:
    """An order status of the storage: its identifier and its title in one language."""

    identifier: str
    title: str


class StatsPeriod(StrEnum):
    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"

    def since(self, now: datetime, timezone: tzinfo = UTC) -> datetime:
        """Where the period starts: today's midnight in the shop's time zone, or 7 or 30
        days before now."""
        if self is StatsPeriod.TODAY:
            local = now.astimezone(timezone)
            return local.replace(hour=0, minute=0, second=0, microsecond=0)
        return now - timedelta(days=7 if self is StatsPeriod.WEEK else 30)


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    """Paid revenue in one currency, and the average paid order."""

    currency: str
    paid_orders: int
    revenue: Decimal

    @property
    def average(self) -> Decimal:
        return (self.revenue / self.paid_orders).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class OrderStats:
    period: StatsPeriod
    since: datetime
    orders: int
    paid_orders: int
    currencies: tuple[CurrencyTotals, ...] = field(default=())
    complete: bool = True  # False when more orders existed than the scan reads


@dataclass(frozen=True, slots=True)
class StaffAudience:
    """Who the staff are (Telegram user ids) and where their notifications go."""

    admin_ids: frozenset[int] = frozenset()
    staff_chat_id: int | None = None

    @property
    def notified_chats(self) -> tuple[int, ...]:
        """The staff chat when set, else each admin's private chat."""
        if self.staff_chat_id is not None:
            return (self.staff_chat_id,)
        return tuple(sorted(self.admin_ids))
