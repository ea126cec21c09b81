"""What the emulator stores at run time: orders and payment sessions."""

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
    """An order as the server keeps it; views render it per language and endpoint."""

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
    payment_url: str | None = None
    is_completed: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredSession:
    """A payment session for one order."""

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
