"""What the staff tools return, as plain values: orders as staff see them, pages, statistics,
searches, and what a status change would do and did.

Everything comes from OneEntry's storage listing (the guest user sees every guest order) joined
with the ledger, which alone knows which Telegram user placed an order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from shop.config import PaymentState


class StaffUnavailable(Exception):
    """OneEntry could not be asked; the staff member may try again."""


class UnknownStatus(Exception):
    """The status is not one of the storage's order statuses."""


class StatusChangeRefused(Exception):
    """OneEntry refused the status change (the project's API permissions may not allow it)."""


@dataclass(frozen=True, slots=True)
class StaffOrderLine:
    """One product line: its title, quantity and unit price as OneEntry holds them."""

    title: str
    quantity: int
    price: Decimal | None
    product_id: int | None = None

    @property
    def total(self) -> Decimal | None:
        """What the line costs, as the customer saw it in their cart."""
        return None if self.price is None else self.price * self.quantity


@dataclass(frozen=True, slots=True)
class StaffField:
    """A field of the order form the customer filled in (beyond name, phone and email): the
    form's title for it in the staff's language (its marker when the form has none) and the
    value as given."""

    marker: str
    title: str
    value: str


@dataclass(frozen=True, slots=True)
class StaffOrder:
    """One order of the storage with the customer's details and, when the bot placed it, the
    customer's Telegram user id. Status titles are the shop's own, in the staff's language."""

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
    is_finished: bool = False
    fields: tuple[StaffField, ...] = ()
    campaign: str | None = None  # the campaign tag of the deep link the customer came by

    @property
    def awaits_payment(self) -> bool:
        """Not paid, and neither cancelled nor done."""
        return not self.is_paid and not self.is_cancelled and not self.is_finished

    @property
    def placed_by_bot(self) -> bool:
        """The ledger knows who placed it: the bot's follow-up tells that customer."""
        return self.telegram_user_id is not None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of an order the bot has seen (from the ledger's history); the status title
    in the staff's language."""

    kind: str
    order_status_title: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class StaffOrderDetail:
    """Everything about one order: the order, its latest payment session (what its status
    means, in the bot's words) and its history."""

    order: StaffOrder
    session_state: PaymentState | None = None
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
class PendingOrders:
    """The unpaid orders placed since `since`, oldest first; `older_exist`: the storage has
    orders from before it, which were not looked at."""

    orders: tuple[StaffOrder, ...]
    since: datetime
    days: int
    older_exist: bool = False


@dataclass(frozen=True, slots=True)
class FoundOrders:
    """Orders matching a search, newest first; `limited`: the search stopped at `limit`
    matches, so older ones may match too."""

    orders: tuple[StaffOrder, ...]
    limited: bool = False


@dataclass(frozen=True, slots=True)
class StatusChoice:
    """An order status of the storage: its identifier and its title in one language."""

    identifier: str
    title: str


class StatusEffect(StrEnum):
    """What a new status means for the order and its customer."""

    SAME = "same"  # the order has it already: nothing to do
    CANCEL = "cancel"  # one of the shop's cancelled statuses
    PAID = "paid"  # one of the statuses that mean paid (a payment recorded by hand)
    FINISH = "finish"  # one of the statuses that mean done
    MOVE = "move"  # any other


@dataclass(frozen=True, slots=True)
class StatusChangePlan:
    """What setting `status` on `order` would do, for staff to decide: its effect, whether
    the change is one to confirm first (cancelling, marking paid or done, any change of a paid
    order), and whether the customer is told (only orders placed through the bot are
    followed)."""

    order: StaffOrder
    status: StatusChoice
    effect: StatusEffect

    @property
    def needs_confirmation(self) -> bool:
        if self.effect is StatusEffect.SAME:
            return False
        return self.order.is_paid or self.effect is not StatusEffect.MOVE

    @property
    def customer_is_told(self) -> bool:
        return self.order.placed_by_bot and self.effect is not StatusEffect.SAME

    @property
    def refund_is_due(self) -> bool:
        """A paid order being cancelled: the money is for staff to return, not the bot."""
        return self.order.is_paid and self.effect is StatusEffect.CANCEL


class CustomerTold(StrEnum):
    """Whether the customer heard about a status change staff made."""

    TOLD = "told"  # the bot's message went out (or is going out now)
    FAILED = "failed"  # Telegram refused it (the customer blocked the bot)
    NOT_PLACED_HERE = "not_placed_here"  # not an order of this bot: nobody to tell
    NOT_YET = "not_yet"  # OneEntry did not answer the bot's look; nothing was sent yet
    NOTHING = "nothing"  # the bot saw no change the customer is told about


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
    """One currency's orders of a period: how many were placed, paid and cancelled, and the
    revenue of the paid ones that were not cancelled."""

    currency: str
    orders: int
    paid_orders: int
    revenue: Decimal
    cancelled: int = 0

    @property
    def average(self) -> Decimal | None:
        """The average paid order (revenue / paid orders); None with no paid order."""
        if not self.paid_orders:
            return None
        return (self.revenue / self.paid_orders).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class OrderStats:
    period: StatsPeriod
    since: datetime
    orders: int
    paid_orders: int
    currencies: tuple[CurrencyTotals, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class StaffAudience:
    """Who the staff are (Telegram user ids), where their notifications go (the staff chat,
    and its forum topic), and the staff chat's language (None: the first admin's)."""

    admin_ids: frozenset[int] = frozenset()
    staff_chat_id: int | None = None
    staff_thread_id: int | None = None
    staff_language: str | None = None

    @property
    def notified_chats(self) -> tuple[int, ...]:
        """The staff chat when set, else each admin's private chat."""
        if self.staff_chat_id is not None:
            return (self.staff_chat_id,)
        return tuple(sorted(self.admin_ids))

    def thread_for(self, chat_id: int) -> int | None:
        """The forum topic cards go to in `chat_id` (only the staff chat has one)."""
        return self.staff_thread_id if chat_id == self.staff_chat_id else None
