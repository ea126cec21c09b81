"""The checkout conversation: name → phone → email → products → payment method → summary.

Read it top-down like PTB's examples: the states (conversations/states.py), one short callback
per step, each returning the state that comes next, then `build_checkout_handler()`. How a
step is shown lives in conversations/prompts.py, what it shows in ui/views/checkout.py. What
the customer has told the bot is one `CheckoutDraft` (`context.draft`); the details of a
customer who reached the summary are kept (`context.saved_details`) and offered the next time
("Use these?").

A step never trusts the clock alone: PTB does not persist its timeout jobs (PTB #3522), so a
draft idle for longer than the timeout when the next update arrives — after a restart — is
treated as expired as well.
"""

from __future__ import annotations

import functools
import re
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
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

from conversations import placing, prompts
from conversations.states import (
    ASKING_EMAIL,
    ASKING_NAME,
    ASKING_PHONE,
    CHOOSING_PAYMENT,
    CHOOSING_PRODUCTS,
    CONFIRMING,
    END,
    OFFERING_SAVED_DETAILS,
    State,
)
from shop.contact import InvalidContact, clean_email, clean_name, clean_phone, clean_shared_phone
from ui import callback_data as cd
from ui.context import CHECKOUT_CONVERSATION, ShopContext
from ui.priority import Priority, sending_as
from ui.sending import send, show
from ui.updates import PRIVATE_CHAT, callback_query, chat_id, message, message_text, sender_id
from ui.views import cart as cart_views
from ui.views import checkout as views

Step = Callable[[Update, ShopContext], Coroutine[Any, Any, State | None]]


# -- entry -----------------------------------------------------------------------------------


async def start_checkout(update: Update, context: ShopContext) -> State:
    """Checkout button or /checkout: resumes a live draft, else offers saved details or asks
    for the name."""
    if update.callback_query:
        await update.callback_query.answer()
    draft = context.draft
    if draft is None:
        draft = context.start_draft()
        saved = context.saved_details
        if saved is not None:
            prompts.at(context, OFFERING_SAVED_DETAILS)
            await show(update, context, views.saved_details_screen(context.texts, saved))
            return OFFERING_SAVED_DETAILS
    return await prompts.next_step(update, context, draft)


# -- saved details ---------------------------------------------------------------------------


async def use_saved_details(update: Update, context: ShopContext) -> State:
    """'Use these': fills the draft with the saved details and shows the products."""
    await callback_query(update).answer()
    draft = context.require_draft()
    saved = context.saved_details
    if saved is not None:
        draft.fill(saved)
    return await prompts.next_step(update, context, draft)


async def change_saved_details(update: Update, context: ShopContext) -> State:
    """'Change': asks for the name."""
    await callback_query(update).answer()
    await prompts.ask_name(update, context)
    return ASKING_NAME


async def offer_saved_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: shows the offer again."""
    saved = context.saved_details
    if saved is None:
        await prompts.ask_name(update, context)
        return ASKING_NAME
    prompts.at(context, OFFERING_SAVED_DETAILS)
    await show(update, context, views.saved_details_screen(context.texts, saved))
    return OFFERING_SAVED_DETAILS


# -- name, phone, email ----------------------------------------------------------------------


async def receive_name(update: Update, context: ShopContext) -> State:
    """Stores the name, then asks for the next missing detail (or back to the summary)."""
    draft = context.require_draft()
    try:
        draft.name = clean_name(message_text(update))
    except InvalidContact as error:
        await prompts.ask_name(update, context, views.problem_text(context.texts, error.problem))
        return ASKING_NAME
    draft.answered("name", message(update).message_id)
    return await prompts.next_step(update, context, draft)


async def ask_name_again(update: Update, context: ShopContext) -> State:
    """Not a text message: says what is wanted."""
    _ = context.texts
    await prompts.ask_name(update, context, _("Please send your name as a text message."))
    return ASKING_NAME


async def receive_typed_phone(update: Update, context: ShopContext) -> State:
    """A typed phone, normalised with the shop's default region; then the email."""
    region = context.shop.config.default_phone_region
    try:
        phone = clean_phone(message_text(update), region)
    except InvalidContact as error:
        await prompts.ask_phone(update, context, views.problem_text(context.texts, error.problem))
        return ASKING_PHONE
    context.require_draft().answered("phone", message(update).message_id)
    return await _accept_phone(update, context, phone, keyboard_shown=True)


