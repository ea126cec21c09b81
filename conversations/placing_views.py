"""What the customer sees from Confirm on: placing, the order, and each way it can go wrong."""

from __future__ import annotations

from datetime import UTC, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers import callback_data as cd
from handlers.keyboards import back_to_menu_row
from handlers.order_views import next_step_text, order_lines, pay_button
from handlers.screens import Screen
from locales import Texts
from shop.ledger_records import OrderRecord
from shop.placement_types import RejectedPart


def _checkout_action(action: str) -> str:
    return cd.build(cd.CHECKOUT, action)


def placing_screen(_: Texts) -> Screen:
    return Screen(_("⏳ Placing your order…"))


def order_screen(_: Texts, order: OrderRecord, language: str, timezone: tzinfo = UTC) -> Screen:
    """The placed order: number, total as OneEntry computed it, payment status, Pay."""
    placed = order_lines(_, order, language, timezone=timezone)
    lines = [_("✅ <b>Your order is placed.</b>"), "", *placed]
    text = "\n".join([*lines, "", next_step_text(_, order)])
    rows: list[list[InlineKeyboardButton]] = []
    pay = pay_button(_, order)
    if pay is not None:
        rows.append([pay])
    if not order.has_payment_session:
        retry = cd.build(cd.CONFIRM, order.checkout_id)  # handled outside the conversation too
        rows.append([InlineKeyboardButton(_("🔄 Get payment link"), callback_data=retry)])
    rows.append(
        [
            InlineKeyboardButton(_("📦 My orders"), callback_data=cd.menu(cd.SECTION_ORDERS)),
            *back_to_menu_row(_),
        ]
    )
    return Screen(text, InlineKeyboardMarkup(rows))


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
        [InlineKeyboardButton(_("🔄 Retry"), callback_data=_checkout_action(cd.CHECKOUT_RETRY))],
        [InlineKeyboardButton(_("✖ Cancel"), callback_data=_checkout_action(cd.CHECKOUT_CANCEL))],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def rejected_field_problem(_: Texts, part: RejectedPart) -> str:
    """Why the detail is asked again (the prompt itself comes from the checkout's views)."""
    match part:
        case RejectedPart.NAME:
            return _("The shop did not accept this name. Please send it again.")
        case RejectedPart.PHONE:
            return _("The shop did not accept this phone number. Please send it again.")
        case RejectedPart.EMAIL:
            return _("The shop did not accept this email address. Please send it again.")
        case _:
            return _("The shop did not accept this order.")


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
                _("✏️ Edit cart"), callback_data=_checkout_action(cd.CHECKOUT_EDIT_CART)
            )
        ],
        [InlineKeyboardButton(_("✖ Cancel"), callback_data=_checkout_action(cd.CHECKOUT_CANCEL))],
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


def earlier_order_screen(
    _: Texts, order: OrderRecord, language: str, timezone: tzinfo = UTC
) -> Screen:
    """Sent at start-up for a checkout left unfinished that did become an order."""
    screen = order_screen(_, order, language, timezone)
    notice = _("We have checked the order you confirmed earlier:")
    return Screen(f"{notice}\n\n{screen.text}", screen.keyboard)


def earlier_order_missing_screen(_: Texts) -> Screen:
    text = _(
        "We have checked the order you confirmed earlier: it was not placed, and nothing was "
        "charged. Please open your cart and confirm again."
    )
    cart = InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))
    return Screen(text, InlineKeyboardMarkup([[cart]]))
