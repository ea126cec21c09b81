"""How orders read to the shop's staff: lists, one order, pending, stats, search results,
status choices and their confirmation, the new/paid order card, and the staff's help. Every
customer value is HTML-escaped; every status is the shop's own title, never its marker."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from babel.dates import format_date, format_time
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.config import PaymentState
from shop.ledger_records import OrderRecord
from shop.staff_records import (
    CustomerTold,
    FoundOrders,
    OrdersPage,
    OrderStats,
    PendingOrders,
    StaffOrder,
    StaffOrderDetail,
    StaffOrderLine,
    StatsPeriod,
    StatusChangePlan,
    StatusChoice,
    StatusEffect,
)
from ui import callback_data as cd
from ui.formatting import escape, money, shorten
from ui.keyboards import pager_row
from ui.screen import Screen
from ui.views.menu import help_screen, menu_screen

MAX_LIST_NAME = 40
PENDING_PAGE_SIZE = 10


def when(moment: datetime | None, language: str, timezone: tzinfo = UTC) -> str:
    """A moment in the shop's time zone: the date as customers see it, the time, and the
    zone's abbreviation (OneEntry's own dates without a zone are UTC)."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(timezone)
    day = format_date(local.date(), format="medium", locale=language)
    time = format_time(local, format="short", tzinfo=timezone, locale=language)
    return f"{day}, {time} {local.tzname() or ''}".rstrip()


def telegram_link(_: Texts, user_id: int) -> str:
    """The customer's Telegram account as a mention: tapping it opens their profile."""
    label = _("open the chat")
    return f'<a href="tg://user?id={user_id}">{label}</a>'


def history_line(_: Texts, kind: str, status: str | None) -> str:
    """What happened, in the admin's words, each thing once (a cancellation is the shop's own
    cancelled status: its title says so); an unfamiliar kind as it is."""
    shown = escape(status or "—")
    kinds = {
        "placed": _("placed"),
        "paid": _("paid"),
        "status_changed": _("status changed to {status}", status=shown),
        "cancelled": _("status changed to {status}", status=shown),
        "payment_failed": _("payment failed"),
    }
    return kinds.get(kind) or escape(kind)


def status_title(order: StaffOrder) -> str:
    return escape(order.order_status_title or order.order_status or "—")


def payment_text(_: Texts, order: StaffOrder) -> str:
    """Paid, else the storage's payment status in the staff's language."""
    if order.is_paid:
        return _("Paid")
    return escape(order.payment_status_title) if order.payment_status_title else _("Not paid")


def session_text(_: Texts, state: PaymentState | None) -> str:
    """The latest payment session's status, in the bot's words (the gateway's own are
    free-form markers)."""
    if state is None:
        return _("none")
    return {
        PaymentState.PAID: _("paid"),
        PaymentState.WAITING: _("open, not paid yet"),
        PaymentState.FAILED: _("expired, failed or cancelled"),
    }[state]


def customer_line(_: Texts, order: StaffOrder) -> str:
    name = escape(shorten(order.customer_name, MAX_LIST_NAME)) if order.customer_name else "—"
    return _("Customer: {name}", name=name)


def statuses_line(_: Texts, order: StaffOrder) -> str:
    return _(
        "Payment: {payment} · Status: {status}",
        payment=payment_text(_, order),
        status=status_title(order),
    )


def summary_lines(_: Texts, order: StaffOrder, language: str, timezone: tzinfo = UTC) -> list[str]:
    """The three lines an order gets in a list."""
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
    """A product line as the customer saw it in their cart: title × quantity — line total."""
    if line.title:
        title = escape(line.title)
    elif line.product_id is not None:
        title = _("Product #{id}", id=line.product_id)
    else:
        title = _("Product")
    total = line.total
    priced = f" — {money(total, currency, language)}" if total is not None else ""
    return f"• {title} × {line.quantity}{priced}"


