"""What order placement takes, gives back and raises: plain values, no OneEntry models.

The errors are the shop's own small set, so handlers decide what to tell the customer without
knowing the OneEntry client's error tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shop.contact import ContactDetails
from shop.ledger_records import CheckoutRecord, OrderItem, OrderRecord
from shop.order_details import OrderDetails


@dataclass(frozen=True, slots=True)
class PlacementRequest:
    """One confirmed checkout: who, what, how they pay. `checkout_id` is the idempotency key."""

    checkout_id: str
    user_id: int
    chat_id: int
    contact: OrderDetails | ContactDetails  # the form fields (the three details alone: legacy)
    items: tuple[OrderItem, ...]
    payment_account: str
    content_lang: str
    campaign: str | None = None  # the deep link's campaign tag, kept with the order


class PlacementOutcome(StrEnum):
    """What one create-order call came to, for whoever counts them (the bot's metrics)."""

    PLACED = "placed"  # an order was recorded (created now, or found after an unknown outcome)
    REFUSED = "refused"  # OneEntry refused the order as invalid (the customer is asked again)
    UNKNOWN = "unknown"  # no answer to the create call: the order is looked for, never re-sent
    FAILED = "failed"  # OneEntry could not take the order and holds none (try again later)


class PlacementStatus(StrEnum):
    PLACED = "placed"  # OneEntry holds the order; `order` says which
    CHECKING = "checking"  # the outcome is not known yet; never create again blindly
    # This checkout had already become an order (`order`) with other contents than the ones
    # now confirmed (the cart changed while its outcome was unknown): that order stands, and
    # the new contents need a new checkout.
    EARLIER = "earlier"


@dataclass(frozen=True, slots=True)
class PlacementResult:
    checkout_id: str
    status: PlacementStatus
    order: OrderRecord | None = None

    @property
    def is_placed(self) -> bool:
        return self.status is PlacementStatus.PLACED and self.order is not None

    @property
    def is_earlier_order(self) -> bool:
        return self.status is PlacementStatus.EARLIER and self.order is not None

    @property
    def payment_pending(self) -> bool:
        """The order exists but its payment session could not be created yet."""
        return self.order is not None and not self.order.has_payment_session


@dataclass(frozen=True, slots=True)
class Resolution:
    """What start-up found for a checkout the bot left unfinished: its order, or None when
    OneEntry holds none (the customer must confirm again). `settled` is False while the create
    call may still land (its timeout has not run out): look again at `decide_after`."""

    checkout: CheckoutRecord
    result: PlacementResult | None
    settled: bool = True
    decide_after: datetime | None = None


class RejectedPart(StrEnum):
    """What OneEntry refused in an order."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    FIELD = "field"  # another field of the form: `OrderRejected.field` names it
    CART = "cart"  # a product is unknown, hidden or not orderable any more
    OTHER = "other"


class PlacementError(Exception):
    """Base of the errors order placement raises."""


class OrderRejected(PlacementError):
    """OneEntry refused the order as invalid; `part` says what to ask the customer again."""

    def __init__(self, part: RejectedPart, field: str | None = None) -> None:
        super().__init__(part.value)
        self.part = part
        self.field = field  # the marker of the form field OneEntry refused, if it named one


class ShopUnavailable(PlacementError):
    """OneEntry could not take the order now and certainly holds none: keep everything and
    offer to try again."""


class CartEmpty(PlacementError):
    """A checkout with nothing in it cannot become an order."""


class CheckoutNotFound(PlacementError):
    """No checkout with this id belongs to this customer."""
