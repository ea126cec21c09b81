"""What each checkout step shows, from the saved details' offer to the summary.

Every text the customer typed, every field title of the shop's form and every catalog title is
escaped here; the problem messages say what was wrong and what to send instead (in the shop's
own words when its form has them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from locales import LANGUAGES, Texts
from shop.cart import Cart
from shop.catalog import CatalogProduct
from shop.checkout import CheckoutDraft
from shop.form_answers import Answer, AnswerProblem, InvalidAnswer, shown, shown_answers
from shop.order_form import OrderForm, OrderFormField, Role
from shop.payment_options import PaymentOption
from ui import callback_data as cd
from ui.formatting import answer_lines, escape
from ui.keyboards import menu_keyboard
from ui.screen import Screen
from ui.views.cart import describe_cart, total_line


def problem_text(_: Texts, item: OrderFormField, error: InvalidAnswer) -> str:
    """What was wrong with the answer and what to send instead: the shop's own words when
    its validator has them, else the bot's."""
    if error.custom_text:
        return escape(error.custom_text)
    title = escape(item.title)
    match error.problem:
        case AnswerProblem.EMPTY:
            return _("“{title}” is needed for the order. Please send it.", title=title)
        case AnswerProblem.TOO_SHORT:
            return _(
                "That is too short: please send at least {count} characters.", count=error.limit
            )
        case AnswerProblem.TOO_LONG:
            if item.role is Role.NAME:
                return _(
                    "The name is too long. Please send at most {max} characters.", max=error.limit
                )
            return _("That is too long: please send at most {count} characters.", count=error.limit)
        case AnswerProblem.WRONG_LENGTH:
            return _("Please send exactly {count} characters.", count=error.limit)
        case AnswerProblem.CONTROL_CHARACTERS:
            return _(
                "The name contains invisible control characters. Please type it again as plain "
                "text."
            )
        case AnswerProblem.EMAIL_INVALID:
            return _(
                "That email address is not valid. Please send an address like name@example.com."
            )
        case AnswerProblem.PATTERN:
            return _(
                "The shop does not accept “{title}” in this form. Please check it.", title=title
            )
        case AnswerProblem.MASK:
            return _(
                "That does not fit the shop's format. Please send it like {mask}.",
                mask=escape(item.rules.mask_hint or item.rules.mask or ""),
            )
        case AnswerProblem.PHONE_NOT_A_NUMBER:
            return _(
                "That is not a phone number. Please type it with the country code, like "
                "+44 20 7946 0958, or tap “📱 Share my phone”."
            )
        case AnswerProblem.PHONE_INVALID:
            return _(
                "This phone number does not exist. Please check the digits and the country code."
            )
        case AnswerProblem.PHONE_NOT_OWN:
            return _(
                "That is someone else's contact. Please share your own number with "
                "“📱 Share my phone”, or type it."
            )
        case AnswerProblem.NOT_AN_INTEGER:
            return _("Please send a whole number, like 3.")
        case AnswerProblem.NOT_A_NUMBER:
            return _("Please send a number, like 2.5.")
        case AnswerProblem.NOT_A_DATE:
            return _("That is not a date. Please send it like 31.12.2026.")
        case AnswerProblem.NOT_A_TIME:
            return _("That is not a time. Please send it like 14:30.")
        case AnswerProblem.NOT_A_DATETIME:
            return _("Please send a date and a time, like 31.12.2026 14:30.")
        case AnswerProblem.NOT_A_CHOICE:
            return _("Please choose one of the buttons.")


def _warned(problem: str | None, text: str) -> str:
    return f"⚠️ {problem}\n\n{text}" if problem else text


def _back_cancel_row(_: Texts, with_back: bool = True) -> list[InlineKeyboardButton]:
    cancel = InlineKeyboardButton(
        _("✖ Cancel"), callback_data=cd.checkout_action(cd.CHECKOUT_CANCEL)
    )
    if not with_back:
        return [cancel]
    return [
        InlineKeyboardButton(_("⬅️ Back"), callback_data=cd.checkout_action(cd.CHECKOUT_BACK)),
        cancel,
    ]