async def receive_shared_phone(update: Update, context: ShopContext) -> State:
    """A contact shared with the button: only the sender's own number is taken."""
    contact = message(update).contact
    assert contact is not None  # the handler filters on CONTACT
    try:
        phone = clean_shared_phone(contact.phone_number, contact.user_id, sender_id(update))
    except InvalidContact as error:
        await prompts.ask_phone(update, context, views.problem_text(context.texts, error.problem))
        return ASKING_PHONE
    return await _accept_phone(update, context, phone)


async def ask_phone_again(update: Update, context: ShopContext) -> State:
    """Neither text nor a contact: says what is wanted."""
    _ = context.texts
    await prompts.ask_phone(update, context, _("Please type your phone number or share it."))
    return ASKING_PHONE


async def _accept_phone(
    update: Update, context: ShopContext, phone: str, *, keyboard_shown: bool = False
) -> State:
    """Stores the phone, then the next step. The contact button's keyboard is one-time: a
    customer who shared their phone with it no longer sees it; one who typed the number
    still does, so a short message takes it away first."""
    draft = context.require_draft()
    draft.phone = phone
    if keyboard_shown:
        await prompts.close_reply_keyboard(
            update, context, views.phone_accepted_screen(context.texts, phone)
        )
    return await prompts.next_step(update, context, draft)


async def receive_email(update: Update, context: ShopContext) -> State:
    """Stores the email (syntax checked, no network), then the products."""
    draft = context.require_draft()
    try:
        draft.email = clean_email(message_text(update))
    except InvalidContact as error:
        await prompts.ask_email(update, context, views.problem_text(context.texts, error.problem))
        return ASKING_EMAIL
    draft.answered("email", message(update).message_id)
    return await prompts.next_step(update, context, draft)


async def ask_email_again(update: Update, context: ShopContext) -> State:
    """Not a text message: says what is wanted."""
    _ = context.texts
    await prompts.ask_email(update, context, _("Please send your email as a text message."))
    return ASKING_EMAIL


async def edited_answer(update: Update, context: ShopContext) -> State | None:
    """The customer edited a message: an answer the checkout took becomes the new value of its
    detail (the current step stays); an edited message the checkout did not take yet is the
    answer to the detail it is asking for now."""
    draft = context.require_draft()
    edited = message(update)
    detail = draft.detail_answered_by(edited.message_id)
    _ = context.texts
    if detail is None:
        match draft.next_detail:
            case "name":
                return await receive_name(update, context)
            case "phone":
                return await receive_typed_phone(update, context)
            case "email":
                return await receive_email(update, context)
        await send(context, chat_id(update), views.edit_not_taken_screen(_))
        return None
    region = context.shop.config.default_phone_region
    cleaners = {"name": clean_name, "email": clean_email}
    try:
        value = (
            clean_phone(message_text(update), region)
            if detail == "phone"
            else cleaners[detail](message_text(update))
        )
    except InvalidContact as error:
        await send(context, chat_id(update), views.edit_refused_screen(_, error.problem))
        return None
    setattr(draft, detail, value)
    await send(context, chat_id(update), views.edit_taken_screen(_, detail, value))
    return None


# -- products and payment --------------------------------------------------------------------


async def continue_with_cart(update: Update, context: ShopContext) -> State:
    """'Continue' under the cart: on to the payment method (asked only if there is a choice)."""
    await callback_query(update).answer()
    return await prompts.ask_payment(update, context, context.require_draft())


async def edit_cart(update: Update, context: ShopContext) -> State:
    """'Edit cart': the cart screen; its Checkout button comes back here."""
    await callback_query(update).answer()
    snapshot = await prompts.catalog_snapshot(update, context)
    if snapshot is not None:
        prompts.at(context, CHOOSING_PRODUCTS)
        screen = cart_views.cart_screen(
            context.texts, context.cart, snapshot.by_id, context.language
        )
        await show(update, context, screen)
    return CHOOSING_PRODUCTS


