"""The checkout conversation: the shop's order form field by field → products → payment method
→ summary.

Read it top-down like PTB's examples: the states (conversations/states.py), one short callback
per step, each returning the state that comes next, then `build_checkout_handler()`. How a
step is shown lives in conversations/prompts.py, what it shows in ui/views/checkout.py. What
the customer has told the bot is one `CheckoutDraft` (`context.draft`); which fields there are,
in which order, with which rules, is the shop's OneEntry order form (`context.shop.forms`),
read again as the checkout moves on, so a form changed mid-checkout asks only what is new or no
longer valid. The answers of a customer who reached the summary are kept
(`context.saved_details`) and offered the next time ("Use these?").

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
    ASKING_FIELD,
    CHOOSING_PAYMENT,
    CHOOSING_PRODUCTS,
    CONFIRMING,
    END,
    LEGACY_FIELD_STEPS,
    OFFERING_SAVED_DETAILS,
    State,
)
from locales import Texts
from shop.form_answers import (
    Answer,
    AnswerProblem,
    InvalidAnswer,
    accept,
    accept_option,
    accept_shared_phone,
    default_answer,
)
from shop.order_form import MOMENT_TYPES, OrderFormField, OrderFormUnavailable, Role
from ui import callback_data as cd
from ui.context import CHECKOUT_CONVERSATION, ShopContext
from ui.formatting import escape
from ui.priority import Priority, sending_as
from ui.sending import send, show
from ui.updates import PRIVATE_CHAT, callback_query, chat_id, message, message_text, sender_id
from ui.views import cart as cart_views
from ui.views import checkout as views

Step = Callable[[Update, ShopContext], Coroutine[Any, Any, State | None]]


# -- entry -----------------------------------------------------------------------------------


async def start_checkout(update: Update, context: ShopContext) -> State:
    """Checkout button or /checkout: resumes a live draft, else offers saved details or asks
    the form's first field."""
    if update.callback_query:
        await update.callback_query.answer()
    draft = context.draft
    if draft is None:
        draft = context.start_draft()
        if await _offer_saved(update, context):
            return OFFERING_SAVED_DETAILS
    return await prompts.next_step(update, context, draft)


# -- saved details ---------------------------------------------------------------------------


async def _offer_saved(update: Update, context: ShopContext) -> bool:
    """Offers "Use these?" with the saved answers the form still takes; False when there are
    none."""
    saved = context.saved_details
    if saved is None:
        return False
    try:
        form = await context.shop.forms.for_lang(context.content_lang)
    except OrderFormUnavailable:
        return False
    usable = saved.usable(form)
    if not usable:
        return False
    prompts.at(context, OFFERING_SAVED_DETAILS)
    screen = views.saved_details_screen(context.texts, form, usable, context.language)
    await show(update, context, screen)
    return True


async def use_saved_details(update: Update, context: ShopContext) -> State:
    """'Use these': fills the draft with the saved answers the form still takes, then asks
    only what is missing (a field added since) or shows the products."""
    await callback_query(update).answer()
    draft = context.require_draft()
    saved = context.saved_details
    form = await prompts.order_form(update, context)
    if form is None:
        return OFFERING_SAVED_DETAILS
    if saved is not None:
        draft.fill(saved, form)
    return await prompts.next_step(update, context, draft)


async def change_saved_details(update: Update, context: ShopContext) -> State:
    """'Change': the form's first field."""
    await callback_query(update).answer()
    return await prompts.next_step(update, context, context.require_draft())


