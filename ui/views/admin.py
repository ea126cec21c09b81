"""How orders read to the shop's staff: lists, one order, pending, stats, search results,
status choices and the new/paid order card. Every customer value is HTML-escaped."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.ledger_records import OrderRecord
from shop.staff_records import (
    OrdersPage,
    OrderStats,
    StaffOrder,
    StaffOrderDetail,
    StaffOrderLine,
    StatsPeriod,
    StatusChoice,
)
from ui import callback_data as cd
from ui.formatting import escape, money, shorten
from ui.keyboards import pager_row
from ui.screen import Screen

MAX_LIST_NAME = 40


def when(moment: datetime | None, language: str, timezone: tzinfo = UTC) -> str:
    """A moment in the shop's time zone, with the zone's abbreviation (OneEntry's own dates
    without a zone are UTC)."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(timezone)
    shown = format_datetime(local, format="short", tzinfo=timezone, locale=language)
    return f"{shown} {local.tzname() or ''}".rstrip()


def telegram_link(_: Texts, user_id: int) -> str:
    """The customer's Telegram account as a mention: tapping it opens their profile."""
    label = _("open the chat")
    return f'<a href="tg://user?id={user_id}">{label}</a>'


def history_kind(_: Texts, kind: str) -> str:
    """What happened, in the admin's words; an unfamiliar kind as it is."""
    kinds = {
        "placed": _("placed"),
        "paid": _("paid"),
        "status_changed": _("status changed to"),
        "cancelled": _("cancelled"),
        "payment_failed": _("payment failed"),
    }
    return kinds.get(kind) or escape(kind)


def customer_line(_: Texts, order: StaffOrder) -> str:
    name = escape(shorten(order.customer_name, MAX_LIST_NAME)) if order.customer_name else "—"
    return _("Customer: {name}", name=name)


def statuses_line(_: Texts, order: StaffOrder) -> str:
    payment = _("paid") if order.is_paid else escape(order.payment_status_title or "—")
    status = escape(order.order_status_title or order.order_status or "—")
    return _("Payment: {payment} · Status: {status}", payment=payment, status=status)


def summary_lines(_: Texts, order: StaffOrder, language: str, timezone: tzinfo = UTC) -> list[str]:
    """The two or three lines an order gets in a list."""
    total = money(order.total, order.currency, language)
    return [
        f"<b>#{order.order_id}</b> · {when(order.created_at, language, timezone)} · {total}",
        customer_line(_, order),
        statuses_line(_, order),
    ]


def order_buttons(_: Texts, order_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            _("🔎 Order #{number}", number=order_id),
            callback_data=cd.build(cd.ADMIN_ORDER, order_id),
        ),
        InlineKeyboardButton(
            _("🏷 Change status"), callback_data=cd.build(cd.ADMIN_STATUS, order_id)
        ),
    ]