async def show_products_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: the products step again."""
    await prompts.show_products(update, context)
    return CHOOSING_PRODUCTS


async def choose_payment(update: Update, context: ShopContext) -> State:
    """A payment method button: stores the account and shows the summary."""
    query = callback_query(update)
    index = int(_match(context).group(1))
    options = await prompts.payment_options(context)
    draft = context.require_draft()
    if index >= len(options):
        await query.answer(context.texts("This button has expired."))
        return await prompts.ask_payment(update, context, draft)
    await query.answer()
    draft.payment_account = options[index].identifier
    return await prompts.show_summary(update, context, draft)


async def ask_payment_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: the payment methods again."""
    return await prompts.ask_payment(update, context, context.require_draft())


# -- summary ---------------------------------------------------------------------------------


async def edit_name(update: Update, context: ShopContext) -> State:
    """'Edit name' on the summary: asks again; the summary follows."""
    await callback_query(update).answer()
    await prompts.ask_name(update, context)
    return ASKING_NAME


async def edit_phone(update: Update, context: ShopContext) -> State:
    """'Edit phone' on the summary."""
    await callback_query(update).answer()
    await prompts.ask_phone(update, context)
    return ASKING_PHONE


async def edit_email(update: Update, context: ShopContext) -> State:
    """'Edit email' on the summary."""
    await callback_query(update).answer()
    await prompts.ask_email(update, context)
    return ASKING_EMAIL


async def show_summary_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: the summary again."""
    return await prompts.show_summary(update, context, context.require_draft())


# -- Back --------------------------------------------------------------------------------------


async def back_from_name(update: Update, context: ShopContext) -> State:
    """Back at the name: the summary when editing, else the saved details' offer."""
    await callback_query(update).answer()
    draft = context.require_draft()
    if draft.details is not None:
        return await prompts.next_step(update, context, draft)
    return await offer_saved_again(update, context)


async def back_to_name(update: Update, context: ShopContext) -> State:
    """Back at the phone (a reply-keyboard label): the name again."""
    await prompts.close_reply_keyboard(update, context, views.back_to_name_screen(context.texts))
    await prompts.ask_name(update, context)
    return ASKING_NAME


async def back_to_phone(update: Update, context: ShopContext) -> State:
    """Back at the email (the button, or the phone keyboard's label reopened): the phone."""
    if update.callback_query:
        await update.callback_query.answer()
    await prompts.ask_phone(update, context)
    return ASKING_PHONE


async def back_to_email(update: Update, context: ShopContext) -> State:
    """Back at the products: the email again."""
    await callback_query(update).answer()
    await prompts.ask_email(update, context)
    return ASKING_EMAIL


async def back_to_products(update: Update, context: ShopContext) -> State:
    """Back at the payment method: the products again."""
    await callback_query(update).answer()
    await prompts.show_products(update, context)
    return CHOOSING_PRODUCTS


async def back_from_summary(update: Update, context: ShopContext) -> State:
    """Back at the summary: the payment method when there is a choice, else the products."""
    await callback_query(update).answer()
    options = await prompts.payment_options(context)
    if len(options) > 1:
        prompts.at(context, CHOOSING_PAYMENT)
        await show(update, context, views.payment_screen(context.texts, options))
        return CHOOSING_PAYMENT
    await prompts.show_products(update, context)
    return CHOOSING_PRODUCTS


# -- leaving -----------------------------------------------------------------------------------


async def cancel(update: Update, context: ShopContext) -> State:
    """/cancel or Cancel at any step: ends the checkout, keeps the cart, says so."""
    if update.callback_query:
        await update.callback_query.answer()
        await prompts.drop_buttons(update)
    context.drop_draft()
    await prompts.close_reply_keyboard(update, context, views.cancelled_screen(context.texts))
    return END


async def forget_in_checkout(update: Update, context: ShopContext) -> State:
    """/forget during a checkout: the details go, and with them this checkout (the cart stays)."""
    await forget(update, context)
    return END


async def forget(update: Update, context: ShopContext) -> None:
    """/forget: deletes the contact details the bot keeps, and says so."""
    had_details = context.forget_saved_details()
    draft = context.drop_draft()
    had_details = had_details or (
        draft is not None and bool(draft.name or draft.phone or draft.email)
    )
    screen = views.forgotten_screen(context.texts, had_details)
    await prompts.close_reply_keyboard(update, context, screen)


async def nothing_to_cancel(update: Update, context: ShopContext) -> None:
    """/cancel outside a checkout."""
    await send(context, chat_id(update), views.nothing_to_cancel_screen(context.texts))