async def offer_saved_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: shows the offer again."""
    if await _offer_saved(update, context):
        return OFFERING_SAVED_DETAILS
    return await prompts.next_step(update, context, context.require_draft())


# -- the form's fields -------------------------------------------------------------------------


async def receive_answer(update: Update, context: ShopContext) -> State:
    """A typed answer to the field being asked: checked by its type and validators, then the
    next field (or back to the summary); refused: the same field again, saying why."""
    asked = await prompts.asked_field(update, context)
    if asked is None:
        return await prompts.next_step(update, context, context.require_draft())
    form, item = asked
    region = context.shop.config.default_phone_region
    try:
        value = accept(item, message_text(update), region)
    except InvalidAnswer as error:
        problem = views.problem_text(context.texts, item, error)
        return await prompts.ask_field(update, context, form, item, problem)
    return await _accepted(update, context, item, value, message(update).message_id)


async def receive_shared_phone(update: Update, context: ShopContext) -> State:
    """A contact shared with the button: only the sender's own number is taken, and only for
    the phone field."""
    asked = await prompts.asked_field(update, context)
    if asked is None:
        return await prompts.next_step(update, context, context.require_draft())
    form, item = asked
    contact = message(update).contact
    assert contact is not None  # the handler filters on CONTACT
    _ = context.texts
    if item.role is not Role.PHONE:
        return await prompts.ask_field(update, context, form, item, _wanted(_, item))
    try:
        if contact.user_id != sender_id(update):
            raise InvalidAnswer(AnswerProblem.PHONE_NOT_OWN)
        value = accept_shared_phone(item, contact.phone_number)
    except InvalidAnswer as error:
        problem = views.problem_text(_, item, error)
        return await prompts.ask_field(update, context, form, item, problem)
    return await _accepted(update, context, item, value)


async def choose_option(update: Update, context: ShopContext) -> State:
    """A choice button of a list or radio field."""
    query = callback_query(update)
    asked = await prompts.asked_field(update, context)
    if asked is None:
        await query.answer()
        return await prompts.next_step(update, context, context.require_draft())
    form, item = asked
    try:
        value = accept_option(item, int(_match(context).group(1)))
    except InvalidAnswer:
        await query.answer(context.texts("This button has expired."))
        return await prompts.ask_field(update, context, form, item)
    await query.answer()
    return await _accepted(update, context, item, value)


async def use_default(update: Update, context: ShopContext) -> State:
    """The field's default value (`defaultValueValidator`), offered as a button."""
    query = callback_query(update)
    asked = await prompts.asked_field(update, context)
    value = default_answer(asked[1]) if asked is not None else None
    if asked is None or value is None:
        await query.answer(context.texts("This button has expired."))
        return await prompts.next_step(update, context, context.require_draft())
    await query.answer()
    return await _accepted(update, context, asked[1], value)


async def skip_field(update: Update, context: ShopContext) -> State:
    """Skip on an optional field (a button, or the phone's reply-keyboard label)."""
    if update.callback_query:
        await update.callback_query.answer()
    draft = context.require_draft()
    asked = await prompts.asked_field(update, context)
    if asked is None:
        return await prompts.next_step(update, context, draft)
    form, item = asked
    if item.required:
        problem = views.problem_text(context.texts, item, InvalidAnswer(AnswerProblem.EMPTY))
        return await prompts.ask_field(update, context, form, item, problem)
    draft.skip(item.marker)
    if item.role is Role.PHONE:
        await prompts.close_reply_keyboard(
            update, context, views.skipped_phone_screen(context.texts)
        )
    return await prompts.next_step(update, context, draft)


async def ask_field_again(update: Update, context: ShopContext) -> State:
    """Not an answer the field can take (a sticker, a photo): says what is wanted."""
    asked = await prompts.asked_field(update, context)
    if asked is None:
        return await prompts.next_step(update, context, context.require_draft())
    form, item = asked
    return await prompts.ask_field(update, context, form, item, _wanted(context.texts, item))


def _wanted(_: Texts, item: OrderFormField) -> str:
    if item.role is Role.PHONE:
        return _("Please type your phone number or share it.")
    if item.options:
        return _("Please choose one of the buttons.")
    return _("Please send “{title}” as a text message.", title=escape(item.title))


async def _accepted(
    update: Update,
    context: ShopContext,
    item: OrderFormField,
    value: Answer,
    message_id: int | None = None,
) -> State:
    """Keeps the answer, then the next step; a date or a time is said back above it."""
    draft = context.require_draft()
    draft.answer(item.marker, value, message_id)
    _ = context.texts
    if item.role is Role.PHONE and not _shared_with_the_button(update):
        await prompts.close_reply_keyboard(
            update, context, views.phone_accepted_screen(_, str(value))
        )
    note = views.answer_note(item, value, context.language) if item.type in MOMENT_TYPES else None
    return await prompts.next_step(update, context, draft, note)


