"""Confirm: the summary becomes an order, exactly once, and the customer sees the result.

`confirm` and `retry` are the checkout conversation's CONFIRMING steps; `placing_handlers()`
serves Confirm (and "Get payment link", "Check again") tapped after the conversation ended, from
the ledger. Taps from one chat arrive one after another, so a double tap finds the first tap's
result in the ledger; `shop.placement` never creates a second order.

Confirm orders exactly what its summary showed: the button carries the summary's revision, and
a cart or details changed since (from an older message, a deep link) redraw the summary with a
note instead. Once OneEntry holds the order the checkout is finished (the draft ends, the cart
gives up what was ordered) before anything is sent to Telegram, so a refused or lost message
cannot leave a placed checkout behind. An order has one message: later taps redraw it, and an
older message tapped only points at it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from conversations import prompts
from conversations.states import CONFIRMING, END, State
from jobs.follow_up import schedule_follow_up
from jobs.unfinished_checkouts import settle_later
from shop.catalog import CatalogUnavailable
from shop.checkout import CheckoutDraft
from shop.ledger_records import OrderItem
from shop.order_form import Role
from shop.placement_types import (
    CartEmpty,
    CheckoutNotFound,
    OrderRejected,
    PlacementRequest,
    PlacementResult,
    RejectedPart,
    ShopUnavailable,
)
from ui import callback_data as cd
from ui.context import ShopContext
from ui.priority import Priority, sent_as
from ui.sending import redraw, send, show
from ui.updates import callback_query, chat_id, sender_id, telegram_unreachable
from ui.views import orders as order_views
from ui.views import placing as views

logger = logging.getLogger(__name__)

CONFIRM_PATTERN = cd.confirm_pattern()
# The summary turns into "⏳ Placing your order…" only when OneEntry is slow: an order placed
# sooner goes from the summary to the order message in one edit (the Confirm's answer, which
# costs Telegram nothing, says "placing" meanwhile).
PLACING_NOTICE_AFTER = 1.0


@sent_as(Priority.ORDER)
async def confirm(update: Update, context: ShopContext) -> State:
    """Confirm on the summary: answered at once, then placed and shown in place. A Confirm
    from an older summary shows what that checkout came to and changes nothing; one whose
    cart or details changed since shows the summary again. On a summary with several payment
    methods, each method's ✅ is a Confirm that also chooses it."""
    query = callback_query(update)
    checkout_id, revision, method = _confirmed(context)
    draft = context.draft
    if draft is None or draft.checkout_id != checkout_id:
        await query.answer()
        await show_stored_result(update, context, checkout_id)
        return END if draft is None else CONFIRMING
    shown = draft.revision(context.cart, with_payment=method is None)
    if revision is not None and revision != shown:
        await query.answer(context.texts("Your order changed: please check it again."))
        return await prompts.show_summary(update, context, draft, changed=True)
    if method is not None and not await _choose_payment(context, draft, method):
        await query.answer(context.texts("This button has expired."))
        return await prompts.show_summary(update, context, draft, changed=True)
    with _telegram_may_fail("the Confirm's answer"):  # the order comes first
        await query.answer(views.placing_screen(context.texts).text)
    return await _place(update, context, draft)


@sent_as(Priority.ORDER)
async def retry(update: Update, context: ShopContext) -> State:
    """Retry / Check again after OneEntry was unavailable or silent: the same contract."""
    await callback_query(update).answer()
    draft = context.draft
    if draft is None:
        await show(update, context, views.expired_summary_screen(context.texts))
        return END
    return await _place(update, context, draft)


@sent_as(Priority.ORDER)
async def confirm_after_checkout(update: Update, context: ShopContext) -> None:
    """Confirm, "Get payment link" or "Check again" tapped with no checkout in progress."""
    await callback_query(update).answer()
    await show_stored_result(update, context, _confirmed(context)[0])


def placing_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    """Registered after the checkout conversation, before the expired-button catch-all."""
    return [CallbackQueryHandler(confirm_after_checkout, pattern=CONFIRM_PATTERN)]


# -- the steps ---------------------------------------------------------------------------------


async def _place(update: Update, context: ShopContext, draft: CheckoutDraft) -> State:
    _ = context.texts
    form = await prompts.order_form(update, context)
    if form is None:
        return CONFIRMING
    draft.follow(form)
    if not draft.is_complete(form):  # the form changed since the summary: ask what it lacks
        return await prompts.next_step(update, context, draft)
    details = draft.details(form, context.timezone, context.language)
    request = PlacementRequest(
        checkout_id=draft.checkout_id,
        user_id=sender_id(update),
        chat_id=chat_id(update),
        contact=details,
        items=await _items(context),
        payment_account=draft.payment_account or context.shop.config.default_payment_account,
        content_lang=context.content_lang,
        campaign=context.campaign,
    )
    try:
        async with _placing_notice(update, context):
            result = await context.shop.placement.place(request)
    except OrderRejected as rejected:
        return await _rejected(update, context, draft, rejected)
    except ShopUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return CONFIRMING
    except (CartEmpty, CheckoutNotFound):
        context.drop_draft()
        await show(update, context, views.empty_cart_screen(_))
        return END
    order = result.order
    if order is None:
        message = await show(
            update, context, views.checking_screen(_, cd.checkout_action(cd.CHECKOUT_RETRY))
        )
        if message is not None:
            settle_later(context, result.checkout_id, request.user_id, message)
        return CONFIRMING
    context.app.finish_checkout(order.user_id, order.checkout_id, order.items)
    await _show_order(update, context, result)
    return END


