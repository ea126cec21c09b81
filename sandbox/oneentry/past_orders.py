"""The definition's `pastOrders`, turned into stored orders and sessions at every reset.

Dates are relative to the reset (the emulator's start): an order with `"ageHours": 30` was
created 30 hours before it. Lines are priced from the catalogue as a new order would be; the
`formData` is kept as written (a field's `type` may be null, as on real projects). Sessions of
past orders get ids from the session counter, follow their order by five minutes, and carry a
payment link (a `/pay/{id}` path) when their account gives one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.oneentry.errors import iso_at
from sandbox.oneentry.order_rules import unit_price
from sandbox.oneentry.records import OrderLine, StoredOrder, StoredSession

if TYPE_CHECKING:
    from sandbox.oneentry.state import EmulatorState

SESSION_AFTER_ORDER_S = 300.0


def payment_link_kind(account: dict[str, Any]) -> str:
    """`none`, `immediate` or `delayed`: the account's `paymentLink`, by default immediate for
    Stripe and none for custom accounts (cash, invoice)."""
    default = "immediate" if account.get("type") == "stripe" else "none"
    kind: str = account.get("paymentLink") or default
    return kind


def _lines(state: EmulatorState, requested: list[dict[str, Any]]) -> list[OrderLine]:
    lines: list[OrderLine] = []
    for item in requested:
        product = state.any_product(item["productId"])
        assert product is not None  # shop_check: a product of the definition
        lines.append(
            OrderLine(
                product_id=product["id"],
                quantity=item["quantity"],
                price=unit_price(product, state.shop.price_attribute),
                titles=product["localizeInfos"],
                sku=product.get("sku"),
            )
        )
    return lines


def build_past_orders(
    state: EmulatorState, first_session_id: int
) -> tuple[list[StoredOrder], list[StoredSession]]:
    """The stored orders and sessions of the definition's `pastOrders`."""
    start = state.now()
    orders: list[StoredOrder] = []
    sessions: list[StoredSession] = []
    next_session_id = first_session_id
    for past in state.data.get("pastOrders", []):
        storage = state.storage(past["storage"])
        user = state.user_by_login(past["user"])
        account = state.account(past["paymentAccountIdentifier"])
        payment_statuses = {s["identifier"]: s for s in storage["paymentStatuses"]}
        lines = _lines(state, past["products"])
        created_at = start - float(past["ageHours"]) * 3600
        order = StoredOrder(
            id=past["id"],
            storage_id=storage["id"],
            storage_identifier=storage["identifier"],
            user_id=user["id"],
            form_identifier=storage["formIdentifier"],
            form_data=[dict(entry) for entry in past["formData"]],
            lines=lines,
            requested_products=[
                {"productId": line.product_id, "quantity": line.quantity} for line in lines
            ],
            currency=state.shop.currency if lines else "",
            total_sum=sum((line.price * line.quantity for line in lines), Decimal("0")),
            status_identifier=past["statusIdentifier"],
            payment_status_identifier=past["paymentStatusIdentifier"],
            payment_account_identifier=account["identifier"],
            created_date=iso_at(created_at),
            form_lang=past["formLang"],
            is_completed=True
            if payment_statuses[past["paymentStatusIdentifier"]].get("isPaid")
            else None,
        )
        for past_session in past.get("sessions", []):
            session_id = next_session_id
            next_session_id += 1
            has_link = payment_link_kind(account) != "none"
            at = iso_at(created_at + SESSION_AFTER_ORDER_S)
            session = StoredSession(
                id=session_id,
                order_id=order.id,
                user_id=user["id"],
                type=past_session.get("type", "session"),
                status=past_session["status"],
                payment_account_id=account["id"],
                payment_account_identifier=account["identifier"],
                payment_url=f"/pay/{session_id}" if has_link else None,
                amount=float(order.total_sum) if account.get("type") == "stripe" else None,
                created_date=at,
                updated_date=at,
            )
            sessions.append(session)
            if has_link:
                order.payment_url = session.payment_url
        orders.append(order)
    return orders, sessions