async def stale_button(update: Update, context: ShopContext) -> None:
    """A checkout button from an earlier step: the current step is further down the chat."""
    await callback_query(update).answer(
        context.texts("This button is from an earlier step. Please use the latest message.")
    )


async def timed_out(update: Update, context: ShopContext) -> None:
    """The conversation's timeout (PTB's job): a short notice; the cart stays."""
    context.drop_draft()
    await prompts.close_reply_keyboard(update, context, views.timed_out_screen(context.texts))


async def _expired(update: Update, context: ShopContext) -> State:
    """A step arrived for a draft idle too long (a restart lost PTB's timeout job)."""
    _ = context.texts
    if update.callback_query:
        await update.callback_query.answer(_("This checkout has expired."))
    context.drop_draft()
    await prompts.close_reply_keyboard(update, context, views.timed_out_screen(_))
    await send(context, chat_id(update), views.what_next_screen(_))
    return END


def _match(context: ShopContext) -> re.Match[str]:
    """The button's callback data, as its handler's pattern matched it."""
    assert context.matches  # every button handler here has a pattern
    return context.matches[0]


# -- the handler -------------------------------------------------------------------------------


async def _answer_name(update: Update, context: ShopContext) -> State:
    has_text = bool(message(update).text)
    return await (receive_name if has_text else ask_name_again)(update, context)


async def _answer_phone(update: Update, context: ShopContext) -> State:
    sent = message(update)
    if sent.contact is not None:
        return await receive_shared_phone(update, context)
    return await (receive_typed_phone if sent.text else ask_phone_again)(update, context)


async def _answer_email(update: Update, context: ShopContext) -> State:
    has_text = bool(message(update).text)
    return await (receive_email if has_text else ask_email_again)(update, context)


# What a message answers at each step, for a message that arrives in another state than the
# step the customer was last shown (a restart kept the draft, written before each screen, but
# not yet the conversation's state, written after the update).
ANSWERS: dict[str, Step] = {
    OFFERING_SAVED_DETAILS: offer_saved_again,
    ASKING_NAME: _answer_name,
    ASKING_PHONE: _answer_phone,
    ASKING_EMAIL: _answer_email,
    CHOOSING_PRODUCTS: show_products_again,
    CHOOSING_PAYMENT: ask_payment_again,
    CONFIRMING: show_summary_again,
}


