"""The checkout conversation: name → phone → email → products → payment method → summary.

Read it top-down like PTB's examples: the states (conversations/states.py), one short callback
per step, then `build_checkout_handler()`. What the customer has told the bot is one
`CheckoutDraft` under `user_data["checkout"]`; the details of a customer who reached the
summary are kept under `user_data["details"]` and offered the next time ("Use these?").

A step never trusts the clock alone: PTB does not persist its timeout jobs (PTB #3522), so a
draft idle for longer than the timeout when the next update arrives — after a restart — is
treated as expired as well.
"""

from __future__ import annotations

import contextlib
import functools
import time
import warnings
from collections.abc import Awaitable, Callable

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from application.context import DETAILS_KEY, DRAFT_KEY, ShopContext
from conversations import checkout_views as views
from conversations import placing
from conversations.states import (
    ASKING_EMAIL,
    ASKING_NAME,
    ASKING_PHONE,
    CHOOSING_PAYMENT,
    CHOOSING_PRODUCTS,
    CONFIRMING,
    END,
    OFFERING_SAVED_DETAILS,
)
from handlers import callback_data as cd
from handlers.cart import cart_screen
from handlers.catalog import catalog_screen
from handlers.keyboards import menu_keyboard
from handlers.screens import Screen, send, show
from shop.cart import price_cart
from shop.catalog import CatalogSnapshot, CatalogUnavailable
from shop.checkout import CheckoutDraft
from shop.contact import (
    ContactDetails,
    InvalidContact,
    clean_email,
    clean_name,
    clean_phone,
    clean_shared_phone,
)
from shop.payment_options import PaymentOptionsUnavailable, choose_silently

Step = Callable[[Update, ShopContext], Awaitable[str | None]]


# -- entry -----------------------------------------------------------------------------------


async def start_checkout(update: Update, context: ShopContext) -> str:
    """Checkout button or /checkout: resumes a live draft, else offers saved details or asks
    for the name."""
    if update.callback_query:
        await update.callback_query.answer()
    draft = _live_draft(context)
    if draft is None:
        draft = context.user_data[DRAFT_KEY] = CheckoutDraft()  # type: ignore[index]
        saved = context.user_data.get(DETAILS_KEY)  # type: ignore[union-attr]
        if isinstance(saved, ContactDetails):
            await show(update, context, views.saved_details_screen(context.texts, saved))
            return OFFERING_SAVED_DETAILS
    return await _next_step(update, context, draft)


# -- saved details ---------------------------------------------------------------------------


async def use_saved_details(update: Update, context: ShopContext) -> str:
    """'Use these': fills the draft with the saved details and shows the products."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    saved = context.user_data.get(DETAILS_KEY)  # type: ignore[union-attr]
    if isinstance(saved, ContactDetails):
        _draft(context).fill(saved)
    return await _next_step(update, context, _draft(context))


async def change_saved_details(update: Update, context: ShopContext) -> str:
    """'Change': asks for the name."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_name(update, context)


async def offer_saved_again(update: Update, context: ShopContext) -> str:
    """A message where a button is expected: shows the offer again."""
    saved = context.user_data.get(DETAILS_KEY)  # type: ignore[union-attr]
    if not isinstance(saved, ContactDetails):
        return await _ask_name(update, context)
    await show(update, context, views.saved_details_screen(context.texts, saved))
    return OFFERING_SAVED_DETAILS


# -- name, phone, email ----------------------------------------------------------------------


async def receive_name(update: Update, context: ShopContext) -> str:
    """Stores the name, then asks for the next missing detail (or back to the summary)."""
    try:
        _draft(context).name = clean_name(update.message.text)  # type: ignore[union-attr,arg-type]
    except InvalidContact as error:
        return await _ask_name(update, context, views.problem_text(context.texts, error.problem))
    return await _next_step(update, context, _draft(context))


async def ask_name_again(update: Update, context: ShopContext) -> str:
    """Not a text message: says what is wanted."""
    _ = context.texts
    return await _ask_name(update, context, _("Please send your name as a text message."))


async def receive_typed_phone(update: Update, context: ShopContext) -> str:
    """A typed phone, normalised with the shop's default region; then the email."""
    region = context.shop.config.default_phone_region
    try:
        phone = clean_phone(update.message.text, region)  # type: ignore[union-attr,arg-type]
    except InvalidContact as error:
        return await _ask_phone(update, context, views.problem_text(context.texts, error.problem))
    return await _accept_phone(update, context, phone)


