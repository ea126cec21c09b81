"""Staff commands and buttons: /orders, /order, /pending, /stats, /find, /status.

Thin: parse, ask the shop's staff desk (`context.shop.staff`), render in the admin's language.
Every handler here is built behind the one `AdminFilter`, so nobody else ever reaches these
callbacks.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from shop.staff_records import (
    StaffAudience,
    StaffUnavailable,
    StatsPeriod,
    StatusChangeRefused,
    UnknownStatus,
)
from ui import callback_data as cd
from ui.admin_gate import AdminCallbackQueryHandler, AdminFilter
from ui.arguments import order_number
from ui.context import ShopContext
from ui.screen import Screen
from ui.sending import send, show
from ui.updates import callback_query, chat_id
from ui.views import admin as views


def _match(context: ShopContext) -> re.Match[str]:
    assert context.matches  # every staff button handler has a pattern
    return context.matches[0]


# -- commands ----------------------------------------------------------------------------------


async def orders(update: Update, context: ShopContext) -> None:
    """`/orders [page]`: the storage's latest orders (pages count from 1)."""
    number = order_number(context.args[0]) if context.args else 1
    await _show_page(update, context, max((number or 1) - 1, 0))


async def order(update: Update, context: ShopContext) -> None:
    """`/order <id>`: everything about one order."""
    context.remember_staff_language()
    order_id = order_number(context.args[0]) if context.args else None
    if order_id is None:
        usage = views.usage_screen(context.texts("Usage: /order <order number>"))
        await show(update, context, usage)
        return
    await show(update, context, await _detail(context, order_id))


async def pending(update: Update, context: ShopContext) -> None:
    """`/pending`: unpaid orders, oldest first."""
    await _show_pending(update, context, 0)


async def stats(update: Update, context: ShopContext) -> None:
    """`/stats [today|7d|30d]`: orders, paid orders and revenue per currency."""
    context.remember_staff_language()
    word = context.args[0].lower() if context.args else StatsPeriod.TODAY.value
    if word not in {period.value for period in StatsPeriod}:
        usage = views.usage_screen(context.texts("Usage: /stats [today|7d|30d]"))
        await show(update, context, usage)
        return
    try:
        found = await context.shop.staff.stats(StatsPeriod(word))
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(context.texts))
        return
    await show(update, context, views.stats_screen(context.texts, found, context.language))


async def find(update: Update, context: ShopContext) -> None:
    """`/find <phone|email|name>`: matching orders, newest first."""
    context.remember_staff_language()
    query = " ".join(context.args or []).strip()
    if not query:
        usage = views.usage_screen(context.texts("Usage: /find <phone, email or name>"))
        await show(update, context, usage)
        return
    try:
        found = await context.shop.staff.find(query)
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.find_screen(context.texts, query, found, context.language, context.timezone)
    await show(update, context, screen)


async def status(update: Update, context: ShopContext) -> None:
    """`/status <id>`: buttons with the storage's statuses."""
    context.remember_staff_language()
    order_id = order_number(context.args[0]) if context.args else None
    if order_id is None:
        usage = views.usage_screen(context.texts("Usage: /status <order number>"))
        await show(update, context, usage)
        return
    await show(update, context, await _status_choices(context, order_id))


# -- buttons -----------------------------------------------------------------------------------


async def page_button(update: Update, context: ShopContext) -> None:
    """`aop:<page>`: another page of the list, in place."""
    await callback_query(update).answer()
    await _show_page(update, context, int(_match(context).group(1)))


async def pending_page_button(update: Update, context: ShopContext) -> None:
    """`app:<page>`: another page of the unpaid orders, in place."""
    await callback_query(update).answer()
    await _show_pending(update, context, int(_match(context).group(1)))


async def order_button(update: Update, context: ShopContext) -> None:
    """`ao:<id>`: the order, as a new message so a card or list stays in the chat."""
    await callback_query(update).answer()
    context.remember_staff_language()
    order_id = int(_match(context).group(1))
    await send(context, chat_id(update), await _detail(context, order_id))


