"""How orders read to their customer: the order message (placed, redrawn by the follow-up,
opened from My orders), the My orders list, and the follow-up's notices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.events import OrderEventKind
from shop.ledger_records import OrderRecord
from ui import callback_data as cd
from ui.formatting import answer_lines, escape, money
from ui.keyboards import back_to_menu_row, pager_row
from ui.screen import Screen

# Characters of one answer the order message shows: an order of a full cart and a long
# delivery note must still fit one Telegram message (4096 characters).
ANSWER_CHARS = 300


def payment_status_text(_: Texts, order: OrderRecord) -> str:
    """The payment's state in the customer's words (the ledger keeps the bot's own words,
    whatever the shop calls its session statuses)."""
    if not order.has_payment_session:
        return _("Payment link not ready yet")
    if order.is_paid:
        return _("Paid")
    if order.payment_failed:
        return _("Payment failed")
    return _("Awaiting payment")


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
    """Number and date, items, total, statuses, the customer's answers: everything but the
    next steps."""
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
    details = details_lines(order)
    return [*lines, "", *details] if details else lines


def details_lines(order: OrderRecord) -> list[str]:
    """What the customer gave at the checkout, as "Title: answer" in the words the summary
    showed, escaped; a long answer is cut (the whole of it went to the shop)."""
    return answer_lines(order.details, ANSWER_CHARS)


def next_step_text(
    _: Texts, order: OrderRecord, pays_on_delivery: bool = True, cancelled: bool = False
) -> str:
    """What the customer does now: pay on the page, wait for the link (the shop did not answer,
    or its payment method gives the link a while later), or nothing (cash, or cancelled)."""
    if cancelled:
        return cancelled_text(_, order)
    if order.is_paid:
        return _("Thank you! Your order is paid.")
    if not order.has_payment_session:
        return _(
            "The payment link is not ready yet: the shop did not answer in time. "
            "Your order is saved; tap “🔄 Get payment link” in a minute."
        )
    if order.payment_url:
        return _("Tap “💳 Pay” to pay on the secure payment page.")
    if not pays_on_delivery:
        return _("⏳ The payment link is on its way: it appears in this message in a moment.")
    return _("You pay when you receive the order. We will contact you about the delivery.")


def cancelled_text(_: Texts, order: OrderRecord) -> str:
    """A cancelled order's last word; a paid one says plainly what happens to the money."""
    if order.is_paid:
        return _(
            "This order is cancelled. It was paid: the shop will contact you about the refund."
        )
    return _("This order is cancelled.")


def pay_button(
    _: Texts, order: OrderRecord, cancelled: bool = False
) -> InlineKeyboardButton | None:
    """A URL button to the payment page while the order is unpaid (and not cancelled) and has
    one."""
    if cancelled or not order.awaits_payment_link or order.payment_url is None:
        return None
    return InlineKeyboardButton(_("💳 Pay"), url=order.payment_url)


def order_message(
    _: Texts,
    order: OrderRecord,
    language: str,
    timezone: tzinfo = UTC,
    titles: Mapping[str, str] | None = None,
    *,
    placed: bool = False,
    pays_on_delivery: bool = True,
    cancelled: bool = False,
) -> Screen:
    """The one message an order is shown in: number, total as OneEntry computed it, payment
    and order status, what to do next, Pay. `placed` heads the message that answered the
    Confirm (and that the follow-up keeps up to date); `pays_on_delivery`: the order's payment
    method gives no payment page (cash), so a session without a link is not waiting for one;
    `cancelled`: its status is one of the shop's cancelled ones (no Pay, and a paid one says
    what happens to the money)."""
    lines = order_lines(_, order, language, titles, timezone)
    if placed:
        lines = [_("✅ <b>Your order is placed.</b>"), "", *lines]
    text = "\n".join([*lines, "", next_step_text(_, order, pays_on_delivery, cancelled)])
    rows: list[list[InlineKeyboardButton]] = []
    pay = pay_button(_, order, cancelled)
    if pay is not None:
        rows.append([pay])
    if not order.has_payment_session:
        retry = cd.confirm(order.checkout_id)  # handled outside the conversation too
        rows.append([InlineKeyboardButton(_("🔄 Get payment link"), callback_data=retry)])
    rows.append([_my_orders_button(_), *back_to_menu_row(_)])
    return Screen(text, InlineKeyboardMarkup(rows))