def details_lines(form: OrderForm, values: Mapping[str, Answer], language: str) -> list[str]:
    """Each answered field as "Title: answer", in the form's order, escaped."""
    return answer_lines(shown_answers(form, values, language))


def saved_details_screen(
    _: Texts, form: OrderForm, saved: Mapping[str, Answer], language: str
) -> Screen:
    text = "\n".join(
        [
            _("<b>Checkout</b>"),
            _("Last time you ordered with these details:"),
            "",
            *details_lines(form, saved, language),
            "",
            _("Use these?"),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                _("✅ Use these"), callback_data=cd.checkout_action(cd.CHECKOUT_USE_SAVED)
            ),
            InlineKeyboardButton(
                _("✏️ Change"), callback_data=cd.checkout_action(cd.CHECKOUT_CHANGE_SAVED)
            ),
        ],
        _back_cancel_row(_, with_back=False),
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def _question(_: Texts, item: OrderFormField) -> str:
    """What the bot asks for a field: in its own words for the three roles, else by type."""
    if item.role is Role.NAME:
        return _("What is your name? Please send it as a message.")
    if item.role is Role.PHONE:
        if item.rules.mask:
            return _(
                "What is your phone number? Tap “📱 Share my phone” below, or type it like {mask}.",
                mask=escape(item.rules.mask_hint or item.rules.mask),
            )
        return _(
            "What is your phone number? Tap “📱 Share my phone” below, or type it with the "
            "country code."
        )
    if item.role is Role.EMAIL:
        return _("What is your email? It goes with your order, so the shop can reach you about it.")
    match item.type:
        case "integer":
            return _("Please send a whole number.")
        case "real" | "float":
            return _("Please send a number, like 2.5.")
        case "date":
            return _("Please send a date, like 31.12.2026.")
        case "time":
            return _("Please send a time, like 14:30.")
        case "dateTime":
            return _("Please send a date and a time, like 31.12.2026 14:30.")
        case "list" | "radioButton":
            return _("Please choose:")
        case "text":
            return _("Please send it as a message; it may have several lines.")
    return _("Please send it as a message.")


def _field_text(_: Texts, item: OrderFormField, problem: str | None, note: str | None) -> str:
    heading = f"<b>{escape(item.title)}</b>"
    if not item.required:
        heading += " " + _("(optional)")
    lines = [heading, _question(_, item)]
    if item.placeholder:
        lines.append(f"<i>{escape(item.placeholder)}</i>")
    rules = item.rules
    if rules.mask and item.role is not Role.PHONE:
        lines.append(_("Format: {mask}", mask=escape(rules.mask_hint or rules.mask)))
    if rules.exact_length:
        lines.append(_("Exactly {count} characters.", count=rules.exact_length))
    elif rules.max_length and item.type in ("string", "text"):
        lines.append(_("At most {count} characters.", count=rules.max_length))
    text = _warned(problem, "\n".join(lines))
    return f"{note}\n\n{text}" if note else text


def field_screen(
    _: Texts,
    item: OrderFormField,
    language: str,
    *,
    problem: str | None = None,
    note: str | None = None,
    with_back: bool = False,
    default: Answer | None = None,
) -> Screen:
    """One field of the order form: its title, what to send, and buttons for its choices, its
    default value and Skip (optional fields)."""
    rows = [
        [InlineKeyboardButton(option.title, callback_data=cd.build(cd.FIELD_OPTION, index))]
        for index, option in enumerate(item.options)
    ]
    if default is not None and not item.options:
        label = f"✅ {shown(item, default, language)}"
        rows.append(
            [InlineKeyboardButton(label, callback_data=cd.checkout_action(cd.CHECKOUT_DEFAULT))]
        )
    if not item.required:
        rows.append(
            [InlineKeyboardButton(_("⏭ Skip"), callback_data=cd.checkout_action(cd.CHECKOUT_SKIP))]
        )
    rows.append(_back_cancel_row(_, with_back))
    return Screen(_field_text(_, item, problem, note), InlineKeyboardMarkup(rows))