async def _rejected(
    update: Update, context: ShopContext, draft: CheckoutDraft, rejected: OrderRejected
) -> State:
    """OneEntry refused a field of the form: say so and ask exactly that field again (its
    answer is dropped); the cart or else: say so."""
    _ = context.texts
    form = await prompts.order_form(update, context) if rejected.field else None
    item = form.field(rejected.field) if form is not None and rejected.field else None
    if form is None or item is None or not item.asked:
        part = RejectedPart.OTHER if rejected.part is RejectedPart.FIELD else rejected.part
        await show(update, context, views.rejected_order_screen(_, part))
        return CONFIRMING
    draft.values.pop(item.marker, None)
    draft.skipped.discard(item.marker)
    problem = views.rejected_field_problem(_, item.title)
    if item.role is Role.PHONE:  # the contact button needs a reply keyboard, so a new message
        await show(update, context, views.problem_notice(problem))
        return await prompts.ask_field(update, context, form, item)
    return await prompts.ask_field(update, context, form, item, problem)


async def show_stored_result(update: Update, context: ShopContext, checkout_id: str) -> None:
    """What a checkout of this customer came to, from the ledger (fetching a missing payment
    link or checking an unknown outcome again); "expired" for anything else."""
    _ = context.texts
    try:
        result = await context.shop.placement.resume(checkout_id, sender_id(update))
    except ShopUnavailable:
        result = None
    if result is None:
        await show(update, context, views.expired_summary_screen(_))
    elif result.order is None:
        await show(update, context, views.checking_screen(_, cd.confirm(checkout_id)))
    else:
        context.app.finish_checkout(result.order.user_id, checkout_id, result.order.items)
        await _show_order(update, context, result)


async def _show_order(update: Update, context: ShopContext, result: PlacementResult) -> None:
    """The order in its one message: in place of the summary the first time (the ledger
    remembers that message, and the follow-up edits it as the payment and status change),
    redrawn where it is afterwards; a different message tapped (an older summary, a double
    tap's second message) only points at it. Then the order is followed."""
    order = result.order
    assert order is not None
    _ = context.texts
    screen = order_views.order_message(
        _,
        order,
        context.language,
        context.timezone,
        placed=True,
        pays_on_delivery=context.shop.config.pays_on_delivery(order.payment_account),
    )
    query = update.callback_query
    tapped = query.message if query is not None and isinstance(query.message, Message) else None
    shown_in = order.message_id
    if shown_in is not None and await redraw(context.bot, order.chat_id, shown_in, screen):
        if tapped is not None and tapped.message_id != shown_in:
            note = (
                views.earlier_order_screen(_, order.order_id)
                if result.is_earlier_order
                else views.order_is_above_screen(_, order.order_id)
            )
            await show(update, context, note)
    else:
        try:
            message = await show(update, context, screen)
        except TelegramError as error:
            if not telegram_unreachable(error):
                raise
            # The order stands and its checkout is finished; the message that was to show it
            # (the summary) is remembered, and the follow-up's first look redraws it.
            logger.info("order %s: its message not shown yet: %s", order.order_id, error)
            if tapped is not None:
                await context.shop.ledger.set_order_message(
                    order.storage, order.order_id, tapped.message_id
                )
            schedule_follow_up(context.app, order, redraw=True)
            return
        if message is not None and message.message_id != order.message_id:
            await context.shop.ledger.set_order_message(
                order.storage, order.order_id, message.message_id
            )
        if result.is_earlier_order:
            await send(context, order.chat_id, views.earlier_order_screen(_, order.order_id))
    schedule_follow_up(context.app, order)


async def _items(context: ShopContext) -> tuple[OrderItem, ...]:
    """The cart's lines, with the titles the customer saw (for "My orders")."""
    try:
        lines, lang = context.cart.lines, context.content_lang
        products = (await context.shop.catalog.products(lines, lang)).by_id
    except CatalogUnavailable:
        products = {}
    return tuple(
        OrderItem(
            product_id, quantity, products[product_id].shown_title if product_id in products else ""
        )
        for product_id, quantity in context.cart.lines.items()
    )


@contextlib.asynccontextmanager
async def _placing_notice(update: Update, context: ShopContext) -> AsyncIterator[None]:
    """While an order is placed: past PLACING_NOTICE_AFTER, the summary says so (and loses
    its Confirm). The notice is over, shown or not, before the block's result is shown."""
    sending = False

    async def notice() -> None:
        nonlocal sending
        await asyncio.sleep(PLACING_NOTICE_AFTER)
        sending = True
        try:
            await show(update, context, views.placing_screen(context.texts))
        except TelegramError as error:  # only a notice: the order goes on regardless
            logger.info("the placing screen not shown: %s", error)

    task = asyncio.create_task(notice(), name="placing-notice")
    try:
        yield
    finally:
        if not sending:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.contextmanager
def _telegram_may_fail(what: str) -> Iterator[None]:
    """A screen on the way to the order: Telegram refusing it (a blocked bot, a timeout) must
    not stop the order the customer confirmed."""
    try:
        yield
    except TelegramError as error:
        if not telegram_unreachable(error):
            raise
        logger.info("%s not shown: %s", what, error)


async def _choose_payment(context: ShopContext, draft: CheckoutDraft, method: int) -> bool:
    """The ✅ of one payment method: the draft takes that account (again, after a Retry);
    False when the storage offers no such method any more."""
    payments = await prompts.payment_options(context)
    if method >= len(payments):
        return False
    draft.payment_account = payments[method].identifier
    return True


def _confirmed(context: ShopContext) -> tuple[str, str | None, int | None]:
    """The checkout id, the revision (None on "Get payment link") and the payment method's
    index (None when the summary had the method settled) a Confirm carries."""
    assert context.matches  # CONFIRM_PATTERN captures them
    match = context.matches[0]
    method = match.group(3)
    return match.group(1), match.group(2), int(method) if method is not None else None
