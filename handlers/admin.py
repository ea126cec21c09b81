"""Staff commands and buttons: /orders, /order, /pending, /stats, /find, /status.

Thin: parse, ask the `StaffDesk`, render in the admin's language. Every handler here is built
behind the one `AdminFilter`, so nobody else ever reaches these callbacks.
"""

from __future__ import annotations

from collections.abc import Collection

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from application.context import ShopContext
from handlers import admin_views as views
from handlers import callback_data as cd
from handlers.admin_access import AdminCallbackQueryHandler, AdminFilter, remember_staff_language
from handlers.formatting import escape
from handlers.screens import Screen, send, show
from shop.staff import StaffDesk
from shop.staff_records import StaffUnavailable, StatsPeriod, StatusChangeRefused, UnknownStatus


def _unavailable(context: ShopContext) -> Screen:
    _ = context.texts
    return Screen(_("OneEntry is not answering right now; please try again in a minute."))


def _not_found(context: ShopContext, order_id: int) -> Screen:
    _ = context.texts
    return Screen(_("There is no order #{number}.", number=order_id))


def _order_id(text: str | None) -> int | None:
    cleaned = (text or "").lstrip("#")
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 9 else None


class AdminCommands:
    """The staff's commands and buttons, sharing one `StaffDesk`."""

    def __init__(self, desk: StaffDesk) -> None:
        self.desk = desk

    # -- commands ----------------------------------------------------------------------------

    async def orders(self, update: Update, context: ShopContext) -> None:
        """`/orders [page]`: the storage's latest orders (pages count from 1)."""
        number = _order_id(context.args[0]) if context.args else 1
        await self._show_page(update, context, max((number or 1) - 1, 0))

    async def order(self, update: Update, context: ShopContext) -> None:
        """`/order <id>`: everything about one order."""
        remember_staff_language(context)
        order_id = _order_id(context.args[0]) if context.args else None
        if order_id is None:
            await show(
                update, context, Screen(escape(context.texts("Usage: /order <order number>")))
            )
            return
        await show(update, context, await self._detail(context, order_id))

    async def pending(self, update: Update, context: ShopContext) -> None:
        """`/pending`: unpaid orders, oldest first."""
        await self._show_pending(update, context, 0)

    async def pending_page_button(self, update: Update, context: ShopContext) -> None:
        """`app:<page>`: another page of the unpaid orders, in place."""
        await update.callback_query.answer()  # type: ignore[union-attr]
        await self._show_pending(update, context, int(context.matches[0].group(1)))  # type: ignore[index]

    async def stats(self, update: Update, context: ShopContext) -> None:
        """`/stats [today|7d|30d]`: orders, paid orders and revenue per currency."""
        remember_staff_language(context)
        word = context.args[0].lower() if context.args else StatsPeriod.TODAY.value
        if word not in {period.value for period in StatsPeriod}:
            await show(
                update, context, Screen(escape(context.texts("Usage: /stats [today|7d|30d]")))
            )
            return
        try:
            stats = await self.desk.stats(StatsPeriod(word))
        except StaffUnavailable:
            await show(update, context, _unavailable(context))
            return
        await show(update, context, views.stats_screen(context.texts, stats, context.language))

    async def find(self, update: Update, context: ShopContext) -> None:
        """`/find <phone|email|name>`: matching orders, newest first."""
        remember_staff_language(context)
        query = " ".join(context.args or []).strip()
        if not query:
            usage = context.texts("Usage: /find <phone, email or name>")
            await show(update, context, Screen(escape(usage)))
            return
        try:
            orders = await self.desk.find(query)
        except StaffUnavailable:
            await show(update, context, _unavailable(context))
            return
        screen = views.find_screen(context.texts, query, orders, context.language, context.timezone)
        await show(update, context, screen)

    async def status(self, update: Update, context: ShopContext) -> None:
        """`/status <id>`: buttons with the storage's statuses."""
        remember_staff_language(context)
        order_id = _order_id(context.args[0]) if context.args else None
        if order_id is None:
            await show(
                update, context, Screen(escape(context.texts("Usage: /status <order number>")))
            )
            return
        await show(update, context, await self._status_choices(context, order_id))

    # -- buttons -----------------------------------------------------------------------------

    async def page_button(self, update: Update, context: ShopContext) -> None:
        """`aop:<page>`: another page of the list, in place."""
        await update.callback_query.answer()  # type: ignore[union-attr]
        await self._show_page(update, context, int(context.matches[0].group(1)))  # type: ignore[index]

    async def order_button(self, update: Update, context: ShopContext) -> None:
        """`ao:<id>`: the order, as a new message so a card or list stays in the chat."""
        await update.callback_query.answer()  # type: ignore[union-attr]
        remember_staff_language(context)
        order_id = int(context.matches[0].group(1))  # type: ignore[index]
        await send(context, update.effective_chat.id, await self._detail(context, order_id))  # type: ignore[union-attr]

    async def status_button(self, update: Update, context: ShopContext) -> None:
        """`as:<id>`: the status choices, as a new message."""
        await update.callback_query.answer()  # type: ignore[union-attr]
        remember_staff_language(context)
        order_id = int(context.matches[0].group(1))  # type: ignore[index]
        screen = await self._status_choices(context, order_id)
        await send(context, update.effective_chat.id, screen)  # type: ignore[union-attr]

    async def set_status_button(self, update: Update, context: ShopContext) -> None:
        """`ass:<id>:<status>`: change the status; the choices turn into the result."""
        query = update.callback_query
        assert query is not None and context.matches
        _ = context.texts
        await query.answer()
        remember_staff_language(context)
        order_id, status = int(context.matches[0].group(1)), context.matches[0].group(2)
        try:
            changed = await self.desk.change_status(order_id, status, lang=context.content_lang)
        except StaffUnavailable:
            await show(update, context, _unavailable(context))
            return
        except UnknownStatus:
            await show(update, context, await self._status_choices(context, order_id))
            return
        except StatusChangeRefused:
            refused = _(
                "OneEntry refused the status change. The project's API permissions may not "
                "allow the bot to change order statuses."
            )
            await show(update, context, Screen(refused))
            return
        if changed is None:
            await show(update, context, _not_found(context, order_id))
            return
        await show(update, context, views.status_changed_screen(_, changed))

    # -- shared ------------------------------------------------------------------------------

    async def _show_pending(self, update: Update, context: ShopContext, page: int) -> None:
        remember_staff_language(context)
        try:
            orders = await self.desk.pending()
        except StaffUnavailable:
            await show(update, context, _unavailable(context))
            return
        screen = views.pending_screen(
            context.texts, orders, context.language, context.timezone, page
        )
        await show(update, context, screen)

    async def _show_page(self, update: Update, context: ShopContext, number: int) -> None:
        remember_staff_language(context)
        try:
            page = await self.desk.page(number)
        except StaffUnavailable:
            await show(update, context, _unavailable(context))
            return
        await show(
            update,
            context,
            views.orders_page_screen(context.texts, page, context.language, context.timezone),
        )

    async def _detail(self, context: ShopContext, order_id: int) -> Screen:
        try:
            detail = await self.desk.order(order_id, lang=context.content_lang)
        except StaffUnavailable:
            return _unavailable(context)
        if detail is None:
            return _not_found(context, order_id)
        return views.order_detail_screen(context.texts, detail, context.language, context.timezone)

    async def _status_choices(self, context: ShopContext, order_id: int) -> Screen:
        try:
            detail = await self.desk.order(order_id, lang=context.content_lang)
            if detail is None:
                return _not_found(context, order_id)
            choices = await self.desk.statuses(context.content_lang)
        except StaffUnavailable:
            return _unavailable(context)
        return views.status_choices_screen(context.texts, detail.order, choices)