def phone_keyboard_labels(_: Texts) -> tuple[str, str, str, str]:
    """Share, Back, Cancel, Skip: the reply keyboard's labels in one language."""
    return _("📱 Share my phone"), _("⬅️ Back"), _("✖ Cancel"), _("⏭ Skip")


def reply_label_pattern(index: int) -> str:
    """A regex matching one reply-keyboard label in any language (1 Back, 2 Cancel, 3 Skip)."""
    labels = {phone_keyboard_labels(Texts(language))[index] for language in LANGUAGES}
    return "^(" + "|".join(re.escape(label) for label in sorted(labels)) + ")$"


def phone_screen(
    _: Texts, item: OrderFormField, problem: str | None = None, note: str | None = None
) -> Screen:
    """A reply keyboard: Telegram's contact button only exists there."""
    share, back, cancel, skip = phone_keyboard_labels(_)
    rows = [[KeyboardButton(share, request_contact=True)]]
    if not item.required:
        rows.append([KeyboardButton(skip)])
    rows.append([KeyboardButton(back), KeyboardButton(cancel)])
    keyboard = ReplyKeyboardMarkup(
        rows,
        resize_keyboard=True,
        one_time_keyboard=True,  # gone once a button of it is used (conversations/checkout.py)
        input_field_placeholder=item.placeholder or item.rules.mask or _("+44 20 7946 0958"),
    )
    return Screen(_field_text(_, item, problem, note), keyboard)


def answer_note(item: OrderFormField, value: Answer, language: str) -> str:
    """The answer said back, so a date typed as 05/06 is seen as the 5th of June."""
    return f"✅ {escape(item.title)}: {escape(shown(item, value, language))}"


def products_screen(
    _: Texts, cart: Cart, products: Mapping[int, CatalogProduct], language: str
) -> Screen:
    view = describe_cart(_, cart, products, language)
    lines = [_("<b>Your order</b>"), "", *view.lines, "", total_line(_, view.priced, language)]
    edit = InlineKeyboardButton(
        _("✏️ Edit cart"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_CART)
    )
    if view.priced.is_orderable:
        lines += ["", _("Is this right? Tap “Continue”, or change the cart first.")]
        next_row = [
            edit,
            InlineKeyboardButton(
                _("Continue ▶️"), callback_data=cd.checkout_action(cd.CHECKOUT_CART_DONE)
            ),
        ]
    else:
        lines += ["", _("⚠️ Remove the products that are not available to check out.")]
        next_row = [edit]
    return Screen("\n".join(lines), InlineKeyboardMarkup([next_row, _back_cancel_row(_)]))


def empty_cart_text(_: Texts) -> str:
    return _(
        "Your cart is empty. Add products from the catalog below, then open the cart and tap "
        "“✅ Checkout” to continue."
    )


def payment_unavailable_screen(_: Texts) -> Screen:
    text = _("The payment methods cannot be loaded right now. Please try again in a minute.")
    retry = InlineKeyboardButton(
        _("🔄 Try again"), callback_data=cd.checkout_action(cd.CHECKOUT_CART_DONE)
    )
    return Screen(text, InlineKeyboardMarkup([[retry], _back_cancel_row(_)]))