def order_list(
    _: Texts,
    title: str,
    orders: tuple[StaffOrder, ...] | list[StaffOrder],
    language: str,
    timezone: tzinfo = UTC,
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    lines = [title]
    rows: list[list[InlineKeyboardButton]] = []
    for order in orders:
        lines.append("\n".join(summary_lines(_, order, language, timezone)))
        rows.append(
            [
                InlineKeyboardButton(
                    _("Order #{number}", number=order.order_id),
                    callback_data=cd.build(cd.ADMIN_ORDER, order.order_id),
                )
            ]
        )
    return "\n\n".join(lines), rows


def orders_page_screen(_: Texts, page: OrdersPage, language: str, timezone: tzinfo = UTC) -> Screen:
    if not page.orders:
        return Screen(_("<b>Orders</b>") + "\n" + _("There are no orders yet."))
    title = _("<b>Orders</b> · {total} in all, newest first", total=page.total)
    text, rows = order_list(_, title, page.orders, language, timezone)
    if page.count > 1:
        rows.append(pager_row(cd.ADMIN_ORDERS_PAGE, page.number, page.count))
    return Screen(text, InlineKeyboardMarkup(rows))


def item_line(_: Texts, line: StaffOrderLine, currency: str, language: str) -> str:
    title = escape(line.title) if line.title else _("Product")
    price = f" · {money(line.price, currency, language)}" if line.price is not None else ""
    return f"• {title} × {line.quantity}{price}"


def order_detail_screen(
    _: Texts, detail: StaffOrderDetail, language: str, timezone: tzinfo = UTC
) -> Screen:
    """Everything about one order. Phone and email are plain text, which Telegram turns into
    tappable links itself (its HTML has no tel: or mailto: links)."""
    order = detail.order
    title = _("Order #{number}", number=order.order_id)
    lines = [
        f"<b>{title}</b> · {when(order.created_at, language, timezone)}",
        "",
        _("Customer: {name}", name=escape(order.customer_name or "—")),
        _("Phone: {phone}", phone=escape(order.phone or "—")),
        _("Email: {email}", email=escape(order.email or "—")),
    ]
    if order.telegram_user_id is not None:
        link = telegram_link(_, order.telegram_user_id)
        lines.append(_("Telegram: {link}", link=link))
    else:
        lines.append(_("Telegram: not placed through this bot"))
    lines.append("")
    lines += [item_line(_, line, order.currency, language) for line in order.lines]
    lines += [
        "",
        _("Total: {total}", total=money(order.total, order.currency, language)),
        _(
            "Payment method: {account}",
            account=escape(order.payment_account_title or order.payment_account or "—"),
        ),
        statuses_line(_, order),
        _("Payment session: {status}", status=escape(detail.session_status or "—")),
    ]
    if detail.payment_url:
        label = _("open")
        page_link = f'<a href="{escape(detail.payment_url)}">{label}</a>'
        lines.append(_("Payment page: {url}", url=page_link))
    if detail.history:
        lines += ["", _("<b>History</b>")]
        for change in detail.history:
            status = escape(change.order_status or change.payment_status or "")
            kind = history_kind(_, change.kind)
            lines.append(f"• {when(change.at, language, timezone)} · {kind} {status}".rstrip())
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("🏷 Change status"), callback_data=cd.build(cd.ADMIN_STATUS, order.order_id)
                ),
                InlineKeyboardButton(
                    _("📋 Orders"), callback_data=cd.build(cd.ADMIN_ORDERS_PAGE, 0)
                ),
            ]
        ]
    )
    return Screen("\n".join(lines), keyboard)


PENDING_PAGE_SIZE = 10


