"""How the checkout's steps are shown, shared by the steps (conversations/checkout.py) and by
Confirm (conversations/placing.py), which asks a detail again when OneEntry refuses it.

`ask_field` shows one field of the shop's order form and `show_products` the cart; the callback
that calls them returns the state awaiting its answer. `next_step` and `show_summary` decide
which step comes (the first unanswered field of the form as it is now, the summary with its
payment choice, an unorderable cart) and return its state.
"""

from __future__ import annotations

import contextlib

from telegram import Message, Update
from telegram.error import BadRequest

from conversations.states import (
    ASKING_FIELD,
    CHOOSING_PRODUCTS,
    CONFIRMING,
    END,
    LEGACY_FIELD_STEPS,
    State,
)
from shop.cart import price_cart
from shop.catalog import CatalogSnapshot, CatalogUnavailable
from shop.checkout import CheckoutDraft, SavedDetails
from shop.form_answers import default_answer
from shop.order_form import OrderForm, OrderFormField, OrderFormUnavailable, Role
from shop.payment_options import PaymentOption, PaymentOptionsUnavailable, choose_silently
from ui.context import ShopContext
from ui.screen import Screen
from ui.sending import send, show
from ui.updates import chat_id
from ui.views import catalog as catalog_views
from ui.views import checkout as views


async def order_form(update: Update, context: ShopContext) -> OrderForm | None:
    """The shop's order form in the customer's language; when OneEntry is down, says so (the
    checkout is kept)."""
    try:
        return await context.shop.forms.for_lang(context.content_lang)
    except OrderFormUnavailable:
        await show(update, context, views.shop_silent_screen(context.texts))
        return None


async def next_step(
    update: Update, context: ShopContext, draft: CheckoutDraft, note: str | None = None
) -> State:
    """The first field of the form still unanswered (answers the form no longer takes are
    dropped first); with all answered, the summary. `note` goes above the next field's
    question."""
    form = await order_form(update, context)
    if form is None:
        return ASKING_FIELD if draft.step == ASKING_FIELD else CHOOSING_PRODUCTS
    if form.blocking_fields:
        context.drop_draft()
        await close_reply_keyboard(update, context, views.form_unusable_screen(context.texts))
        return END
    draft.follow(form)
    item = draft.next_field(form)
    if item is not None:
        await ask_field(update, context, form, item, note=note)
        return ASKING_FIELD
    return await show_summary(update, context, draft)


async def ask_field(
    update: Update,
    context: ShopContext,
    form: OrderForm,
    item: OrderFormField,
    problem: str | None = None,
    note: str | None = None,
) -> State:
    """One field of the form. The phone is a new message: Telegram's contact button lives on
    a reply keyboard; any other field is shown in place after a tap."""
    _ = context.texts
    draft = context.require_draft()
    at(context, ASKING_FIELD)
    draft.asking = item.marker
    if item.role is Role.PHONE:
        await drop_buttons(update)
        await send(context, chat_id(update), views.phone_screen(_, item, problem, note))
        return ASKING_FIELD
    screen = views.field_screen(
        _,
        item,
        context.language,
        problem=problem,
        note=note,
        with_back=_has_way_back(context, draft, form, item),
        default=default_answer(item),
    )
    await show(update, context, screen)
    return ASKING_FIELD


def _has_way_back(
    context: ShopContext, draft: CheckoutDraft, form: OrderForm, item: OrderFormField
) -> bool:
    """Back leads somewhere: an earlier field, the summary (an edit) or the saved details."""
    return (
        (form.asked_fields.index(item) > 0 if item in form.asked_fields else False)
        or draft.is_complete(form)
        or context.saved_details is not None
    )


async def asked_field(
    update: Update, context: ShopContext
) -> tuple[OrderForm, OrderFormField] | None:
    """The form and the field the checkout is asking now: the one the draft names, else the
    first unanswered one. None when the form cannot be read (said) or nothing is asked."""
    draft = context.require_draft()
    form = await order_form(update, context)
    if form is None:
        return None
    if draft.asking is None and draft.step in LEGACY_FIELD_STEPS:
        draft.asking = LEGACY_FIELD_STEPS[draft.step]
    draft.follow(form)
    item = form.field(draft.asking) if draft.asking else None
    if item is None or not item.asked:
        item = draft.next_field(form)
    return (form, item) if item is not None else None


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


async def show_summary(
    update: Update,
    context: ShopContext,
    draft: CheckoutDraft,
    *,
    changed: bool = False,
) -> State:
    """Everything to confirm, and how to pay: a single payment method (or the shop's default)
    is taken silently, else each method is a ✅ that confirms with it. The details are kept for
    next time from here on. `changed`: shown again because a Confirm came for an older
    revision of it."""
    _ = context.texts
    snapshot = await catalog_snapshot(update, context)
    if snapshot is None:
        return CONFIRMING
    if not price_cart(context.cart, snapshot.by_id).is_orderable:
        await show_products(update, context)
        return CHOOSING_PRODUCTS
    form = await order_form(update, context)
    if form is None:
        return CONFIRMING
    draft.follow(form)
    if not draft.is_complete(form):
        return await next_step(update, context, draft)
    try:
        payments = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        await show(update, context, views.payment_unavailable_screen(_))
        return CHOOSING_PRODUCTS
    draft.payment_account = choose_silently(payments, context.shop.config.default_payment_account)
    context.saved_details = SavedDetails(dict(draft.values), frozenset(draft.skipped))
    screen = views.summary_screen(
        _, draft, form, context.cart, snapshot.by_id, payments, context.language, changed=changed
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