def contact_lines(_: Texts, order: StaffOrder) -> list[str]:
    """Name, phone, email, the customer's Telegram and every other field they filled in.
    Phone and email are plain text, which Telegram turns into tappable links itself (its HTML
    has no tel: or mailto: links)."""
    lines = [
        _("Customer: {name}", name=escape(order.customer_name or "—")),
        _("Phone: {phone}", phone=escape(order.phone or "—")),
        _("Email: {email}", email=escape(order.email or "—")),
    ]
    lines += [f"{escape(field.title)}: {escape(field.value)}" for field in order.fields]
    if order.telegram_user_id is not None:
        lines.append(_("Telegram: {link}", link=telegram_link(_, order.telegram_user_id)))
    else:
        lines.append(_("Telegram: not placed through this bot"))
    if order.campaign:
        lines.append(_("Campaign: {tag}", tag=escape(order.campaign)))
    return lines


def payment_method_line(_: Texts, order: StaffOrder) -> str:
    return _(
        "Payment method: {account}",
        account=escape(order.payment_account_title or order.payment_account or "—"),
    )


def order_detail_screen(
    _: Texts, detail: StaffOrderDetail, language: str, timezone: tzinfo = UTC
) -> Screen:
    """Everything about one order."""
    order = detail.order
    title = _("Order #{number}", number=order.order_id)
    lines = [f"<b>{title}</b> · {when(order.created_at, language, timezone)}", ""]
    lines += contact_lines(_, order)
    lines.append("")
    lines += [item_line(_, line, order.currency, language) for line in order.lines]
    lines += [
        "",
        _("Total: {total}", total=money(order.total, order.currency, language)),
        payment_method_line(_, order),
        statuses_line(_, order),
        _("Payment session: {status}", status=session_text(_, detail.session_state)),
    ]
    if detail.payment_url:
        label = _("open")
        page_link = f'<a href="{escape(detail.payment_url)}">{label}</a>'
        lines.append(_("Payment page: {url}", url=page_link))
    if detail.history:
        lines += ["", _("<b>History</b>")]
        for change in detail.history:
            what = history_line(_, change.kind, change.order_status_title)
            lines.append(f"• {when(change.at, language, timezone)} · {what}")
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


