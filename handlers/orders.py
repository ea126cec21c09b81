"""My orders: the customer's own orders from the ledger, newest first, paged, one by one.

Guest orders all belong to one OneEntry user, so OneEntry cannot say whose order is whose;
the ledger can. Every look-up is by the Telegram user who tapped or typed, so a forged
`o:<id>` or a typed `/orders <id>` of someone else's order finds nothing and shows nothing.
Opening a page looks at its orders in OneEntry first (only that page's, all at once, through
the follow-up's own look, so a change found here is announced once like any other).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from jobs.follow_up import look_and_tell
from shop.ledger_records import OrderRecord
from shop.order_statuses import OrderStatusesUnavailable
from ui import callback_data as cd
from ui.arguments import order_number
from ui.context import ShopContext
from ui.sending import show
from ui.updates import PRIVATE_CHAT, sender_id
from ui.views import orders as views

PAGE_SIZE = 5


async def show_orders(update: Update, context: ShopContext, page: int = 0) -> None:
    """One page of the customer's own orders, newest first, as OneEntry has them now."""
    user_id = sender_id(update)
    ledger = context.shop.ledger
    count = await ledger.count_orders_of_user(user_id)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    orders = await ledger.orders_of_user(user_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    orders = list(await asyncio.gather(*(_refreshed(context, order) for order in orders)))
    titles = await _titles(context)
    screen = views.orders_screen(
        context.texts, orders, page, pages, context.language, titles, context.timezone
    )
    await show(update, context, screen)


async def show_order(update: Update, context: ShopContext, order_id: int) -> None:
    """One order, only if the customer who asks placed it; "not found" for anyone else's."""
    _ = context.texts
    order = await context.shop.ledger.order_of_user(sender_id(update), order_id)
    query = update.callback_query
    if order is None:
        if query is not None:
            await query.answer(_("Order not found."))
        await show(update, context, views.order_not_found_screen(_))
        return
    if query is not None:
        await query.answer()
    order = await _refreshed(context, order)
    titles = await _titles(context)
    screen = views.order_message(
        _,
        order,
        context.language,
        context.timezone,
        titles,
        pays_on_delivery=context.shop.config.pays_on_delivery(order.payment_account),
        cancelled=context.shop.config.statuses.is_cancelled_order(order.order_status),
    )
    await show(update, context, screen)


async def orders_command(update: Update, context: ShopContext) -> None:
    """`/orders` lists the customer's orders; `/orders <number>` opens one of them."""
    number = order_number(context.args[0]) if context.args else None
    if number is not None:
        await show_order(update, context, number)
        return
    await show_orders(update, context)


async def orders_button(update: Update, context: ShopContext) -> None:
    """The menu's My orders button and the page arrows (`op:<page>`)."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    groups = context.matches[0].groups() if context.matches else ()
    await show_orders(update, context, int(groups[0]) if groups else 0)


async def order_button(update: Update, context: ShopContext) -> None:
    """`o:<id>`: one order, only if the customer who tapped placed it."""
    assert context.matches
    await show_order(update, context, int(context.matches[0].group(1)))


async def _refreshed(context: ShopContext, order: OrderRecord) -> OrderRecord:
    """The order as OneEntry has it now (the ledger's copy when OneEntry does not answer)."""
    result = await look_and_tell(context.app, order.storage, order.order_id)
    return result.order if result is not None else order


async def _titles(context: ShopContext) -> Mapping[str, str]:
    """The storage's status titles in the customer's language (cached), or none for now."""
    try:
        return await context.shop.status_titles.for_lang(context.content_lang)
    except OrderStatusesUnavailable:
        return {}


def orders_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    return [
        CommandHandler("orders", orders_command, filters=PRIVATE_CHAT),
        CallbackQueryHandler(orders_button, pattern=cd.menu_pattern(cd.SECTION_ORDERS)),
        CallbackQueryHandler(orders_button, pattern=cd.pattern(cd.ORDERS_PAGE, cd.NUMBER)),
        CallbackQueryHandler(order_button, pattern=cd.pattern(cd.ORDER, cd.NUMBER)),
    ]
