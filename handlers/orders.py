"""My orders: the customer's own orders from the ledger, newest first, paged, one by one.

Guest orders all belong to one OneEntry user, so OneEntry cannot say whose order is whose;
the ledger can. Every look-up is by the Telegram user who tapped, so a forged `o:<id>` for
someone else's order finds nothing and shows nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from application.context import ShopContext
from handlers import callback_data as cd
from handlers.formatting import money
from handlers.keyboards import back_to_menu_row
from handlers.order_views import (
    next_step_text,
    order_date,
    order_lines,
    order_title,
    pay_button,
    payment_status_text,
)
from handlers.screens import Screen, show
from locales import Texts
from shop.ledger_records import OrderRecord

PAGE_SIZE = 5


def orders_screen(
    _: Texts, orders: list[OrderRecord], page: int, pages: int, language: str
) -> Screen:
    if not orders:
        text = _("<b>My orders</b>") + "\n" + _("You have no orders yet.")
        catalog = InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.menu(cd.SECTION_CATALOG))
        return Screen(text, InlineKeyboardMarkup([[catalog], back_to_menu_row(_)]))
    lines = [_("<b>My orders</b>"), ""]
    rows: list[list[InlineKeyboardButton]] = []
    for order in orders:
        total = money(order.total, order.currency, language)
        lines.append(
            f"<b>{order_title(_, order)}</b> · {order_date(order, language)} · {total}\n"
            f"{payment_status_text(_, order)}"
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
        rows.append(
            [
                InlineKeyboardButton(
                    "◀️", callback_data=cd.build(cd.ORDERS_PAGE, (page - 1) % pages)
                ),
                InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=cd.NOOP),
                InlineKeyboardButton(
                    "▶️", callback_data=cd.build(cd.ORDERS_PAGE, (page + 1) % pages)
                ),
            ]
        )
    rows.append(back_to_menu_row(_))
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def order_detail_screen(_: Texts, order: OrderRecord, language: str) -> Screen:
    text = "\n".join([*order_lines(_, order, language), "", next_step_text(_, order)])
    rows: list[list[InlineKeyboardButton]] = []
    pay = pay_button(_, order)
    if pay is not None:
        rows.append([pay])
    if not order.has_payment_session:
        retry = cd.build(cd.CONFIRM, order.checkout_id)
        rows.append([InlineKeyboardButton(_("🔄 Get payment link"), callback_data=retry)])
    rows.append(
        [
            InlineKeyboardButton(_("📦 My orders"), callback_data=cd.build(cd.ORDERS_PAGE, 0)),
            *back_to_menu_row(_),
        ]
    )
    return Screen(text, InlineKeyboardMarkup(rows))


def order_not_found_screen(_: Texts) -> Screen:
    back = InlineKeyboardButton(_("📦 My orders"), callback_data=cd.build(cd.ORDERS_PAGE, 0))
    return Screen(_("Order not found."), InlineKeyboardMarkup([[back, *back_to_menu_row(_)]]))


async def show_orders(update: Update, context: ShopContext, page: int = 0) -> None:
    """One page of the customer's own orders, newest first."""
    user_id = update.effective_user.id  # type: ignore[union-attr]
    ledger = context.shop.ledger
    count = await ledger.count_orders_of_user(user_id)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    orders = await ledger.orders_of_user(user_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    await show(update, context, orders_screen(context.texts, orders, page, pages, context.language))


async def orders_command(update: Update, context: ShopContext) -> None:
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
    query = update.callback_query
    assert query is not None and context.matches
    _ = context.texts
    order_id = int(context.matches[0].group(1))
    order = await context.shop.ledger.order_of_user(update.effective_user.id, order_id)  # type: ignore[union-attr]
    if order is None:
        await query.answer(_("Order not found."))
        await show(update, context, order_not_found_screen(_))
        return
    await query.answer()
    await show(update, context, order_detail_screen(_, order, context.language))


def orders_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("orders", orders_command),
        CallbackQueryHandler(orders_button, pattern=cd.menu_pattern(cd.SECTION_ORDERS)),
        CallbackQueryHandler(orders_button, pattern=cd.pattern(cd.ORDERS_PAGE, cd.NUMBER)),
        CallbackQueryHandler(order_button, pattern=cd.pattern(cd.ORDER, cd.NUMBER)),
    ]
