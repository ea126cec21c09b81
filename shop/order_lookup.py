"""Finding an order whose create call's outcome is unknown, among the guest user's orders.

Every customer orders as the same OneEntry guest user, so the storage lists everyone's orders.
A match needs the same products and quantities, the same form values, a creation time
after the checkout started (less some clock skew), and an id the ledger does not already give
to another checkout: two identical orders from one customer a minute apart stay two orders.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from oneentry_client import Order, OrderLine
from shop.ledger_records import CheckoutRecord
from shop.order_details import SubmittedField

CLOCK_SKEW = timedelta(minutes=5)


def line_product_id(line: OrderLine) -> int | None:
    """Read shapes name the product `productId` or just `id`, depending on the endpoint."""
    return line.product_id if line.product_id is not None else line.id


def is_before_window(order: Order, checkout: CheckoutRecord) -> bool:
    """Created before the checkout started: this order and every older one cannot match."""
    created = order.created_date
    return created is not None and _aware(created) < _aware(checkout.started_at) - CLOCK_SKEW


def matches(
    order: Order,
    checkout: CheckoutRecord,
    submitted: Sequence[SubmittedField],
    taken_ids: Collection[int],
) -> bool:
    if order.id in taken_ids or is_before_window(order, checkout):
        return False
    wanted = Counter((item.product_id, item.quantity) for item in checkout.items)
    found = Counter((line_product_id(line), line.quantity) for line in order.products)
    if wanted != found:
        return False
    values = {field.marker: comparable(field.value) for field in order.form_data}
    return all(values.get(field.marker) == comparable(field.value) for field in submitted)


def comparable(value: Any) -> str:
    """A form value as OneEntry may read it back: a text by its plain value, a date by its
    instant, a choice by its values, anything else as JSON."""
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        if all("plainValue" in item for item in value):
            return json.dumps([item["plainValue"] for item in value])
        if all("value" in item for item in value):
            return json.dumps([item["value"] for item in value])
    if isinstance(value, dict) and "fullDate" in value:
        return str(value["fullDate"])
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _aware(moment: datetime) -> datetime:
    """OneEntry dates without a zone are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