def _shared_with_the_button(update: Update) -> bool:
    """The phone came from the contact button: the keyboard is one-time, so the customer no
    longer sees it; a typed number leaves it shown, and a short message takes it away."""
    return update.message is not None and update.message.contact is not None


async def edited_answer(update: Update, context: ShopContext) -> State | None:
    """The customer edited a message: an answer the checkout took becomes the new value of its
    field (the current step stays); an edited message the checkout did not take yet is the
    answer to the field it is asking now."""
    draft = context.require_draft()
    edited = message(update)
    marker = draft.field_answered_by(edited.message_id)
    _ = context.texts
    if marker is None:
        if draft.step == ASKING_FIELD or draft.step in LEGACY_FIELD_STEPS:
            return await receive_answer(update, context)
        await send(context, chat_id(update), views.edit_not_taken_screen(_))
        return None
    form = await prompts.order_form(update, context)
    item = form.field(marker) if form is not None else None
    if form is None or item is None:
        return None
    try:
        value = accept(item, message_text(update), context.shop.config.default_phone_region)
    except InvalidAnswer as error:
        problem = views.problem_text(_, item, error)
        await send(context, chat_id(update), views.edit_refused_screen(_, problem))
        return None
    draft.answer(marker, value, edited.message_id)
    await send(context, chat_id(update), views.edit_taken_screen(_, item, value, context.language))
    return None


# -- products and payment --------------------------------------------------------------------


async def continue_with_cart(update: Update, context: ShopContext) -> State:
    """'Continue' under the cart: on to the summary."""
    await callback_query(update).answer()
    return await prompts.show_summary(update, context, context.require_draft())


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
    """A payment method button of the separate payment step an earlier version showed (a
    checkout saved then): the summary, where each method is a ✅ now."""
    await callback_query(update).answer()
    return await prompts.show_summary(update, context, context.require_draft())


async def ask_payment_again(update: Update, context: ShopContext) -> State:
    """A message where that earlier payment step expected a button: the summary."""
    return await prompts.show_summary(update, context, context.require_draft())


# -- summary ---------------------------------------------------------------------------------


async def edit_field(update: Update, context: ShopContext) -> State:
    """The summary's "✏️ <field>": asks that field again; the summary follows."""
    query = callback_query(update)
    form = await prompts.order_form(update, context)
    if form is None:
        await query.answer()
        return CONFIRMING
    index = int(_match(context).group(1))
    if index >= len(form.asked_fields):
        await query.answer(context.texts("This button has expired."))
        return await prompts.show_summary(update, context, context.require_draft())
    await query.answer()
    return await prompts.ask_field(update, context, form, form.asked_fields[index])


async def edit_role(update: Update, context: ShopContext) -> State:
    """The "Edit name / phone / email" of a summary shown before the checkout followed the
    form: the form's field of that role."""
    query = callback_query(update)
    await query.answer()
    form = await prompts.order_form(update, context)
    if form is None:
        return CONFIRMING
    role = {
        cd.CHECKOUT_EDIT_NAME: Role.NAME,
        cd.CHECKOUT_EDIT_PHONE: Role.PHONE,
        cd.CHECKOUT_EDIT_EMAIL: Role.EMAIL,
    }[str(query.data).split(cd.SEPARATOR)[-1]]
    item = form.role_field(role)
    if item is None or not item.asked:
        return await prompts.show_summary(update, context, context.require_draft())
    return await prompts.ask_field(update, context, form, item)


async def show_summary_again(update: Update, context: ShopContext) -> State:
    """A message where a button is expected: the summary again."""
    return await prompts.show_summary(update, context, context.require_draft())


# -- Back --------------------------------------------------------------------------------------


async def back_from_field(update: Update, context: ShopContext) -> State:
    """Back at a field: the field before it; at the first one, the summary when editing, else
    the saved details' offer."""
    if update.callback_query:
        await update.callback_query.answer()
    draft = context.require_draft()
    asked = await prompts.asked_field(update, context)
    if asked is None:
        return await prompts.next_step(update, context, draft)
    form, item = asked
    if item.role is Role.PHONE and update.message is not None:
        await prompts.close_reply_keyboard(
            update, context, views.back_from_phone_screen(context.texts)
        )
    fields = form.asked_fields
    position = fields.index(item)
    if position > 0:
        return await prompts.ask_field(update, context, form, fields[position - 1])
    if draft.is_complete(form):
        return await prompts.next_step(update, context, draft)
    if await _offer_saved(update, context):
        return OFFERING_SAVED_DETAILS
    return await prompts.ask_field(update, context, form, item)


