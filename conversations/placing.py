"""Confirm: the summary becomes an order, exactly once, and the customer sees the result.

`confirm` and `retry` are the checkout conversation's CONFIRMING steps; `placing_handlers()`
serves Confirm (and "Get payment link", "Check again") tapped after the conversation ended, from
the ledger. Taps from one chat arrive one after another, so a double tap finds the first tap's
result in the ledger and shows it again; `shop.placement` never creates a second order.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, CallbackQueryHandler

from application.context import DRAFT_KEY, ShopApplication, ShopContext
from conversations import checkout_views
from conversations import placing_views as views
from conversations.states import ASKING_EMAIL, ASKING_NAME, ASKING_PHONE, CONFIRMING, END
from handlers import callback_data as cd
from handlers.follow_up import schedule_follow_up
from handlers.screens import Screen, show
from locales import Texts
from shop.catalog import CatalogUnavailable
from shop.checkout import CheckoutDraft
from shop.ledger_records import OrderItem, OrderRecord
from shop.placement_types import (
    CartEmpty,
    CheckoutNotFound,
    OrderRejected,
    PlacementRequest,
    PlacementResult,
    RejectedPart,
    ShopUnavailable,
)

logger = logging.getLogger(__name__)

CONFIRM_PATTERN = cd.pattern(cd.CONFIRM, cd.CHECKOUT_ID)
RETRY_STATE = {
    RejectedPart.NAME: ASKING_NAME,
    RejectedPart.PHONE: ASKING_PHONE,
    RejectedPart.EMAIL: ASKING_EMAIL,
}


async def confirm(update: Update, context: ShopContext) -> str:
    """Confirm on the summary: answered at once, then placed and shown in place. A Confirm
    from an older summary shows what that checkout came to and changes nothing."""
    query = update.callback_query
    assert query is not None and context.matches
    await query.answer()
    checkout_id = context.matches[0].group(1)
    draft = _draft(context)
    if draft is None or draft.checkout_id != checkout_id:
        await show_stored_result(update, context, checkout_id)
        return END if draft is None else CONFIRMING
    return await _place(update, context, draft)


async def retry(update: Update, context: ShopContext) -> str:
    """Retry / Check again after OneEntry was unavailable or silent: the same contract."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    draft = _draft(context)
    if draft is None:
        await show(update, context, views.expired_summary_screen(context.texts))
        return END
    return await _place(update, context, draft)


async def confirm_after_checkout(update: Update, context: ShopContext) -> None:
    """Confirm, "Get payment link" or "Check again" tapped with no checkout in progress."""
    query = update.callback_query
    assert query is not None and context.matches
    await query.answer()
    await show_stored_result(update, context, context.matches[0].group(1))


