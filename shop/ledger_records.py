"""What the ledger holds, as plain values: checkouts (one per Confirm'd summary) and orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from shop.config import PaymentState
from shop.order_details import OrderDetails, ShownField


class CheckoutState(StrEnum):
    """Where a confirmed checkout stands.

    PLACING: the create-order call may be under way (or was, when the bot stopped).
    PLACED: OneEntry holds the order; the ledger has it.
    FAILED: OneEntry certainly holds no order for it; Confirm may try again.
    UNKNOWN: the create call's outcome is unknown and a look-up did not find the order yet.
    """

    PLACING = "placing"
    PLACED = "placed"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One ordered product: id and quantity as sent, the title the customer saw."""

    product_id: int
    quantity: int
    title: str = ""


@dataclass(frozen=True, slots=True)
class CheckoutRecord:
    checkout_id: str
    user_id: int
    chat_id: int
    state: CheckoutState
    items: tuple[OrderItem, ...]
    payment_account: str
    content_lang: str
    contact: OrderDetails | None  # the form fields, kept while a look-up may need them
    started_at: datetime
    created_at: datetime
    updated_at: datetime
    campaign: str | None = None  # the deep link's campaign tag, if one brought the customer


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """An order the bot placed, and what the customer was last shown about it."""

    order_id: int
    storage: str
    user_id: int
    chat_id: int
    checkout_id: str
    items: tuple[OrderItem, ...]
    total: Decimal | None
    currency: str
    payment_account: str
    payment_session_id: int | None = None
    payment_url: str | None = None
    payment_status: str | None = None  # a PaymentState value; None before any session
    order_status: str | None = None
    order_status_title: str | None = None
    message_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    content_lang: str | None = None  # the customer's OneEntry language when they ordered
    campaign: str | None = None  # the campaign tag of the deep link that brought them
    # What the customer gave at the checkout, as the summary showed it (none for an order
    # placed before the bot kept them).
    details: tuple[ShownField, ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        """What identifies an order across storages."""
        return (self.storage, self.order_id)

    @property
    def has_payment_session(self) -> bool:
        return self.payment_session_id is not None

    @property
    def is_paid(self) -> bool:
        return self.payment_status == PaymentState.PAID

    @property
    def payment_failed(self) -> bool:
        return self.payment_status == PaymentState.FAILED

    @property
    def awaits_payment_link(self) -> bool:
        """Unpaid, with a page to pay on (cash orders never get one)."""
        return not self.is_paid and bool(self.payment_url)


class Notice(StrEnum):
    """Whether the customer was told of a recorded change.

    NONE: nothing to tell (the placing screen already showed it). PENDING: the notification
    was claimed together with the change and is being sent. SENT / FAILED: Telegram took it or
    refused it (a blocked bot). DROPPED: it was still PENDING when the bot stopped; it is not
    sent again (at most once, see `jobs.follow_up`).
    """

    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class OrderHistoryEntry:
    """One change the bot saw in an order, oldest first in `Ledger.order_history`."""

    event_id: int
    kind: str  # an `OrderEventKind` value: placed, paid, status_changed, cancelled, ...
    order_status: str | None
    order_status_title: str | None
    previous_status: str | None
    payment_status: str | None
    notice: Notice
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class OrderChange:
    """A change to record with the order's new state: its kind, the order status before it
    (for a status change) and whether the customer is to be told."""

    kind: str
    previous_status: str | None = None
    notice: Notice = Notice.PENDING