def earlier_order_message(
    _: Texts,
    order: OrderRecord,
    language: str,
    timezone: tzinfo = UTC,
    *,
    pays_on_delivery: bool = True,
    cancelled: bool = False,
) -> Screen:
    """Sent at start-up for a checkout left unfinished that did become an order."""
    screen = order_message(
        _,
        order,
        language,
        timezone,
        placed=True,
        pays_on_delivery=pays_on_delivery,
        cancelled=cancelled,
    )
    notice = _("We have checked the order you confirmed earlier:")
    return Screen(f"{notice}\n\n{screen.text}", screen.keyboard)


def earlier_order_missing_screen(_: Texts) -> Screen:
    text = _(
        "We have checked the order you confirmed earlier: it was not placed, and nothing was "
        "charged. Please open your cart and confirm again."
    )
    cart = InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))
    return Screen(text, InlineKeyboardMarkup([[cart]]))


def orders_screen(
    _: Texts,
    orders: list[OrderRecord],
    page: int,
    pages: int,
    language: str,
    titles: Mapping[str, str] | None = None,
    timezone: tzinfo = UTC,
) -> Screen:
    """One page of My orders, newest first."""
    if not orders:
        text = _("<b>My orders</b>") + "\n" + _("You have no orders yet.")
        catalog = InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.menu(cd.SECTION_CATALOG))
        return Screen(text, InlineKeyboardMarkup([[catalog], back_to_menu_row(_)]))
    lines = [_("<b>My orders</b>")]
    rows: list[list[InlineKeyboardButton]] = []
    for order in orders:
        total = money(order.total, order.currency, language)
        status = payment_status_text(_, order)
        if order.order_status:
            status += f" · {status_text(order, titles)}"
        lines.append(
            f"<b>{order_title(_, order)}</b> · {order_date(order, language, timezone)} · {total}"
            f"\n{status}"
        )
        row = [
            InlineKeyboardButton(
                order_title(_, order), callback_data=cd.build(cd.ORDER, order.order_id)
            )
        ]
        pay = pay_button(_, order)
        if pay is not None:
            row.append(pay)
        rows.append(row)
    if pages > 1:
        rows.append(pager_row(cd.ORDERS_PAGE, page, pages))
    rows.append(back_to_menu_row(_))
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def order_not_found_screen(_: Texts) -> Screen:
    return Screen(
        _("Order not found."), InlineKeyboardMarkup([[_my_orders_button(_), *back_to_menu_row(_)]])
    )


def _my_orders_button(_: Texts) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("📦 My orders"), callback_data=cd.build(cd.ORDERS_PAGE, 0))


def notice_text(_: Texts, order: OrderRecord, kinds: tuple[OrderEventKind, ...]) -> str:
    """One short message for everything one look found, most important first."""
    number = order.order_id
    lines: list[str] = []
    for kind in kinds:
        match kind:
            case OrderEventKind.PAID:
                lines.append(_("✅ Order #{number} is paid. Thank you!", number=number))
            case OrderEventKind.CANCELLED if order.is_paid:
                lines.append(
                    _(
                        "✖ Order #{number} has been cancelled. It was paid: the shop will "
                        "contact you about the refund.",
                        number=number,
                    )
                )
            case OrderEventKind.CANCELLED:
                lines.append(_("✖ Order #{number} has been cancelled.", number=number))
            case OrderEventKind.STATUS_CHANGED:
                status = escape(order.order_status_title or order.order_status or "")
                lines.append(_("📦 Order #{number}: {status}", number=number, status=status))
            case OrderEventKind.PAYMENT_FAILED if order.payment_url and not order.is_paid:
                lines.append(
                    _(
                        "⚠️ The payment for order #{number} did not go through. "
                        "Tap “💳 Pay” to try again.",
                        number=number,
                    )
                )
            case OrderEventKind.PAYMENT_FAILED:
                lines.append(
                    _("⚠️ The payment for order #{number} did not go through.", number=number)
                )
    return "\n".join(lines)


def notice_screen(_: Texts, order: OrderRecord, kinds: tuple[OrderEventKind, ...]) -> Screen:
    """The follow-up's notice, with a button to the order (and Pay after a failed payment)."""
    row = [
        InlineKeyboardButton(
            order_title(_, order), callback_data=cd.build(cd.ORDER, order.order_id)
        )
    ]
    if OrderEventKind.PAYMENT_FAILED in kinds and order.payment_url and not order.is_paid:
        row.append(InlineKeyboardButton(_("💳 Pay"), url=order.payment_url))
    return Screen(notice_text(_, order, kinds), InlineKeyboardMarkup([row]))