def pending_screen(
    _: Texts, pending: PendingOrders, language: str, timezone: tzinfo = UTC, page: int = 0
) -> Screen:
    """Unpaid orders, oldest first, `PENDING_PAGE_SIZE` a page (the page is clamped); says
    when older orders were not looked at."""
    since = when(pending.since, language, timezone)
    older = (
        [
            _(
                "Orders placed before {date} are not included: /pending {days} looks {days} "
                "days back.",
                date=since,
                days=max(pending.days * 3, 90),
            )
        ]
        if pending.older_exist
        else []
    )
    if not pending.orders:
        text = "\n".join(
            [_("<b>Unpaid orders</b>"), _("Every order since {date} is paid.", date=since), *older]
        )
        return Screen(text)
    orders = pending.orders
    pages = -(-len(orders) // PENDING_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = orders[page * PENDING_PAGE_SIZE : (page + 1) * PENDING_PAGE_SIZE]
    title = _(
        "<b>Unpaid orders</b> since {date} · {count}, oldest first", date=since, count=len(orders)
    )
    text, rows = order_list(_, title, shown, language, timezone)
    if older:
        text += "\n\n" + older[0]
    if pages > 1:
        rows.append(pager_row(cd.build(cd.ADMIN_PENDING_PAGE, pending.days), page, pages))
    return Screen(text, InlineKeyboardMarkup(rows))


def find_screen(
    _: Texts, query: str, found: FoundOrders, language: str, timezone: tzinfo = UTC
) -> Screen:
    if not found.orders:
        return Screen(_("No orders match “{query}”.", query=escape(query)))
    title = _("<b>Orders matching “{query}”</b>, newest first", query=escape(query))
    text, rows = order_list(_, title, found.orders, language, timezone)
    if found.limited:
        text += "\n\n" + _(
            "These are the {count} newest matches; older orders may match too. A longer "
            "search finds fewer.",
            count=len(found.orders),
        )
    return Screen(text, InlineKeyboardMarkup(rows))


def stats_screen(_: Texts, stats: OrderStats, language: str, timezone: tzinfo = UTC) -> Screen:
    """Per currency: orders placed, paid orders, their revenue and the average paid order."""
    periods = {
        StatsPeriod.TODAY: _("today"),
        StatsPeriod.WEEK: _("the last 7 days"),
        StatsPeriod.MONTH: _("the last 30 days"),
    }
    lines = [
        _("<b>Orders for {period}</b>", period=periods[stats.period]),
        _("since {date}", date=when(stats.since, language, timezone)),
    ]
    if not stats.currencies:
        return Screen("\n".join([*lines, "", _("No orders in this period.")]))
    for totals in stats.currencies:
        lines += ["", f"<b>{escape(totals.currency or '—')}</b>"]
        lines.append(_("Orders placed: {count}", count=totals.orders))
        lines.append(_("Paid orders: {count}", count=totals.paid_orders))
        lines.append(
            _(
                "Revenue (paid orders): {revenue}",
                revenue=money(totals.revenue, totals.currency, language),
            )
        )
        if totals.average is not None:
            lines.append(
                _(
                    "Average paid order: {average}",
                    average=money(totals.average, totals.currency, language),
                )
            )
        if totals.cancelled:
            lines.append(_("Cancelled (not in the revenue): {count}", count=totals.cancelled))
    return Screen("\n".join(lines))


def status_choices_screen(_: Texts, order: StaffOrder, choices: tuple[StatusChoice, ...]) -> Screen:
    """The storage's statuses, in the shop's order, the current one ticked."""
    text = _(
        "<b>Order #{number}</b>: the status is now {status}. Choose the new status:",
        number=order.order_id,
        status=status_title(order),
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


def customer_will_hear(_: Texts, plan: StatusChangePlan) -> str:
    """What the customer is going to be told about the change, before it is made."""
    if not plan.customer_is_told:
        return _("The customer is not told: the order was not placed through this bot.")
    status = escape(plan.status.title)
    if plan.effect is StatusEffect.CANCEL and plan.order.is_paid:
        return _(
            "The customer is told in Telegram that the order is cancelled and that the shop "
            "will contact them about the refund."
        )
    if plan.effect is StatusEffect.CANCEL:
        return _("The customer is told in Telegram that the order is cancelled.")
    if plan.effect is StatusEffect.PAID and not plan.order.is_paid:
        return _(
            "The customer is told in Telegram that the order is paid and that its status is "
            "now {status}.",
            status=status,
        )
    return _("The customer is told in Telegram that its status is now {status}.", status=status)


def refund_note(_: Texts, order: StaffOrder) -> str:
    return _(
        "⚠️ This order is paid ({account}). The bot refunds nothing: return the money "
        "yourself, in the payment provider's dashboard (or in cash).",
        account=escape(order.payment_account_title or order.payment_account or "—"),
    )


def status_confirm_screen(_: Texts, plan: StatusChangePlan) -> Screen:
    """Asked before a change that cannot be taken back for the customer."""
    order, status = plan.order, escape(plan.status.title)
    if plan.effect is StatusEffect.CANCEL:
        heading = _("Cancel order #{number}?", number=order.order_id)
    else:
        heading = _("Set order #{number} to {status}?", number=order.order_id, status=status)
    lines = [
        f"<b>{heading}</b>",
        _("Its status goes from {old} to {new}.", old=status_title(order), new=status),
    ]
    if order.is_paid and plan.effect is not StatusEffect.CANCEL:
        lines.append(_("The order is paid already."))
    lines.append(customer_will_hear(_, plan))
    if plan.refund_is_due:
        lines += ["", refund_note(_, order)]
    yes = (
        _("✖ Yes, cancel it")
        if plan.effect is StatusEffect.CANCEL
        else _("✅ Yes, set {status}", status=plan.status.title)
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    yes,
                    callback_data=cd.build(
                        cd.ADMIN_CONFIRM_STATUS, order.order_id, plan.status.identifier
                    ),
                )
            ],
            [
                InlineKeyboardButton(
                    _("⬅️ Back to the statuses"),
                    callback_data=cd.build(cd.ADMIN_STATUS_BACK, order.order_id),
                )
            ],
        ]
    )
    return Screen("\n".join(lines), keyboard)


def told_text(_: Texts, told: CustomerTold) -> str:
    return {
        CustomerTold.TOLD: _("The customer has been told in Telegram."),
        CustomerTold.FAILED: _(
            "The customer could not be told: Telegram refused the message (they may have "
            "blocked the bot)."
        ),
        CustomerTold.NOT_PLACED_HERE: _(
            "The customer is not told: the order was not placed through this bot."
        ),
        CustomerTold.NOT_YET: _(
            "The customer has not been told yet: OneEntry did not answer when the bot looked "
            "at the order."
        ),
        CustomerTold.NOTHING: _("The customer is not told: the bot saw nothing new for them."),
    }[told]


