"""How the checkout's steps are shown, shared by the steps (conversations/checkout.py) and by
Confirm (conversations/placing.py), which asks a detail again when OneEntry refuses it.

`ask_*` and `show_products` show one step; the callback that calls them returns the state
awaiting its answer. `next_step`, `ask_payment` and `show_summary` decide which step comes
(a missing detail, a single payment method taken silently, an unorderable cart) and return
its state.
"""

from __future__ import annotations

import contextlib

from telegram import Message, Update
from telegram.error import BadRequest

from conversations.states import (
    ASKING_EMAIL,
    ASKING_NAME,
    ASKING_PHONE,
    CHOOSING_PAYMENT,
    CHOOSING_PRODUCTS,
    CONFIRMING,
    State,
)
from shop.cart import price_cart
from shop.catalog import CatalogSnapshot, CatalogUnavailable
from shop.checkout import CheckoutDraft
from shop.payment_options import PaymentOption, PaymentOptionsUnavailable, choose_silently
from ui.context import ShopContext
from ui.screen import Screen
from ui.sending import send, show
from ui.updates import chat_id
from ui.views import catalog as catalog_views
from ui.views import checkout as views


async def next_step(update: Update, context: ShopContext, draft: CheckoutDraft) -> State:
    """The first detail still missing; with all three, the summary when a payment method is
    already chosen (an edit), else the products."""
    if draft.name is None:
        await ask_name(update, context)
        return ASKING_NAME
    if draft.phone is None:
        await ask_phone(update, context)
        return ASKING_PHONE
    if draft.email is None:
        await ask_email(update, context)
        return ASKING_EMAIL
    if draft.payment_account is not None:
        return await show_summary(update, context, draft)
    await show_products(update, context)
    return CHOOSING_PRODUCTS


async def ask_name(update: Update, context: ShopContext, problem: str | None = None) -> None:
    draft = context.draft
    with_back = (draft is not None and draft.details is not None) or (
        context.saved_details is not None
    )
    at(context, ASKING_NAME)
    await show(update, context, views.name_screen(context.texts, problem, with_back))


async def ask_phone(update: Update, context: ShopContext, problem: str | None = None) -> None:
    """A new message: Telegram's contact button lives on a reply keyboard."""
    await drop_buttons(update)
    at(context, ASKING_PHONE)
    await send(context, chat_id(update), views.phone_screen(context.texts, problem))


async def ask_email(update: Update, context: ShopContext, problem: str | None = None) -> None:
    at(context, ASKING_EMAIL)
    await show(update, context, views.email_screen(context.texts, problem))


async def show_products(update: Update, context: ShopContext) -> None:
    """The cart with Edit cart / Continue; an empty cart shows the catalog instead."""
    _ = context.texts
    snapshot = await catalog_snapshot(update, context)
    if snapshot is None:
        return
    at(context, CHOOSING_PRODUCTS)
    if not context.cart:
        await show(update, context, Screen(views.empty_cart_text(_)))
        try:
            listing = await context.shop.catalog.listing(context.content_lang, 0, 0)
        except CatalogUnavailable:
            await send(context, chat_id(update), catalog_views.unavailable_screen(_))
            return
        await send(
            context, chat_id(update), catalog_views.catalog_screen(_, listing, context.language)
        )
        return
    screen = views.products_screen(_, context.cart, snapshot.by_id, context.language)
    await show(update, context, screen)


async def ask_payment(update: Update, context: ShopContext, draft: CheckoutDraft) -> State:
    """Asks only when the storage offers a choice; one account (or none) is taken silently."""
    _ = context.texts
    try:
        options = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        await show(update, context, views.payment_unavailable_screen(_))
        return CHOOSING_PRODUCTS
    chosen = choose_silently(options, context.shop.config.default_payment_account)
    if chosen is None:
        at(context, CHOOSING_PAYMENT)
        await show(update, context, views.payment_screen(_, options))
        return CHOOSING_PAYMENT
    draft.payment_account = chosen
    return await show_summary(update, context, draft)


async def show_summary(
    update: Update, context: ShopContext, draft: CheckoutDraft, *, changed: bool = False
) -> State:
    """Everything to confirm; the details are kept for next time from here on. `changed`:
    shown again because a Confirm came for an older revision of it."""
    snapshot = await catalog_snapshot(update, context)
    if snapshot is None:
        return CONFIRMING
    if not price_cart(context.cart, snapshot.by_id).is_orderable:
        await show_products(update, context)
        return CHOOSING_PRODUCTS
    details = draft.details
    if details is None or draft.payment_account is None:
        return await next_step(update, context, draft)
    context.saved_details = details
    title = _payment_title(await payment_options(context), draft.payment_account)
    screen = views.summary_screen(
        context.texts, draft, context.cart, snapshot.by_id, title, context.language, changed=changed
    )
    at(context, CONFIRMING)
    await show(update, context, screen)
    return CONFIRMING


def at(context: ShopContext, state: State) -> None:
    """The checkout is about to show `state`'s step: the draft says so before the customer
    sees it (the customer's data is written before each screen is sent)."""
    draft = context.draft
    if draft is not None and isinstance(state, str):
        draft.step = state


async def payment_options(context: ShopContext) -> list[PaymentOption]:
    """The storage's payment methods in the customer's language; none while OneEntry is down."""
    try:
        return await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        return []


def _payment_title(options: list[PaymentOption], identifier: str) -> str:
    return next((o.title for o in options if o.identifier == identifier), identifier)


async def catalog_snapshot(update: Update, context: ShopContext) -> CatalogSnapshot | None:
    """The cart's products for prices; when OneEntry is down, says so (the checkout is kept)."""
    try:
        return await context.shop.catalog.products(context.cart.lines, context.content_lang)
    except CatalogUnavailable:
        await show(update, context, views.shop_silent_screen(context.texts))
        return None


async def close_reply_keyboard(update: Update, context: ShopContext, screen: Screen) -> Message:
    """Send a short message that also takes the phone step's reply keyboard away."""
    return await send(context, chat_id(update), screen)


async def drop_buttons(update: Update) -> None:
    """The tapped message loses its buttons when the next step is a new message."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    with contextlib.suppress(BadRequest):
        await query.message.edit_reply_markup(None)