def _step(callback: Step, timeout_seconds: float, handled_in: str | None = None) -> Step:
    """Wraps a step: a missing or idle-too-long draft ends the checkout; a live one is touched.
    A message handled in `handled_in` while the draft says the customer was shown another step
    is the answer to that step."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ShopContext) -> State | None:
        draft = context.draft
        if draft is None or time.time() - draft.updated_at > timeout_seconds:
            return await _expired(update, context)
        answer = ANSWERS.get(draft.step or "") if update.message is not None else None
        shown_elsewhere = handled_in is not None and draft.step not in (None, handled_in)
        with sending_as(Priority.CHECKOUT):
            state = await (answer if shown_elsewhere and answer else callback)(update, context)
        if state != END and context.draft is draft:
            draft.touch()
        return state

    return guarded


def _entering(callback: Step, timeout_seconds: float) -> Step:
    """Wraps the entry: a draft idle too long is dropped, so the checkout starts afresh."""

    @functools.wraps(callback)
    async def entering(update: Update, context: ShopContext) -> State | None:
        draft = context.draft
        if draft is not None and time.time() - draft.updated_at > timeout_seconds:
            context.drop_draft()
        with sending_as(Priority.CHECKOUT):
            state = await callback(update, context)
        draft = context.draft
        if state != END and draft is not None:
            draft.touch()
        return state

    return entering


def build_checkout_handler(timeout_minutes: float) -> ConversationHandler[ShopContext]:
    """The checkout. Buttons are tracked per chat, not per message, on purpose: an earlier
    message's Cancel still cancels."""
    seconds = timeout_minutes * 60

    def step(callback: Step, state: str | None = None) -> Step:
        return _step(callback, seconds, state)

    def button(action: str, callback: Step) -> CallbackQueryHandler[ShopContext, object]:
        return CallbackQueryHandler(step(callback), pattern=cd.checkout_action_pattern(action))

    entry = _entering(start_checkout, seconds)
    # New messages answer the step; an edited one goes to `edited_answer` (the fallbacks).
    new = filters.UpdateType.MESSAGE
    text = new & filters.TEXT & ~filters.COMMAND
    other_message = new & ~filters.COMMAND
    back_label = filters.Regex(views.reply_label_pattern(1))
    cancel_label = filters.Regex(views.reply_label_pattern(2))

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("checkout", entry, filters=PRIVATE_CHAT),
                CallbackQueryHandler(entry, pattern=cd.menu_pattern(cd.SECTION_CHECKOUT)),
            ],
            states={
                OFFERING_SAVED_DETAILS: [
                    button(cd.CHECKOUT_USE_SAVED, use_saved_details),
                    button(cd.CHECKOUT_CHANGE_SAVED, change_saved_details),
                    MessageHandler(other_message, step(offer_saved_again, OFFERING_SAVED_DETAILS)),
                ],
                ASKING_NAME: [
                    MessageHandler(text, step(receive_name, ASKING_NAME)),
                    button(cd.CHECKOUT_BACK, back_from_name),
                    MessageHandler(other_message, step(ask_name_again, ASKING_NAME)),
                ],
                ASKING_PHONE: [
                    MessageHandler(new & filters.CONTACT, step(receive_shared_phone, ASKING_PHONE)),
                    MessageHandler(back_label, step(back_to_name)),
                    MessageHandler(cancel_label, cancel),
                    MessageHandler(text, step(receive_typed_phone, ASKING_PHONE)),
                    MessageHandler(other_message, step(ask_phone_again, ASKING_PHONE)),
                ],
                ASKING_EMAIL: [
                    # The phone's one-time keyboard can still be reopened in the app.
                    MessageHandler(back_label, step(back_to_phone)),
                    MessageHandler(cancel_label, cancel),
                    MessageHandler(text, step(receive_email, ASKING_EMAIL)),
                    button(cd.CHECKOUT_BACK, back_to_phone),
                    MessageHandler(other_message, step(ask_email_again, ASKING_EMAIL)),
                ],
                CHOOSING_PRODUCTS: [
                    button(cd.CHECKOUT_CART_DONE, continue_with_cart),
                    button(cd.CHECKOUT_EDIT_CART, edit_cart),
                    button(cd.CHECKOUT_BACK, back_to_email),
                    MessageHandler(other_message, step(show_products_again, CHOOSING_PRODUCTS)),
                ],
                CHOOSING_PAYMENT: [
                    CallbackQueryHandler(
                        step(choose_payment), pattern=cd.pattern(cd.PAYMENT_ACCOUNT, cd.NUMBER)
                    ),
                    button(cd.CHECKOUT_BACK, back_to_products),
                    MessageHandler(other_message, step(ask_payment_again, CHOOSING_PAYMENT)),
                ],
                CONFIRMING: [
                    CallbackQueryHandler(step(placing.confirm), pattern=cd.confirm_pattern()),
                    button(cd.CHECKOUT_RETRY, placing.retry),
                    button(cd.CHECKOUT_EDIT_NAME, edit_name),
                    button(cd.CHECKOUT_EDIT_PHONE, edit_phone),
                    button(cd.CHECKOUT_EDIT_EMAIL, edit_email),
                    button(cd.CHECKOUT_EDIT_CART, edit_cart),
                    button(cd.CHECKOUT_BACK, back_from_summary),
                    MessageHandler(other_message, step(show_summary_again, CONFIRMING)),
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(
                    cancel, pattern=cd.checkout_action_pattern(cd.CHECKOUT_CANCEL)
                ),
                CommandHandler("forget", forget_in_checkout),
                MessageHandler(
                    filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND,
                    step(edited_answer),
                ),
                CallbackQueryHandler(
                    stale_button, pattern=cd.any_of_pattern(cd.CHECKOUT, cd.PAYMENT_ACCOUNT)
                ),
            ],
            name=CHECKOUT_CONVERSATION,
            persistent=True,
            allow_reentry=True,
            conversation_timeout=seconds,
        )


def checkout_commands() -> list[BaseHandler[Update, ShopContext, None]]:
    """/cancel and /forget outside a checkout; registered after the conversation."""
    return [
        CommandHandler("cancel", nothing_to_cancel),
        CommandHandler("forget", forget),
    ]
