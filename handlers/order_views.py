"""How one order reads to its customer: the placing result and "My orders" share these."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo

from babel.dates import format_date
from telegram import InlineKeyboardButton

from handlers.formatting import escape, money
from locales import Texts
from shop.ledger_records import OrderRecord


def payment_status_text(_: Texts, order: OrderRecord) -> str:
    """The payment status in the customer's words; an unfamiliar OneEntry status as it is."""
    status = (order.payment_status or "").lower()
    if not order.has_payment_session:
        return _("Payment link not ready yet")
    if order.is_paid:
        return _("Paid")
    known = {
        "waiting": _("Awaiting payment"),
        "pending": _("Awaiting payment"),
        "expired": _("Payment link expired"),
        "canceled": _("Payment cancelled"),
        "cancelled": _("Payment cancelled"),
        "failed": _("Payment failed"),
        "refunded": _("Refunded"),
    }
    return known.get(status) or escape(order.payment_status or "")


def order_title(_: Texts, order: OrderRecord) -> str:
    return _("Order #{number}", number=order.order_id)


def order_date(order: OrderRecord, language: str, timezone: tzinfo = UTC) -> str:
    """The day the order was placed, in the shop's time zone."""
    if order.created_at is None:
        return ""
    moment = order.created_at
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return format_date(aware.astimezone(timezone).date(), format="medium", locale=language)


def status_text(order: OrderRecord, titles: Mapping[str, str] | None = None) -> str:
    """The order status as the storage titles it (in `titles`' language when given, else the
    ledger's title); the identifier only when OneEntry has no title for it."""
    identifier = order.order_status or ""
    title = (titles or {}).get(identifier) or order.order_status_title or identifier
    return escape(title)


def order_lines(
    _: Texts,
    order: OrderRecord,
    language: str,
    titles: Mapping[str, str] | None = None,
    timezone: tzinfo = UTC,
) -> list[str]:
    """Number and date, items, total, statuses: everything but the next steps."""
    date = order_date(order, language, timezone)
    lines = [f"<b>{escape(order_title(_, order))}</b> · {date}", ""]
    for item in order.items:
        title = escape(item.title) if item.title else _("Product #{id}", id=item.product_id)
        lines.append(f"• {title} × {item.quantity}")
    lines += [
        "",
        _("Total: {total}", total=money(order.total, order.currency, language)),
        _("Payment: {status}", status=payment_status_text(_, order)),
    ]
    if order.order_status_title or order.order_status:
        lines.append(_("Status: {status}", status=status_text(order, titles)))
    return lines


def next_step_text(_: Texts, order: OrderRecord) -> str:
    """What the customer does now: pay on the page, wait for the link, or nothing (cash)."""
    if order.is_paid:
        return _("Thank you! Your order is paid.")
    if not order.has_payment_session:
        return _(
            "The payment link is not ready yet: the shop did not answer in time. "
            "Your order is saved; tap “🔄 Get payment link” in a minute."
        )
    if order.payment_url:
        return _("Tap “💳 Pay” to pay on the secure payment page.")
    return _("You pay when you receive the order. We will contact you about the delivery.")


def pay_button(_: Texts, order: OrderRecord) -> InlineKeyboardButton | None:
    """A URL button to the payment page while the order is unpaid and has one."""
    if not order.awaits_payment_link or order.payment_url is None:
        return None
    return InlineKeyboardButton(_("💳 Pay"), url=order.payment_url)