async def back_to_fields(update: Update, context: ShopContext) -> State:
    """Back at the products: the form's last field again."""
    await callback_query(update).answer()
    form = await prompts.order_form(update, context)
    if form is None or not form.asked_fields:
        await prompts.show_products(update, context)
        return CHOOSING_PRODUCTS
    return await prompts.ask_field(update, context, form, form.asked_fields[-1])


async def back_to_products(update: Update, context: ShopContext) -> State:
    """Back at the payment method: the products again."""
    await callback_query(update).answer()
    await prompts.show_products(update, context)
    return CHOOSING_PRODUCTS


async def back_from_summary(update: Update, context: ShopContext) -> State:
    """Back at the summary: the form's last field again (the summary follows its answer)."""
    await callback_query(update).answer()
    form = await prompts.order_form(update, context)
    if form is None or not form.asked_fields:
        return CONFIRMING
    return await prompts.ask_field(update, context, form, form.asked_fields[-1])


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
    """/forget: deletes every saved answer the bot keeps, and says so."""
    had_details = context.forget_saved_details()
    draft = context.drop_draft()
    had_details = had_details or (draft is not None and bool(draft.values))
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


async def _answer_field(update: Update, context: ShopContext) -> State:
    sent = message(update)
    if sent.contact is not None:
        return await receive_shared_phone(update, context)
    return await (receive_answer if sent.text else ask_field_again)(update, context)


# What a message answers at each step, for a message that arrives in another state than the
# step the customer was last shown (a restart kept the draft, written before each screen, but
# not yet the conversation's state, written after the update).
ANSWERS: dict[str, Step] = {
    OFFERING_SAVED_DETAILS: offer_saved_again,
    ASKING_FIELD: _answer_field,
    **{legacy: _answer_field for legacy in LEGACY_FIELD_STEPS},
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
    skip_label = filters.Regex(views.reply_label_pattern(3))
    asking_field: list[BaseHandler[Update, ShopContext, object]] = [
        MessageHandler(new & filters.CONTACT, step(receive_shared_phone, ASKING_FIELD)),
        MessageHandler(back_label, step(back_from_field)),
        MessageHandler(cancel_label, cancel),
        MessageHandler(skip_label, step(skip_field)),
        MessageHandler(text, step(receive_answer, ASKING_FIELD)),
        CallbackQueryHandler(step(choose_option), pattern=cd.pattern(cd.FIELD_OPTION, cd.NUMBER)),
        button(cd.CHECKOUT_SKIP, skip_field),
        button(cd.CHECKOUT_DEFAULT, use_default),
        button(cd.CHECKOUT_BACK, back_from_field),
        MessageHandler(other_message, step(ask_field_again, ASKING_FIELD)),
    ]

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
                ASKING_FIELD: asking_field,
                **{legacy: asking_field for legacy in LEGACY_FIELD_STEPS},
                CHOOSING_PRODUCTS: [
                    button(cd.CHECKOUT_CART_DONE, continue_with_cart),
                    button(cd.CHECKOUT_EDIT_CART, edit_cart),
                    button(cd.CHECKOUT_BACK, back_to_fields),
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
                    CallbackQueryHandler(
                        step(edit_field), pattern=cd.pattern(cd.FIELD_EDIT, cd.NUMBER)
                    ),
                    button(cd.CHECKOUT_EDIT_NAME, edit_role),
                    button(cd.CHECKOUT_EDIT_PHONE, edit_role),
                    button(cd.CHECKOUT_EDIT_EMAIL, edit_role),
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
                    stale_button,
                    pattern=cd.any_of_pattern(
                        cd.CHECKOUT, cd.PAYMENT_ACCOUNT, cd.FIELD_OPTION, cd.FIELD_EDIT
                    ),
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