async def receive_shared_phone(update: Update, context: ShopContext) -> str:
    """A contact shared with the button: only the sender's own number is taken."""
    contact = update.message.contact  # type: ignore[union-attr]
    assert contact is not None and update.effective_user is not None
    try:
        phone = clean_shared_phone(contact.phone_number, contact.user_id, update.effective_user.id)
    except InvalidContact as error:
        return await _ask_phone(update, context, views.problem_text(context.texts, error.problem))
    return await _accept_phone(update, context, phone)


async def ask_phone_again(update: Update, context: ShopContext) -> str:
    """Neither text nor a contact: says what is wanted."""
    _ = context.texts
    return await _ask_phone(update, context, _("Please type your phone number or share it."))


async def receive_email(update: Update, context: ShopContext) -> str:
    """Stores the email (syntax checked, no network), then the products."""
    try:
        _draft(context).email = clean_email(update.message.text)  # type: ignore[union-attr,arg-type]
    except InvalidContact as error:
        return await _ask_email(update, context, views.problem_text(context.texts, error.problem))
    return await _next_step(update, context, _draft(context))


async def ask_email_again(update: Update, context: ShopContext) -> str:
    """Not a text message: says what is wanted."""
    _ = context.texts
    return await _ask_email(update, context, _("Please send your email as a text message."))


# -- products and payment --------------------------------------------------------------------


async def continue_with_cart(update: Update, context: ShopContext) -> str:
    """'Continue' under the cart: on to the payment method (asked only if there is a choice)."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_payment(update, context)


async def edit_cart(update: Update, context: ShopContext) -> str:
    """'Edit cart': the cart screen; its Checkout button comes back here."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    snapshot = await _snapshot(update, context)
    if snapshot is not None:
        await show(
            update,
            context,
            cart_screen(context.texts, context.cart, snapshot.by_id, context.language),
        )
    return CHOOSING_PRODUCTS


async def show_products_again(update: Update, context: ShopContext) -> str:
    """A message where a button is expected: the products step again."""
    return await _show_products(update, context)


async def choose_payment(update: Update, context: ShopContext) -> str:
    """A payment method button: stores the account and shows the summary."""
    query = update.callback_query
    assert query is not None and context.matches
    index = int(context.matches[0].group(1))
    try:
        options = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        options = []
    if index >= len(options):
        await query.answer(context.texts("This button has expired."))
        return await _ask_payment(update, context)
    await query.answer()
    _draft(context).payment_account = options[index].identifier
    return await _show_summary(update, context)


async def ask_payment_again(update: Update, context: ShopContext) -> str:
    """A message where a button is expected: the payment methods again."""
    return await _ask_payment(update, context)


# -- summary ---------------------------------------------------------------------------------


async def edit_name(update: Update, context: ShopContext) -> str:
    """'Edit name' on the summary: asks again; the summary follows."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_name(update, context)


async def edit_phone(update: Update, context: ShopContext) -> str:
    """'Edit phone' on the summary."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_phone(update, context)


async def edit_email(update: Update, context: ShopContext) -> str:
    """'Edit email' on the summary."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_email(update, context)


async def show_summary_again(update: Update, context: ShopContext) -> str:
    """A message where a button is expected: the summary again."""
    return await _show_summary(update, context)


# -- Back --------------------------------------------------------------------------------------


async def back_from_name(update: Update, context: ShopContext) -> str:
    """Back at the name: the summary when editing, else the saved details' offer."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    draft = _draft(context)
    if draft.details is not None:
        return await _next_step(update, context, draft)
    return await offer_saved_again(update, context)


async def back_to_name(update: Update, context: ShopContext) -> str:
    """Back at the phone (a reply-keyboard label): the name again."""
    await _close_reply_keyboard(update, context, context.texts("⬅️ Back to your name."))
    return await _ask_name(update, context)


async def back_to_phone(update: Update, context: ShopContext) -> str:
    """Back at the email: the phone again."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_phone(update, context)


async def back_to_email(update: Update, context: ShopContext) -> str:
    """Back at the products: the email again."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _ask_email(update, context)


async def back_to_products(update: Update, context: ShopContext) -> str:
    """Back at the payment method: the products again."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    return await _show_products(update, context)


async def back_from_summary(update: Update, context: ShopContext) -> str:
    """Back at the summary: the payment method when there is a choice, else the products."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    try:
        options = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        options = []
    if len(options) > 1:
        await show(update, context, views.payment_screen(context.texts, options))
        return CHOOSING_PAYMENT
    return await _show_products(update, context)


