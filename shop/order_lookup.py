"""Finding an order whose create call's outcome is unknown, among the guest user's orders.

Every customer orders as the same OneEntry guest user, so the storage lists everyone's orders.
A match needs the same products and quantities, the same three form values, a creation time
after the checkout started (less some clock skew), and an id the ledger does not already give
to another checkout: two identical orders from one customer a minute apart stay two orders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from oneentry_client import Order, OrderLine
from shop.contact import ContactDetails
from shop.ledger_records import CheckoutRecord

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
    contact: ContactDetails,
    field_markers: tuple[str, str, str],
    taken_ids: Collection[int],
) -> bool:
    if order.id in taken_ids or is_before_window(order, checkout):
        return False
    wanted = Counter((item.product_id, item.quantity) for item in checkout.items)
    found = Counter((line_product_id(line), line.quantity) for line in order.products)
    if wanted != found:
        return False
    values = {field.marker: field.value for field in order.form_data}
    name_marker, phone_marker, email_marker = field_markers
    return (
        values.get(name_marker) == contact.name
        and values.get(phone_marker) == contact.phone
        and values.get(email_marker) == contact.email
    )


def _aware(moment: datetime) -> datetime:
    """OneEntry dates without a zone are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
