"""What the emulator stores at run time: orders and payment sessions.

Payment URLs are absolute when the session was created through a request (the client's view
of the emulator's base URL), and a path (`/pay/5001`) for sessions of past orders, which exist
before the emulator has a URL; views resolve a path against the request's base URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class OrderLine:
    """One product of an order, priced when the order was placed."""

    product_id: int
    quantity: int
    price: Decimal
    titles: dict[str, Any]
    sku: str | None


@dataclass
class StoredOrder:
    """An order as the server keeps it; views render it per language and endpoint.

    `form_lang` is the language its `formData` was written in (the key of the wrapped
    `formData`, or the project's default language for a flat list).
    """

    id: int
    storage_id: int
    storage_identifier: str
    user_id: int
    form_identifier: str
    form_data: list[dict[str, Any]]
    lines: list[OrderLine]
    requested_products: list[dict[str, Any]]
    currency: str
    total_sum: Decimal
    status_identifier: str
    payment_status_identifier: str
    payment_account_identifier: str
    created_date: str
    form_lang: str = "en_US"
    payment_url: str | None = None
    is_completed: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredSession:
    """A payment session for one order.

    A session of a delayed-link account (PayPal-like) keeps its URL in `pending_url` until the
    state's clock reaches `link_at`, or until the link is published through the control API;
    then it moves to `payment_url` (and to the order's own `payment_url`).
    """

    id: int
    order_id: int
    user_id: int
    type: str
    status: str
    payment_account_id: int
    payment_account_identifier: str
    payment_url: str | None
    amount: float | None
    created_date: str
    updated_date: str
    client_secret: str | None = None
    pending_url: str | None = None
    link_at: float | None = None