# -- leaving -----------------------------------------------------------------------------------


async def cancel(update: Update, context: ShopContext) -> str:
    """/cancel or Cancel at any step: ends the checkout, keeps the cart, says so."""
    _ = context.texts
    if update.callback_query:
        await update.callback_query.answer()
        await _drop_buttons(update)
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    await _close_reply_keyboard(
        update, context, _("Checkout cancelled. Your cart is kept: /cart. The menu: /start.")
    )
    return END


async def forget_in_checkout(update: Update, context: ShopContext) -> str:
    """/forget during a checkout: the details go, and with them this checkout (the cart stays)."""
    await forget(update, context)
    return END


async def forget(update: Update, context: ShopContext) -> None:
    """/forget: deletes the contact details the bot keeps, and says so."""
    _ = context.texts
    user_data = context.user_data if context.user_data is not None else {}
    had_details = user_data.pop(DETAILS_KEY, None) is not None
    draft = user_data.pop(DRAFT_KEY, None)
    had_details = had_details or (
        isinstance(draft, CheckoutDraft) and bool(draft.name or draft.phone or draft.email)
    )
    text = (
        _("Your name, phone and email are deleted from the bot. Your cart is kept.")
        if had_details
        else _("The bot keeps no contact details of yours.")
    )
    await _close_reply_keyboard(update, context, text)


async def nothing_to_cancel(update: Update, context: ShopContext) -> None:
    """/cancel outside a checkout."""
    _ = context.texts
    await send(
        context,
        update.effective_chat.id,  # type: ignore[union-attr]
        Screen(_("There is no checkout to cancel. What would you like to do?"), menu_keyboard(_)),
    )


async def stale_button(update: Update, context: ShopContext) -> None:
    """A checkout button from an earlier step: the current step is further down the chat."""
    await update.callback_query.answer(  # type: ignore[union-attr]
        context.texts("This button is from an earlier step. Please use the latest message.")
    )


async def timed_out(update: Update, context: ShopContext) -> None:
    """The conversation's timeout (PTB's job): a short notice; the cart stays."""
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    await _close_reply_keyboard(update, context, _timeout_text(context))


async def _expired(update: Update, context: ShopContext) -> str:
    """A step arrived for a draft idle too long (a restart lost PTB's timeout job)."""
    _ = context.texts
    if update.callback_query:
        await update.callback_query.answer(_("This checkout has expired."))
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    await _close_reply_keyboard(update, context, _timeout_text(context))
    await send(
        context,
        update.effective_chat.id,  # type: ignore[union-attr]
        Screen(_("What would you like to do?"), menu_keyboard(_)),
    )
    return END


def _timeout_text(context: ShopContext) -> str:
    return context.texts(
        "The checkout was stopped because nothing happened for a while. Your cart is kept; "
        "tap “✅ Checkout” in /cart to start again."
    )


# -- how steps are shown -----------------------------------------------------------------------


async def _next_step(update: Update, context: ShopContext, draft: CheckoutDraft) -> str:
    """The first detail still missing; with all three, the summary when a payment method is
    already chosen (an edit), else the products."""
    if draft.name is None:
        return await _ask_name(update, context)
    if draft.phone is None:
        return await _ask_phone(update, context)
    if draft.email is None:
        return await _ask_email(update, context)
    if draft.payment_account is not None:
        return await _show_summary(update, context)
    return await _show_products(update, context)


async def _ask_name(update: Update, context: ShopContext, problem: str | None = None) -> str:
    draft = _draft(context)
    with_back = draft.details is not None or isinstance(
        context.user_data.get(DETAILS_KEY),
        ContactDetails,  # type: ignore[union-attr]
    )
    await show(update, context, views.name_screen(context.texts, problem, with_back))
    return ASKING_NAME


async def _ask_phone(update: Update, context: ShopContext, problem: str | None = None) -> str:
    """A new message: Telegram's contact button lives on a reply keyboard."""
    await _drop_buttons(update)
    text, keyboard = views.phone_prompt(context.texts, problem)
    await context.bot.send_message(
        update.effective_chat.id,  # type: ignore[union-attr]
        text,
        reply_markup=keyboard,
    )
    return ASKING_PHONE


async def _accept_phone(update: Update, context: ShopContext, phone: str) -> str:
    """Stores the phone and takes the reply keyboard away before the next step."""
    draft = _draft(context)
    draft.phone = phone
    await _close_reply_keyboard(update, context, context.texts("📱 Phone: {phone}", phone=phone))
    return await _next_step(update, context, draft)