async def status_button(update: Update, context: ShopContext) -> None:
    """`as:<id>`: the status choices, as a new message."""
    await callback_query(update).answer()
    context.remember_staff_language()
    order_id = int(_match(context).group(1))
    await send(context, chat_id(update), await _status_choices(context, order_id))


async def set_status_button(update: Update, context: ShopContext) -> None:
    """`ass:<id>:<status>`: change the status; the choices turn into the result."""
    await callback_query(update).answer()
    context.remember_staff_language()
    _ = context.texts
    match = _match(context)
    order_id, new_status = int(match.group(1)), match.group(2)
    try:
        changed = await context.shop.staff.change_status(
            order_id, new_status, lang=context.content_lang
        )
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    except UnknownStatus:
        await show(update, context, await _status_choices(context, order_id))
        return
    except StatusChangeRefused:
        await show(update, context, views.status_refused_screen(_))
        return
    if changed is None:
        await show(update, context, views.not_found_screen(_, order_id))
        return
    await show(update, context, views.status_changed_screen(_, changed))


# -- shared ------------------------------------------------------------------------------------


async def _show_pending(update: Update, context: ShopContext, page: int) -> None:
    context.remember_staff_language()
    try:
        unpaid = await context.shop.staff.pending()
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.pending_screen(context.texts, unpaid, context.language, context.timezone, page)
    await show(update, context, screen)


async def _show_page(update: Update, context: ShopContext, number: int) -> None:
    context.remember_staff_language()
    try:
        page = await context.shop.staff.page(number)
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.orders_page_screen(context.texts, page, context.language, context.timezone)
    await show(update, context, screen)


async def _detail(context: ShopContext, order_id: int) -> Screen:
    try:
        detail = await context.shop.staff.order(order_id, lang=context.content_lang)
    except StaffUnavailable:
        return views.unavailable_screen(context.texts)
    if detail is None:
        return views.not_found_screen(context.texts, order_id)
    return views.order_detail_screen(context.texts, detail, context.language, context.timezone)


async def _status_choices(context: ShopContext, order_id: int) -> Screen:
    try:
        detail = await context.shop.staff.order(order_id, lang=context.content_lang)
        if detail is None:
            return views.not_found_screen(context.texts, order_id)
        choices = await context.shop.staff.statuses(context.content_lang)
    except StaffUnavailable:
        return views.unavailable_screen(context.texts)
    return views.status_choices_screen(context.texts, detail.order, choices)


def admin_handlers(audience: StaffAudience) -> list[BaseHandler[Update, ShopContext, None]]:
    """Every staff handler, behind one gate. Registered before the customers' handlers so an
    admin's /orders lists the storage; customers' /orders (and the admin's own orders from the
    menu) stay with "My orders"."""
    gate = AdminFilter(audience.admin_ids, audience.staff_chat_id)
    messages = filters.UpdateType.MESSAGE & gate
    return [
        CommandHandler("orders", orders, filters=messages),
        CommandHandler("order", order, filters=messages),
        CommandHandler("pending", pending, filters=messages),
        CommandHandler("stats", stats, filters=messages),
        CommandHandler("find", find, filters=messages),
        CommandHandler("status", status, filters=messages),
        AdminCallbackQueryHandler(gate, page_button, cd.pattern(cd.ADMIN_ORDERS_PAGE, cd.NUMBER)),
        AdminCallbackQueryHandler(
            gate, pending_page_button, cd.pattern(cd.ADMIN_PENDING_PAGE, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(gate, order_button, cd.pattern(cd.ADMIN_ORDER, cd.NUMBER)),
        AdminCallbackQueryHandler(gate, status_button, cd.pattern(cd.ADMIN_STATUS, cd.NUMBER)),
        AdminCallbackQueryHandler(
            gate, set_status_button, cd.pattern(cd.ADMIN_SET_STATUS, cd.NUMBER, cd.STATUS_ID)
        ),
    ]