def admin_handlers(desk: StaffDesk, admin_ids: Collection[int]) -> list[BaseHandler]:  # type: ignore[type-arg]
    """Every staff handler, behind one gate. Registered before the customers' handlers so an
    admin's /orders lists the storage; customers' /orders (and the admin's own orders from the
    menu) stay with "My orders"."""
    gate = AdminFilter(admin_ids)
    messages = filters.UpdateType.MESSAGE & gate
    commands = AdminCommands(desk)
    return [
        CommandHandler("orders", commands.orders, filters=messages),
        CommandHandler("order", commands.order, filters=messages),
        CommandHandler("pending", commands.pending, filters=messages),
        CommandHandler("stats", commands.stats, filters=messages),
        CommandHandler("find", commands.find, filters=messages),
        CommandHandler("status", commands.status, filters=messages),
        AdminCallbackQueryHandler(
            gate, commands.page_button, cd.pattern(cd.ADMIN_ORDERS_PAGE, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate, commands.pending_page_button, cd.pattern(cd.ADMIN_PENDING_PAGE, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate, commands.order_button, cd.pattern(cd.ADMIN_ORDER, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate, commands.status_button, cd.pattern(cd.ADMIN_STATUS, cd.NUMBER)
        ),
        AdminCallbackQueryHandler(
            gate,
            commands.set_status_button,
            cd.pattern(cd.ADMIN_SET_STATUS, cd.NUMBER, cd.STATUS_ID),
        ),
    ]