def status_changed_screen(_: Texts, plan: StatusChangePlan, told: CustomerTold) -> Screen:
    text = _(
        "<b>Order #{number}</b>: the status is now {status}.",
        number=plan.order.order_id,
        status=escape(plan.status.title),
    )
    lines = [text, told_text(_, told)]
    if plan.refund_is_due:
        lines += ["", refund_note(_, plan.order)]
    return Screen("\n".join(lines), InlineKeyboardMarkup([order_buttons(_, plan.order.order_id)]))


def status_unchanged_screen(_: Texts, plan: StatusChangePlan) -> Screen:
    text = _(
        "<b>Order #{number}</b> already has the status {status}. Nothing was changed and the "
        "customer is not told.",
        number=plan.order.order_id,
        status=escape(plan.status.title),
    )
    return Screen(text, InlineKeyboardMarkup([order_buttons(_, plan.order.order_id)]))


def staff_order_from_record(record: OrderRecord) -> StaffOrder:
    """An order as the ledger holds it, for a card when OneEntry cannot be asked."""
    return StaffOrder(
        order_id=record.order_id,
        created_at=record.created_at,
        customer_name=None,
        phone=None,
        email=None,
        lines=tuple(
            StaffOrderLine(item.title, item.quantity, None, item.product_id)
            for item in record.items
        ),
        total=record.total,
        currency=record.currency,
        payment_account=record.payment_account,
        payment_account_title=None,
        payment_status=record.payment_status,
        payment_status_title=None,
        is_paid=record.is_paid,
        order_status=record.order_status,
        order_status_title=record.order_status_title,
        telegram_user_id=record.user_id,
        campaign=record.campaign,
    )


def order_card(
    _: Texts, order: StaffOrder, paid: bool, language: str, timezone: tzinfo = UTC
) -> Screen:
    """The staff notification for a new or a paid order, with its two buttons: everything the
    customer gave, the lines as they saw them, the total and how they pay."""
    heading = (
        _("💰 Order #{number} is paid", number=order.order_id)
        if paid
        else _("🆕 New order #{number}", number=order.order_id)
    )
    lines = [f"<b>{heading}</b> · {when(order.created_at, language, timezone)}", ""]
    lines += contact_lines(_, order)
    lines.append("")
    lines += [item_line(_, line, order.currency, language) for line in order.lines]
    lines += [
        _("Total: {total}", total=money(order.total, order.currency, language)),
        payment_method_line(_, order),
    ]
    return Screen("\n".join(lines), InlineKeyboardMarkup([order_buttons(_, order.order_id)]))


# -- the staff's own help ----------------------------------------------------------------------


def staff_commands_text(_: Texts) -> str:
    """One line per staff command (their `<placeholders>` escaped)."""
    return "\n".join(
        [
            _("<b>Staff commands</b>"),
            escape(_("/orders [page] — the shop's orders, newest first")),
            escape(_("/order <number> — one order: customer, items, payment, history")),
            escape(_("/pending [days] — unpaid orders of the last 30 days, oldest first")),
            escape(_("/stats [today|7d|30d] — orders, paid orders and revenue per currency")),
            escape(_("/find <phone, email or name> — a customer's orders, by any part of it")),
            escape(_("/status <number> — change an order's status")),
            escape(_("/help — this list")),
        ]
    )


def staff_help_screen(_: Texts, *, private: bool) -> Screen:
    """In an admin's own chat: the staff commands, then the customer's help (they can order
    too, and see their own orders with /myorders); in the staff chat: the staff commands."""
    commands = staff_commands_text(_)
    if not private:
        return Screen(commands)
    customer = help_screen(_, staff=True)
    return Screen(f"{commands}\n\n{customer.text}", customer.keyboard)


def staff_menu_screen(_: Texts, first_name: str | None) -> Screen:
    """The customer's menu, with a word that this is a staff member's chat."""
    menu = menu_screen(_, first_name)
    note = _("🧰 You are on the shop's staff: /help lists your commands.")
    return Screen(f"{menu.text}\n\n{note}", menu.keyboard)


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
