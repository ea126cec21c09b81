"""Staff commands and buttons: /orders, /order, /pending, /stats, /find, /status, /myorders,
and the staff's own /start and /help.

Thin: parse, ask the shop's staff desk (`context.shop.staff`), render in the admin's language.
Every handler here is built behind the one `AdminFilter`, so nobody else ever reaches these
callbacks. In a forum group an answer goes to the topic the command was typed in.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers.menu import start
from handlers.orders import orders_command
from jobs.follow_up import look_and_tell
from shop.staff import DEFAULT_PENDING_DAYS
from shop.staff_records import (
    StaffAudience,
    StaffUnavailable,
    StatsPeriod,
    StatusChangeRefused,
    StatusEffect,
    UnknownStatus,
)
from ui import callback_data as cd
from ui.admin_gate import AdminCallbackQueryHandler, AdminFilter
from ui.arguments import order_number
from ui.context import ShopContext
from ui.screen import Screen
from ui.sending import send, show
from ui.updates import PRIVATE_CHAT, callback_query, chat_id
from ui.views import admin as views

MAX_PENDING_DAYS = 3660


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
    usage = context.texts("Usage: /order <order number>")
    await _about_one_order(update, context, usage, _detail)


async def pending(update: Update, context: ShopContext) -> None:
    """`/pending [days]`: unpaid orders of the last days, oldest first."""
    days = order_number(context.args[0]) if context.args else DEFAULT_PENDING_DAYS
    if days is None or not 1 <= days <= MAX_PENDING_DAYS:
        context.remember_staff_language()
        usage = views.usage_screen(context.texts("Usage: /pending [days]"))
        await _answer(update, context, usage)
        return
    await _show_pending(update, context, days, 0)


async def stats(update: Update, context: ShopContext) -> None:
    """`/stats [today|7d|30d]`: orders, paid orders and revenue per currency."""
    context.remember_staff_language()
    word = context.args[0].lower() if context.args else StatsPeriod.TODAY.value
    if word not in {period.value for period in StatsPeriod}:
        usage = views.usage_screen(context.texts("Usage: /stats [today|7d|30d]"))
        await _answer(update, context, usage)
        return
    try:
        found = await context.shop.staff.stats(StatsPeriod(word))
    except StaffUnavailable:
        await _answer(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.stats_screen(context.texts, found, context.language, context.timezone)
    await _answer(update, context, screen)


async def find(update: Update, context: ShopContext) -> None:
    """`/find <phone|email|name>`: matching orders, newest first."""
    context.remember_staff_language()
    query = " ".join(context.args or []).strip()
    if not query:
        usage = views.usage_screen(context.texts("Usage: /find <phone, email or name>"))
        await _answer(update, context, usage)
        return
    try:
        found = await context.shop.staff.find(query, lang=context.content_lang)
    except StaffUnavailable:
        await _answer(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.find_screen(context.texts, query, found, context.language, context.timezone)
    await _answer(update, context, screen)


async def status(update: Update, context: ShopContext) -> None:
    """`/status <id>`: buttons with the storage's statuses."""
    usage = context.texts("Usage: /status <order number>")
    await _about_one_order(update, context, usage, _status_choices)


async def my_orders(update: Update, context: ShopContext) -> None:
    """`/myorders`: the admin's own orders, as any customer's /orders shows them."""
    context.remember_staff_language()
    await orders_command(update, context)


async def staff_start(update: Update, context: ShopContext) -> None:
    """An admin's /start: the menu with a word about the staff commands (a product link
    opens the product, as for anyone); in the staff chat, the staff commands."""
    context.remember_staff_language()
    if context.args:
        await start(update, context)
        return
    if not _in_private_chat(update):
        await _answer(update, context, views.staff_help_screen(context.texts, private=False))
        return
    user = update.effective_user
    screen = views.staff_menu_screen(context.texts, user.first_name if user else None)
    await show(update, context, screen)


async def staff_help(update: Update, context: ShopContext) -> None:
    """An admin's /help (and the menu's Help): the staff commands, one line each."""
    context.remember_staff_language()
    if update.callback_query is not None:
        await callback_query(update).answer()
    screen = views.staff_help_screen(context.texts, private=_in_private_chat(update))
    await _answer(update, context, screen)


# -- buttons -----------------------------------------------------------------------------------