def summary_screen(
    _: Texts,
    draft: CheckoutDraft,
    form: OrderForm,
    cart: Cart,
    products: Mapping[int, CatalogProduct],
    payments: Sequence[PaymentOption],
    language: str,
    *,
    changed: bool = False,
) -> Screen:
    """Everything Confirm will order; `changed`: shown again because the cart or the details
    changed since the summary the customer confirmed. With the payment method settled
    (`draft.payment_account`: the storage's only one, or the shop's default) one ✅ Confirm;
    else one ✅ per method of `payments`, each confirming and choosing how to pay in one tap."""
    view = describe_cart(_, cart, products, language)
    notice = (
        [_("⚠️ Your order changed since you last saw it. Please check it and confirm again."), ""]
        if changed
        else []
    )
    text = "\n".join(
        [
            *notice,
            _("<b>Please check your order</b>"),
            "",
            *view.lines,
            "",
            total_line(_, view.priced, language),
            "",
            *details_lines(form, draft.values, language),
            _payment_line(_, draft.payment_account, payments),
        ]
    )
    edits = [
        InlineKeyboardButton(f"✏️ {item.title}", callback_data=cd.build(cd.FIELD_EDIT, index))
        for index, item in enumerate(form.asked_fields)
    ]
    edits.append(
        InlineKeyboardButton(
            _("✏️ Edit cart"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_CART)
        )
    )
    rows = [
        *_confirm_rows(_, draft, cart, payments),
        *[edits[index : index + 2] for index in range(0, len(edits), 2)],
        _back_cancel_row(_),
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def _payment_line(_: Texts, account: str | None, payments: Sequence[PaymentOption]) -> str:
    if account is None:
        return _("How would you like to pay? Tap it to place the order.")
    title = next((p.title for p in payments if p.identifier == account), account)
    return _("Payment: {method}", method=escape(title))


def _confirm_rows(
    _: Texts, draft: CheckoutDraft, cart: Cart, payments: Sequence[PaymentOption]
) -> list[list[InlineKeyboardButton]]:
    if draft.payment_account is not None:
        data = cd.confirm(draft.checkout_id, draft.revision(cart))
        return [[InlineKeyboardButton(_("✅ Confirm"), callback_data=data)]]
    revision = draft.revision(cart, with_payment=False)
    return [
        [
            InlineKeyboardButton(
                f"✅ {payment.title}", callback_data=cd.confirm(draft.checkout_id, revision, index)
            )
        ]
        for index, payment in enumerate(payments)
    ]


def reply_keyboard_closed(text: str) -> Screen:
    """A short message that also takes the phone step's reply keyboard away."""
    return Screen(text, ReplyKeyboardRemove())


def phone_accepted_screen(_: Texts, phone: str) -> Screen:
    return reply_keyboard_closed(_("📱 Phone: {phone}", phone=escape(phone)))


def back_from_phone_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(_("⬅️ Back."))


def skipped_phone_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(_("⏭ Skipped."))


def form_unusable_screen(_: Texts) -> Screen:
    """The shop's form has a required field the bot cannot fill (a file, say)."""
    return reply_keyboard_closed(
        _(
            "Sorry, this shop's order form asks for something the bot cannot take (such as a "
            "file), so orders cannot be placed here. Please contact the shop. Your cart is kept."
        )
    )


def cancelled_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(
        _("Checkout cancelled. Your cart is kept: /cart. The menu: /start.")
    )


def forgotten_screen(_: Texts, had_details: bool) -> Screen:
    text = (
        _(
            "Your saved details are deleted from the bot. Your cart is kept; your orders keep "
            "the details they were placed with."
        )
        if had_details
        else _("There are no saved details to delete.")
    )
    return reply_keyboard_closed(text)


def timed_out_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(
        _(
            "The checkout was stopped because nothing happened for a while. Your cart is "
            "kept; tap “✅ Checkout” in /cart to start again."
        )
    )


def what_next_screen(_: Texts) -> Screen:
    return Screen(_("What would you like to do?"), menu_keyboard(_))


def nothing_to_cancel_screen(_: Texts) -> Screen:
    return Screen(_("There is no checkout to cancel. What would you like to do?"), menu_keyboard(_))


def shop_silent_screen(_: Texts) -> Screen:
    """The catalog could not be read for prices; the checkout stays where it was."""
    return Screen(_("The shop does not answer right now. Your checkout is kept; please try again."))


def edit_taken_screen(_: Texts, item: OrderFormField, value: Answer, language: str) -> Screen:
    """An edited answer replaced the value it gave."""
    return Screen(
        _(
            "✏️ {title} is now {value}.",
            title=escape(item.title),
            value=escape(shown(item, value, language)),
        )
        + "\n"
        + _("The summary will show it before you confirm.")
    )


def edit_refused_screen(_: Texts, problem: str) -> Screen:
    """An edited answer that cannot be used: the earlier value stays."""
    return Screen(f"⚠️ {problem}\n" + _("The value you gave before is kept."))


def edit_not_taken_screen(_: Texts) -> Screen:
    return Screen(
        _(
            "Edits to that message do not change your order. To change a detail, use "
            "“✏️ Edit” on the summary."
        )
    )
