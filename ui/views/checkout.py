"""What each checkout step shows, from the saved details' offer to the summary.

Every text the customer typed (name, email) and every catalog title is escaped here; the
problem messages say what was wrong and what to send instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
from shop.contact import NAME_MAX_LENGTH, ContactDetails, ContactProblem
from shop.payment_options import PaymentOption
from ui import callback_data as cd
from ui.formatting import escape
from ui.keyboards import menu_keyboard
from ui.screen import Screen
from ui.views.cart import describe_cart, total_line


def problem_text(_: Texts, problem: ContactProblem) -> str:
    """What was wrong with the detail, and what to send instead."""
    match problem:
        case ContactProblem.NAME_EMPTY:
            return _("The name is empty. Please send your name, for example: Anna Smith.")
        case ContactProblem.NAME_TOO_LONG:
            return _(
                "The name is too long. Please send at most {max} characters.", max=NAME_MAX_LENGTH
            )
        case ContactProblem.NAME_CONTROL_CHARACTERS:
            return _(
                "The name contains invisible control characters. Please type it again as plain "
                "text."
            )
        case ContactProblem.PHONE_NOT_A_NUMBER:
            return _(
                "That is not a phone number. Please type it with the country code, like "
                "+44 20 7946 0958, or tap “📱 Share my phone”."
            )
        case ContactProblem.PHONE_INVALID:
            return _(
                "This phone number does not exist. Please check the digits and the country code."
            )
        case ContactProblem.PHONE_NOT_OWN:
            return _(
                "That is someone else's contact. Please share your own number with "
                "“📱 Share my phone”, or type it."
            )
        case ContactProblem.EMAIL_INVALID:
            return _(
                "That email address is not valid. Please send an address like name@example.com."
            )


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


def saved_details_screen(_: Texts, details: ContactDetails) -> Screen:
    text = "\n".join(
        [
            _("<b>Checkout</b>"),
            _("Last time you ordered with these details:"),
            "",
            _details_block(_, details.name, details.phone, details.email),
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


def name_screen(_: Texts, problem: str | None = None, with_back: bool = False) -> Screen:
    text = _("<b>Checkout</b>") + "\n" + _("What is your name? Please send it as a message.")
    keyboard = InlineKeyboardMarkup([_back_cancel_row(_, with_back)])
    return Screen(_warned(problem, text), keyboard)


def phone_keyboard_labels(_: Texts) -> tuple[str, str, str]:
    """Share, Back, Cancel: the reply keyboard's labels in one language."""
    return _("📱 Share my phone"), _("⬅️ Back"), _("✖ Cancel")


def reply_label_pattern(index: int) -> str:
    """A regex matching one reply-keyboard label in any language (1 Back, 2 Cancel)."""
    labels = {phone_keyboard_labels(Texts(language))[index] for language in LANGUAGES}
    return "^(" + "|".join(re.escape(label) for label in sorted(labels)) + ")$"


def phone_screen(_: Texts, problem: str | None = None) -> Screen:
    """A reply keyboard: Telegram's contact button only exists there."""
    share, back, cancel = phone_keyboard_labels(_)
    text = _(
        "What is your phone number? Tap “📱 Share my phone” below, or type it with the "
        "country code."
    )
    keyboard = ReplyKeyboardMarkup(
        [
            [KeyboardButton(share, request_contact=True)],
            [KeyboardButton(back), KeyboardButton(cancel)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,  # gone once a button of it is used (conversations/checkout.py)
        input_field_placeholder=_("+44 20 7946 0958"),
    )
    return Screen(_warned(problem, text), keyboard)


def email_screen(_: Texts, problem: str | None = None) -> Screen:
    text = _("What is your email? It goes with your order, so the shop can reach you about it.")
    return Screen(_warned(problem, text), InlineKeyboardMarkup([_back_cancel_row(_)]))


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


def payment_screen(_: Texts, options: list[PaymentOption]) -> Screen:
    rows = [
        [InlineKeyboardButton(option.title, callback_data=cd.build(cd.PAYMENT_ACCOUNT, index))]
        for index, option in enumerate(options)
    ]
    rows.append(_back_cancel_row(_))
    return Screen(_("How would you like to pay?"), InlineKeyboardMarkup(rows))


def payment_unavailable_screen(_: Texts) -> Screen:
    text = _("The payment methods cannot be loaded right now. Please try again in a minute.")
    retry = InlineKeyboardButton(
        _("🔄 Try again"), callback_data=cd.checkout_action(cd.CHECKOUT_CART_DONE)
    )
    return Screen(text, InlineKeyboardMarkup([[retry], _back_cancel_row(_)]))


def summary_screen(
    _: Texts,
    draft: CheckoutDraft,
    cart: Cart,
    products: Mapping[int, CatalogProduct],
    payment_title: str,
    language: str,
    *,
    changed: bool = False,
) -> Screen:
    """Everything Confirm will order; `changed`: shown again because the cart or the details
    changed since the summary the customer confirmed."""
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
            _details_block(_, draft.name or "", draft.phone or "", draft.email or ""),
            _("Payment: {method}", method=escape(payment_title)),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                _("✅ Confirm"),
                callback_data=cd.confirm(draft.checkout_id, draft.revision(cart)),
            )
        ],
        [
            InlineKeyboardButton(
                _("✏️ Edit name"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_NAME)
            ),
            InlineKeyboardButton(
                _("✏️ Edit phone"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_PHONE)
            ),
        ],
        [
            InlineKeyboardButton(
                _("✏️ Edit email"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_EMAIL)
            ),
            InlineKeyboardButton(
                _("✏️ Edit cart"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_CART)
            ),
        ],
        _back_cancel_row(_),
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def _details_block(_: Texts, name: str, phone: str, email: str) -> str:
    return "\n".join(
        [
            _("Name: {name}", name=escape(name)),
            _("Phone: {phone}", phone=escape(phone)),
            _("Email: {email}", email=escape(email)),
        ]
    )


def reply_keyboard_closed(text: str) -> Screen:
    """A short message that also takes the phone step's reply keyboard away."""
    return Screen(text, ReplyKeyboardRemove())


def phone_accepted_screen(_: Texts, phone: str) -> Screen:
    return reply_keyboard_closed(_("📱 Phone: {phone}", phone=escape(phone)))


def back_to_name_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(_("⬅️ Back to your name."))


def cancelled_screen(_: Texts) -> Screen:
    return reply_keyboard_closed(
        _("Checkout cancelled. Your cart is kept: /cart. The menu: /start.")
    )


def forgotten_screen(_: Texts, had_details: bool) -> Screen:
    text = (
        _("Your name, phone and email are deleted from the bot. Your cart is kept.")
        if had_details
        else _("The bot keeps no contact details of yours.")
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


def edit_taken_screen(_: Texts, detail: str, value: str) -> Screen:
    """An edited answer replaced the detail it gave."""
    texts = {
        "name": _("✏️ Your name is now {value}.", value=escape(value)),
        "phone": _("✏️ Your phone is now {value}.", value=escape(value)),
        "email": _("✏️ Your email is now {value}.", value=escape(value)),
    }
    return Screen(texts[detail] + "\n" + _("The summary will show it before you confirm."))


def edit_refused_screen(_: Texts, problem: ContactProblem) -> Screen:
    """An edited answer that cannot be used: the earlier value stays."""
    return Screen(f"⚠️ {problem_text(_, problem)}\n" + _("The value you gave before is kept."))


def edit_not_taken_screen(_: Texts) -> Screen:
    return Screen(
        _(
            "Edits to that message do not change your order. To change a detail, use "
            "“✏️ Edit” on the summary."
        )
    )