async def _ask_email(update: Update, context: ShopContext, problem: str | None = None) -> str:
    await show(update, context, views.email_screen(context.texts, problem))
    return ASKING_EMAIL


async def _show_products(update: Update, context: ShopContext) -> str:
    """The cart with Edit cart / Continue; an empty cart shows the catalog instead."""
    _ = context.texts
    snapshot = await _snapshot(update, context)
    if snapshot is None:
        return CHOOSING_PRODUCTS
    if not context.cart:
        await show(update, context, Screen(views.empty_cart_text(_)))
        page = snapshot.page(0, context.shop.config.catalog_page_size)
        await send(
            context,
            update.effective_chat.id,  # type: ignore[union-attr]
            catalog_screen(_, page, context.language),
        )
        return CHOOSING_PRODUCTS
    screen = views.products_screen(_, context.cart, snapshot.by_id, context.language)
    await show(update, context, screen)
    return CHOOSING_PRODUCTS


async def _ask_payment(update: Update, context: ShopContext) -> str:
    """Asks only when the storage offers a choice; one account (or none) is taken silently."""
    _ = context.texts
    try:
        options = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        await show(update, context, views.payment_unavailable_screen(_))
        return CHOOSING_PRODUCTS
    chosen = choose_silently(options, context.shop.config.default_payment_account)
    if chosen is None:
        await show(update, context, views.payment_screen(_, options))
        return CHOOSING_PAYMENT
    _draft(context).payment_account = chosen
    return await _show_summary(update, context)


async def _show_summary(update: Update, context: ShopContext) -> str:
    """Everything to confirm; the details are kept for next time from here on."""
    draft = _draft(context)
    snapshot = await _snapshot(update, context)
    if snapshot is None:
        return CONFIRMING
    if not price_cart(context.cart, snapshot.by_id).is_orderable:
        return await _show_products(update, context)
    if draft.details is None or draft.payment_account is None:
        return await _next_step(update, context, draft)
    context.user_data[DETAILS_KEY] = draft.details  # type: ignore[index]
    title = await _payment_title(context, draft.payment_account)
    screen = views.summary_screen(
        context.texts, draft, context.cart, snapshot.by_id, title, context.language
    )
    await show(update, context, screen)
    return CONFIRMING


async def _payment_title(context: ShopContext, identifier: str) -> str:
    try:
        options = await context.shop.payment_options.for_lang(context.content_lang)
    except PaymentOptionsUnavailable:
        return identifier
    return next((o.title for o in options if o.identifier == identifier), identifier)


async def _snapshot(update: Update, context: ShopContext) -> CatalogSnapshot | None:
    """The catalog for prices; when OneEntry is down, says so (the checkout is kept)."""
    _ = context.texts
    try:
        return await context.shop.catalog.snapshot(context.content_lang)
    except CatalogUnavailable:
        text = _("The shop does not answer right now. Your checkout is kept; please try again.")
        await show(update, context, Screen(text))
        return None


async def _close_reply_keyboard(update: Update, context: ShopContext, text: str) -> Message:
    return await context.bot.send_message(
        update.effective_chat.id,  # type: ignore[union-attr]
        text,
        reply_markup=ReplyKeyboardRemove(),
    )


async def _drop_buttons(update: Update) -> None:
    """The tapped message loses its buttons when the next step is a new message."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    with contextlib.suppress(BadRequest):
        await query.message.edit_reply_markup(None)


def _draft(context: ShopContext) -> CheckoutDraft:
    return context.user_data[DRAFT_KEY]  # type: ignore[index,no-any-return]


def _live_draft(context: ShopContext) -> CheckoutDraft | None:
    draft = context.user_data.get(DRAFT_KEY)  # type: ignore[union-attr]
    return draft if isinstance(draft, CheckoutDraft) else None


# -- the handler -------------------------------------------------------------------------------


def _step(callback: Step, timeout_seconds: float) -> Step:
    """Wraps a step: a missing or idle-too-long draft ends the checkout; a live one is touched."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ShopContext) -> str | None:
        draft = _live_draft(context)
        if draft is None or time.time() - draft.updated_at > timeout_seconds:
            return await _expired(update, context)
        state = await callback(update, context)
        if state != END and _live_draft(context) is draft:
            draft.touch()
        return state

    return guarded