async def page_button(update: Update, context: ShopContext) -> None:
    """`aop:<page>`: another page of the list, in place."""
    await callback_query(update).answer()
    await _show_page(update, context, int(_match(context).group(1)))


async def pending_page_button(update: Update, context: ShopContext) -> None:
    """`app:<page>` or `app:<days>:<page>`: another page of the unpaid orders, in place."""
    await callback_query(update).answer()
    groups = [int(group) for group in _match(context).groups() if group is not None]
    days, page = (groups[0], groups[1]) if len(groups) == 2 else (DEFAULT_PENDING_DAYS, groups[0])
    await _show_pending(update, context, min(max(days, 1), MAX_PENDING_DAYS), page)


async def order_button(update: Update, context: ShopContext) -> None:
    """`ao:<id>`: the order, as a new message so a card or list stays in the chat."""
    await callback_query(update).answer()
    context.remember_staff_language()
    order_id = int(_match(context).group(1))
    await _send_new(update, context, await _detail(context, order_id))


async def status_button(update: Update, context: ShopContext) -> None:
    """`as:<id>`: the status choices, as a new message."""
    await callback_query(update).answer()
    context.remember_staff_language()
    order_id = int(_match(context).group(1))
    await _send_new(update, context, await _status_choices(context, order_id))


async def status_back_button(update: Update, context: ShopContext) -> None:
    """`asb:<id>`: from a confirmation back to the choices, in place."""
    await callback_query(update).answer()
    context.remember_staff_language()
    order_id = int(_match(context).group(1))
    await show(update, context, await _status_choices(context, order_id))


async def set_status_button(update: Update, context: ShopContext) -> None:
    """`ass:<id>:<status>`: a status chosen. One the order has already changes nothing; one
    that cannot be taken back for the customer is asked about first; any other is set."""
    await callback_query(update).answer()
    context.remember_staff_language()
    _ = context.texts
    match = _match(context)
    order_id, new_status = int(match.group(1)), match.group(2)
    try:
        plan = await context.shop.staff.plan_status_change(
            order_id, new_status, lang=context.content_lang
        )
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    except UnknownStatus:
        await show(update, context, await _status_choices(context, order_id))
        return
    if plan is None:
        await show(update, context, views.not_found_screen(_, order_id))
    elif plan.effect is StatusEffect.SAME:
        await show(update, context, views.status_unchanged_screen(_, plan))
    elif plan.needs_confirmation:
        await show(update, context, views.status_confirm_screen(_, plan))
    else:
        await _change_status(update, context, order_id, new_status)


async def confirm_status_button(update: Update, context: ShopContext) -> None:
    """`asy:<id>:<status>`: yes, after the question."""
    await callback_query(update).answer()
    context.remember_staff_language()
    match = _match(context)
    await _change_status(update, context, int(match.group(1)), match.group(2))


# -- shared ------------------------------------------------------------------------------------


async def _about_one_order(
    update: Update,
    context: ShopContext,
    usage: str,
    screen_for: Callable[[ShopContext, int], Awaitable[Screen]],
) -> None:
    """A command that takes an order number: the screen for that order, else its usage."""
    context.remember_staff_language()
    order_id = order_number(context.args[0]) if context.args else None
    if order_id is None:
        await _answer(update, context, views.usage_screen(usage))
        return
    await _answer(update, context, await screen_for(context, order_id))


async def _change_status(
    update: Update, context: ShopContext, order_id: int, new_status: str
) -> None:
    """Set the status, then look at the order at once as the follow-up would, so its customer
    is told now, and say whether they were."""
    _ = context.texts
    staff = context.shop.staff
    try:
        before = await staff.last_event(order_id)
        plan = await staff.change_status(order_id, new_status, lang=context.content_lang)
    except StaffUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    except UnknownStatus:
        await show(update, context, await _status_choices(context, order_id))
        return
    except StatusChangeRefused:
        await show(update, context, views.status_refused_screen(_))
        return
    if plan is None:
        await show(update, context, views.not_found_screen(_, order_id))
        return
    if plan.effect is StatusEffect.SAME:
        await show(update, context, views.status_unchanged_screen(_, plan))
        return
    looked = await look_and_tell(context.app, context.shop.config.order_storage, order_id)
    told = await staff.customer_told(order_id, before, looked=looked is None or looked.reachable)
    await show(update, context, views.status_changed_screen(_, plan, told))