def pending_screen(
    _: Texts, orders: list[StaffOrder], language: str, timezone: tzinfo = UTC, page: int = 0
) -> Screen:
    """Unpaid orders, oldest first, `PENDING_PAGE_SIZE` a page (the page is clamped)."""
    if not orders:
        return Screen(_("<b>Unpaid orders</b>") + "\n" + _("Every order is paid."))
    pages = -(-len(orders) // PENDING_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = orders[page * PENDING_PAGE_SIZE : (page + 1) * PENDING_PAGE_SIZE]
    title = _("<b>Unpaid orders</b> · {count}, oldest first", count=len(orders))
    text, rows = order_list(_, title, shown, language, timezone)
    if pages > 1:
        rows.append(pager_row(cd.ADMIN_PENDING_PAGE, page, pages))
    return Screen(text, InlineKeyboardMarkup(rows))


def find_screen(
    _: Texts, query: str, orders: list[StaffOrder], language: str, timezone: tzinfo = UTC
) -> Screen:
    if not orders:
        return Screen(_("No orders match “{query}”.", query=escape(query)))
    title = _("<b>Orders matching “{query}”</b>", query=escape(query))
    text, rows = order_list(_, title, orders, language, timezone)
    return Screen(text, InlineKeyboardMarkup(rows))


def stats_screen(_: Texts, stats: OrderStats, language: str) -> Screen:
    periods = {
        StatsPeriod.TODAY: _("today"),
        StatsPeriod.WEEK: _("the last 7 days"),
        StatsPeriod.MONTH: _("the last 30 days"),
    }
    lines = [
        _("<b>Orders for {period}</b>", period=periods[stats.period]),
        "",
        _("Orders: {count}", count=stats.orders),
        _("Paid orders: {count}", count=stats.paid_orders),
    ]
    for totals in stats.currencies:
        lines.append(
            _(
                "Revenue: {revenue} · average order {average}",
                revenue=money(totals.revenue, totals.currency, language),
                average=money(totals.average, totals.currency, language),
            )
        )
    if not stats.currencies:
        lines.append(_("Revenue: none yet"))
    if not stats.complete:
        lines += ["", _("Only the latest orders were counted.")]
    return Screen("\n".join(lines))


def status_choices_screen(_: Texts, order: StaffOrder, choices: tuple[StatusChoice, ...]) -> Screen:
    current = escape(order.order_status_title or order.order_status or "—")
    text = _(
        "<b>Order #{number}</b>: the status is now {status}. Choose the new status:",
        number=order.order_id,
        status=current,
    )
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if choice.identifier == order.order_status else "") + choice.title,
                callback_data=cd.build(cd.ADMIN_SET_STATUS, order.order_id, choice.identifier),
            )
        ]
        for choice in choices
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def status_changed_screen(_: Texts, order: StaffOrder) -> Screen:
    text = _(
        "<b>Order #{number}</b>: the status is now {status}. The customer will be told.",
        number=order.order_id,
        status=escape(order.order_status_title or order.order_status or "—"),
    )
    return Screen(text, InlineKeyboardMarkup([order_buttons(_, order.order_id)]))


def staff_order_from_record(record: OrderRecord) -> StaffOrder:
    """An order as the ledger holds it, for a card when OneEntry cannot be asked."""
    return StaffOrder(
        order_id=record.order_id,
        created_at=record.created_at,
        customer_name=None,
        phone=None,
        email=None,
        lines=tuple(StaffOrderLine(item.title, item.quantity, None) for item in record.items),
        total=record.total,
        currency=record.currency,
        payment_account=record.payment_account,
        payment_account_title=None,
        payment_status=record.payment_status,
        payment_status_title=record.payment_status,
        is_paid=record.is_paid,
        order_status=record.order_status,
        order_status_title=record.order_status_title,
        telegram_user_id=record.user_id,
    )


def order_card(_: Texts, order: StaffOrder, paid: bool, language: str) -> Screen:
    """The staff notification for a new or a paid order, with its two buttons."""
    heading = (
        _("💰 Order #{number} is paid", number=order.order_id)
        if paid
        else _("🆕 New order #{number}", number=order.order_id)
    )
    lines = [f"<b>{heading}</b>", ""]
    lines.append(customer_line(_, order))
    if order.phone:
        lines.append(_("Phone: {phone}", phone=escape(order.phone)))
    if order.telegram_user_id is not None:
        link = telegram_link(_, order.telegram_user_id)
        lines.append(_("Telegram: {link}", link=link))
    lines += [item_line(_, line, order.currency, language) for line in order.lines]
    lines += [
        _("Total: {total}", total=money(order.total, order.currency, language)),
        _(
            "Payment method: {account}",
            account=escape(order.payment_account_title or order.payment_account or "—"),
        ),
    ]
    return Screen("\n".join(lines), InlineKeyboardMarkup([order_buttons(_, order.order_id)]))


def usage_screen(usage: str) -> Screen:
    """How a staff command is typed (its `<placeholders>` escaped)."""
    return Screen(escape(usage))


def unavailable_screen(_: Texts) -> Screen:
    return Screen(_("OneEntry is not answering right now; please try again in a minute."))


def not_found_screen(_: Texts, order_id: int) -> Screen:
    return Screen(_("There is no order #{number}.", number=order_id))


def status_refused_screen(_: Texts) -> Screen:
    return Screen(
        _(
            "OneEntry refused the status change. The project's API permissions may not "
            "allow the bot to change order statuses."
        )
    )