def _entering(callback: Step, timeout_seconds: float) -> Step:
    """Wraps the entry: a draft idle too long is dropped, so the checkout starts afresh."""

    @functools.wraps(callback)
    async def entering(update: Update, context: ShopContext) -> str | None:
        draft = _live_draft(context)
        if draft is not None and time.time() - draft.updated_at > timeout_seconds:
            context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
        state = await callback(update, context)
        draft = _live_draft(context)
        if state != END and draft is not None:
            draft.touch()
        return state

    return entering


def build_checkout_handler(timeout_minutes: float) -> ConversationHandler:  # type: ignore[type-arg]
    """The checkout. Buttons are tracked per chat, not per message, on purpose: an earlier
    message's Cancel still cancels."""
    seconds = timeout_minutes * 60

    def step(callback: Step) -> Step:
        return _step(callback, seconds)

    def button(action: str, callback: Step) -> CallbackQueryHandler:  # type: ignore[type-arg]
        pattern = f"^{cd.build(cd.CHECKOUT, action)}$"
        return CallbackQueryHandler(step(callback), pattern=pattern)

    entry = _entering(start_checkout, seconds)
    text = filters.TEXT & ~filters.COMMAND
    other_message = filters.ALL & ~filters.COMMAND
    back_label = filters.Regex(views.reply_label_pattern(1))
    cancel_label = filters.Regex(views.reply_label_pattern(2))

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("checkout", entry),
                CallbackQueryHandler(entry, pattern=cd.menu_pattern(cd.SECTION_CHECKOUT)),
            ],
            states={
                OFFERING_SAVED_DETAILS: [
                    button(cd.CHECKOUT_USE_SAVED, use_saved_details),
                    button(cd.CHECKOUT_CHANGE_SAVED, change_saved_details),
                    MessageHandler(other_message, step(offer_saved_again)),
                ],
                ASKING_NAME: [
                    MessageHandler(text, step(receive_name)),
                    button(cd.CHECKOUT_BACK, back_from_name),
                    MessageHandler(other_message, step(ask_name_again)),
                ],
                ASKING_PHONE: [
                    MessageHandler(filters.CONTACT, step(receive_shared_phone)),
                    MessageHandler(back_label, step(back_to_name)),
                    MessageHandler(cancel_label, cancel),
                    MessageHandler(text, step(receive_typed_phone)),
                    MessageHandler(other_message, step(ask_phone_again)),
                ],
                ASKING_EMAIL: [
                    MessageHandler(text, step(receive_email)),
                    button(cd.CHECKOUT_BACK, back_to_phone),
                    MessageHandler(other_message, step(ask_email_again)),
                ],
                CHOOSING_PRODUCTS: [
                    button(cd.CHECKOUT_CART_DONE, continue_with_cart),
                    button(cd.CHECKOUT_EDIT_CART, edit_cart),
                    button(cd.CHECKOUT_BACK, back_to_email),
                    MessageHandler(other_message, step(show_products_again)),
                ],
                CHOOSING_PAYMENT: [
                    CallbackQueryHandler(
                        step(choose_payment), pattern=cd.pattern(cd.PAYMENT_ACCOUNT, cd.NUMBER)
                    ),
                    button(cd.CHECKOUT_BACK, back_to_products),
                    MessageHandler(other_message, step(ask_payment_again)),
                ],
                CONFIRMING: [
                    CallbackQueryHandler(
                        step(placing.confirm), pattern=cd.pattern(cd.CONFIRM, cd.CHECKOUT_ID)
                    ),
                    button(cd.CHECKOUT_RETRY, placing.retry),
                    button(cd.CHECKOUT_EDIT_NAME, edit_name),
                    button(cd.CHECKOUT_EDIT_PHONE, edit_phone),
                    button(cd.CHECKOUT_EDIT_EMAIL, edit_email),
                    button(cd.CHECKOUT_EDIT_CART, edit_cart),
                    button(cd.CHECKOUT_BACK, back_from_summary),
                    MessageHandler(other_message, step(show_summary_again)),
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(
                    cancel, pattern=f"^{cd.build(cd.CHECKOUT, cd.CHECKOUT_CANCEL)}$"
                ),
                CommandHandler("forget", forget_in_checkout),
                CallbackQueryHandler(
                    stale_button,
                    pattern=f"^({cd.CHECKOUT}|{cd.PAYMENT_ACCOUNT}){cd.SEPARATOR}",
                ),
            ],
            name="checkout",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=seconds,
        )


def checkout_commands() -> list[BaseHandler]:  # type: ignore[type-arg]
    """/cancel and /forget outside a checkout; registered after the conversation."""
    return [
        CommandHandler("cancel", nothing_to_cancel),
        CommandHandler("forget", forget),
    ]