async def _show_pending(update: Update, context: ShopContext, days: int, page: int) -> None:
    context.remember_staff_language()
    try:
        unpaid = await context.shop.staff.pending(days=days, lang=context.content_lang)
    except StaffUnavailable:
        await _answer(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.pending_screen(context.texts, unpaid, context.language, context.timezone, page)
    await _answer(update, context, screen)


async def _show_page(update: Update, context: ShopContext, number: int) -> None:
    context.remember_staff_language()
    try:
        page = await context.shop.staff.page(number, lang=context.content_lang)
    except StaffUnavailable:
        await _answer(update, context, views.unavailable_screen(context.texts))
        return
    screen = views.orders_page_screen(context.texts, page, context.language, context.timezone)
    await _answer(update, context, screen)


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
        found = await context.shop.staff.status_choices(order_id, lang=context.content_lang)
    except StaffUnavailable:
        return views.unavailable_screen(context.texts)
    if found is None:
        return views.not_found_screen(context.texts, order_id)
    return views.status_choices_screen(context.texts, *found)


def _in_private_chat(update: Update) -> bool:
    chat, user = update.effective_chat, update.effective_user
    return chat is not None and user is not None and chat.id == user.id


def _topic(update: Update) -> int | None:
    """The forum topic the update came from, if any."""
    message = update.effective_message
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


async def _answer(update: Update, context: ShopContext, screen: Screen) -> None:
    """`show`, except that a command typed in a forum topic is answered in that topic."""
    topic = _topic(update)
    if update.callback_query is None and topic is not None:
        await context.bot.send_message(
            chat_id(update), screen.text, reply_markup=screen.keyboard, message_thread_id=topic
        )
        return
    await show(update, context, screen)


async def _send_new(update: Update, context: ShopContext, screen: Screen) -> None:
    """A new message below the tapped one, in its forum topic if it is in one."""
    topic = _topic(update)
    if topic is None:
        await send(context, chat_id(update), screen)
        return
    await context.bot.send_message(
        chat_id(update), screen.text, reply_markup=screen.keyboard, message_thread_id=topic
    )


def admin_handlers(audience: StaffAudience) -> list[BaseHandler[Update, ShopContext, None]]:
    """Every staff handler, behind one gate. Registered before the customers' handlers so an
    admin's /orders lists the storage, and their /start and /help show the staff commands;
    their own orders are /myorders (and the menu's My orders)."""
    gate = AdminFilter(audience.admin_ids, audience.staff_chat_id)
    messages = filters.UpdateType.MESSAGE & gate
    return [
        CommandHandler("orders", orders, filters=messages),
        CommandHandler("order", order, filters=messages),
        CommandHandler("pending", pending, filters=messages),
        CommandHandler("stats", stats, filters=messages),
        CommandHandler("find", find, filters=messages),
        CommandHandler("status", status, filters=messages),
        CommandHandler("myorders", my_orders, filters=messages & PRIVATE_CHAT),
        CommandHandler("start", staff_start, filters=messages),
        CommandHandler("help", staff_help, filters=messages),
        AdminCallbackQueryHandler(gate, staff_help, cd.menu_pattern(cd.SECTION_HELP)),
        AdminCallbackQueryHandler(gate, page_button, cd.pattern(cd.ADMIN_ORDERS_PAGE, cd.NUMBER)),
        AdminCallbackQueryHandler(
            gate, pending_page_button, cd.pattern(cd.ADMIN_PENDING_PAGE, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate, pending_page_button, cd.pattern(cd.ADMIN_PENDING_PAGE, cd.NUMBER, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(gate, order_button, cd.pattern(cd.ADMIN_ORDER, cd.NUMBER)),
        AdminCallbackQueryHandler(gate, status_button, cd.pattern(cd.ADMIN_STATUS, cd.NUMBER)),
        AdminCallbackQueryHandler(
            gate, status_back_button, cd.pattern(cd.ADMIN_STATUS_BACK, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate, set_status_button, cd.pattern(cd.ADMIN_SET_STATUS, cd.NUMBER, cd.STATUS_ID)
        ),
        AdminCallbackQueryHandler(
            gate,
            confirm_status_button,
            cd.pattern(cd.ADMIN_CONFIRM_STATUS, cd.NUMBER, cd.STATUS_ID),
        ),
    ]
