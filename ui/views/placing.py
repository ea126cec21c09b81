"""What the customer sees between Confirm and the order message: placing, and each way it can
go wrong. The order message itself is `ui.views.orders.order_message`."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.placement_types import RejectedPart
from ui import callback_data as cd
from ui.formatting import escape
from ui.keyboards import back_to_menu_row
from ui.screen import Screen


def placing_screen(_: Texts) -> Screen:
    return Screen(_("⏳ Placing your order…"))


def checking_screen(_: Texts, check_again: str) -> Screen:
    """The create call's outcome is unknown; `check_again` is the button's callback data."""
    text = "\n".join(
        [
            _("⏳ <b>We are checking your order.</b>"),
            "",
            _(
                "The shop did not answer in time, so we do not know yet whether your order "
                "went through. Nothing will be ordered twice."
            ),
            _("Tap “🔄 Check again” in a moment."),
        ]
    )
    button = InlineKeyboardButton(_("🔄 Check again"), callback_data=check_again)
    return Screen(text, InlineKeyboardMarkup([[button]]))


def unavailable_screen(_: Texts) -> Screen:
    text = "\n".join(
        [
            _("⚠️ The shop cannot take orders right now."),
            _("Nothing was ordered. Your cart and details are kept; please try again in a minute."),
        ]
    )
    rows = [
        [InlineKeyboardButton(_("🔄 Retry"), callback_data=cd.checkout_action(cd.CHECKOUT_RETRY))],
        [InlineKeyboardButton(_("✖ Cancel"), callback_data=cd.checkout_action(cd.CHECKOUT_CANCEL))],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def rejected_field_problem(_: Texts, title: str) -> str:
    """Why a field is asked again (the prompt itself comes from the checkout's views)."""
    return _(
        "The shop did not accept your answer to “{title}”. Nothing was ordered; please send "
        "it again.",
        title=escape(title),
    )


def rejected_order_screen(_: Texts, part: RejectedPart) -> Screen:
    """The cart changed (a product vanished or cannot be ordered), or another refusal."""
    if part is RejectedPart.CART:
        text = _(
            "⚠️ Some products in your cart cannot be ordered any more. Nothing was ordered; "
            "please check your cart."
        )
    else:
        text = _(
            "⚠️ The shop did not accept this order. Nothing was ordered; please check it and "
            "try again."
        )
    rows = [
        [
            InlineKeyboardButton(
                _("✏️ Edit cart"), callback_data=cd.checkout_action(cd.CHECKOUT_EDIT_CART)
            )
        ],
        [InlineKeyboardButton(_("✖ Cancel"), callback_data=cd.checkout_action(cd.CHECKOUT_CANCEL))],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def problem_notice(problem: str) -> Screen:
    """The summary turned into the reason it is gone, before a detail is asked again."""
    return Screen(f"⚠️ {problem}")


def empty_cart_screen(_: Texts) -> Screen:
    text = _("Your cart is empty, so there is nothing to order.")
    catalog = InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.menu(cd.SECTION_CATALOG))
    return Screen(text, InlineKeyboardMarkup([[catalog], back_to_menu_row(_)]))


def expired_summary_screen(_: Texts) -> Screen:
    text = _("This order summary has expired. Your cart is kept: open it to check out again.")
    cart = InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))
    return Screen(text, InlineKeyboardMarkup([[cart, *back_to_menu_row(_)]]))


def order_is_above_screen(_: Texts, order_id: int) -> Screen:
    """An older message tapped for an order that has its own message: that one is kept up to
    date, this one only points at it."""
    return Screen(_("✅ Order #{number} is placed: its message above shows it.", number=order_id))


def earlier_order_screen(_: Texts, order_id: int) -> Screen:
    """Confirmed again with another cart, but the first Confirm had gone through after all."""
    text = _(
        "✅ Your earlier order #{number} went through after all: its message shows it. It "
        "has what you confirmed then; anything you added since is still in your cart.",
        number=order_id,
    )
    cart = InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))
    return Screen(text, InlineKeyboardMarkup([[cart, *back_to_menu_row(_)]]))