def placing_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Registered after the checkout conversation, before the expired-button catch-all."""
    return [CallbackQueryHandler(confirm_after_checkout, pattern=CONFIRM_PATTERN)]


# -- the steps ---------------------------------------------------------------------------------


async def _place(update: Update, context: ShopContext, draft: CheckoutDraft) -> str:
    _ = context.texts
    details = draft.details
    if details is None:  # the conversation never shows Confirm without them; be safe
        await show(update, context, checkout_views.name_screen(_))
        return ASKING_NAME
    await show(update, context, views.placing_screen(_))
    request = PlacementRequest(
        checkout_id=draft.checkout_id,
        user_id=update.effective_user.id,  # type: ignore[union-attr]
        chat_id=update.effective_chat.id,  # type: ignore[union-attr]
        contact=details,
        items=await _items(context),
        payment_account=draft.payment_account or context.shop.config.default_payment_account,
        content_lang=context.content_lang,
    )
    try:
        result = await context.shop.placement.place(request)
    except OrderRejected as rejected:
        return await _rejected(update, context, rejected.part)
    except ShopUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return CONFIRMING
    except (CartEmpty, CheckoutNotFound):
        await show(update, context, views.empty_cart_screen(_))
        _finish(context)
        return END
    if result.order is None:
        check_again = cd.build(cd.CHECKOUT, cd.CHECKOUT_RETRY)
        await show(update, context, views.checking_screen(_, check_again))
        return CONFIRMING
    await _show_order(update, context, result)
    _finish(context)
    return END


async def _rejected(update: Update, context: ShopContext, part: RejectedPart) -> str:
    """OneEntry refused a detail: say so and ask for it again; the cart or else: say so."""
    _ = context.texts
    state = RETRY_STATE.get(part)
    if state is None:
        await show(update, context, views.rejected_order_screen(_, part))
        return CONFIRMING
    problem = views.rejected_field_problem(_, part)
    if state == ASKING_NAME:
        await show(update, context, checkout_views.name_screen(_, problem, with_back=True))
    elif state == ASKING_EMAIL:
        await show(update, context, checkout_views.email_screen(_, problem))
    else:  # the contact button needs a reply keyboard, so a new message
        await show(update, context, views.problem_notice(problem))
        text, keyboard = checkout_views.phone_prompt(_)
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)  # type: ignore[union-attr]
    return state


async def show_stored_result(update: Update, context: ShopContext, checkout_id: str) -> None:
    """What a checkout of this customer came to, from the ledger (fetching a missing payment
    link or checking an unknown outcome again); "expired" for anything else."""
    _ = context.texts
    user_id = update.effective_user.id  # type: ignore[union-attr]
    try:
        result = await context.shop.placement.resume(checkout_id, user_id)
    except ShopUnavailable:
        result = None
    if result is None:
        await show(update, context, views.expired_summary_screen(_))
    elif result.order is None:
        check_again = cd.build(cd.CONFIRM, checkout_id)
        await show(update, context, views.checking_screen(_, check_again))
    else:
        await _show_order(update, context, result)


async def _show_order(update: Update, context: ShopContext, result: PlacementResult) -> None:
    """Show the order where the summary was, remember that message in the ledger (the
    follow-up edits it as the payment and status change) and start following the order."""
    order = result.order
    assert order is not None
    message = await show(
        update,
        context,
        views.order_screen(context.texts, order, context.language, context.timezone),
    )
    if message is not None and message.message_id != order.message_id:
        await context.shop.ledger.set_order_message(
            order.storage, order.order_id, message.message_id
        )
    schedule_follow_up(context.application, order)


async def _items(context: ShopContext) -> tuple[OrderItem, ...]:
    """The cart's lines, with the titles the customer saw (for "My orders")."""
    try:
        products = (await context.shop.catalog.snapshot(context.content_lang)).by_id
    except CatalogUnavailable:
        products = {}
    return tuple(
        OrderItem(
            product_id, quantity, products[product_id].title if product_id in products else ""
        )
        for product_id, quantity in context.cart.lines.items()
    )


def _draft(context: ShopContext) -> CheckoutDraft | None:
    draft = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return draft if isinstance(draft, CheckoutDraft) else None


def _finish(context: ShopContext) -> None:
    """The order is placed: the cart and the draft go, nothing else is kept."""
    context.cart.clear()
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


# -- start-up ----------------------------------------------------------------------------------


async def resolve_unfinished_checkouts(application: Application) -> None:  # type: ignore[type-arg]
    """post_init: checkouts a stopped bot left PLACING or UNKNOWN are looked up in OneEntry,
    and each customer is told what became of theirs. Orders a stopped bot recorded but never
    showed (it stopped between the ledger write and the message, e.g. while opening the
    payment session) are shown now, their payment session looked for before any is created."""
    shop = application.shop if isinstance(application, ShopApplication) else None
    if shop is None:
        return
    for resolution in await shop.placement.resolve_unfinished():
        checkout = resolution.checkout
        language = shop.config.language_for_content(checkout.content_lang)
        _ = Texts(language)
        if resolution.result is not None and resolution.result.order is not None:
            order = resolution.result.order
            screen = views.earlier_order_screen(_, order, language, shop.config.timezone)
        else:
            order, screen = None, views.earlier_order_missing_screen(_)
        await _tell_at_start_up(application, checkout.chat_id, order, screen)
    since = datetime.now(UTC) - shop.follow_up.max_age
    for unshown in await shop.ledger.unshown_orders(since):
        try:
            result = await shop.placement.resume(unshown.checkout_id, unshown.user_id)
        except ShopUnavailable:
            result = None
        order = result.order if result is not None and result.order is not None else unshown
        language = shop.config.language_for_content(order.content_lang or "")
        screen = views.earlier_order_screen(Texts(language), order, language, shop.config.timezone)
        await _tell_at_start_up(application, order.chat_id, order, screen)


async def _tell_at_start_up(
    application: Application,  # type: ignore[type-arg]
    chat_id: int,
    order: OrderRecord | None,
    screen: Screen,
) -> None:
    """Send what start-up found; the message then shows the order (the follow-up edits it)."""
    shop = application.shop if isinstance(application, ShopApplication) else None
    try:
        message = await application.bot.send_message(
            chat_id,
            screen.text,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.keyboard,
            disable_web_page_preview=True,
        )
    except TelegramError as error:
        logger.warning("start-up: could not tell a customer: %s", error)
        return
    if order is not None and shop is not None:
        await shop.ledger.set_order_message(order.storage, order.order_id, message.message_id)
