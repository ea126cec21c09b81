"""The way in as the customer sees it: the main menu, help, the language choice, and what an
expired button or a failure answers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import LANGUAGES, Texts
from ui import callback_data as cd
from ui.formatting import escape, shorten
from ui.keyboards import back_to_menu_row, menu_keyboard
from ui.screen import Screen


def menu_screen(_: Texts, first_name: str | None) -> Screen:
    greeting = _("Hello, {name}!", name=escape(first_name)) if first_name else _("Hello!")
    text = "\n\n".join(
        [
            f"<b>{greeting}</b>",
            _("Here you can browse our catalog, fill a cart and order in a few taps."),
            _("Looking for something? Just type its name."),
            _("What would you like to do?"),
        ]
    )
    return Screen(text, menu_keyboard(_))


def help_screen(_: Texts, *, staff: bool = False) -> Screen:
    """How to order, and the customer's commands; `staff`: for an admin's own chat, where
    /orders lists the shop's orders and /myorders their own."""
    orders = _("/myorders — your own orders") if staff else _("/orders — your orders")
    text = "\n".join(
        [
            _("<b>How to order</b>"),
            _("1. Open the catalog and add products to your cart."),
            _("2. Open the cart and tap “Checkout”."),
            _("3. Give your name, phone and email, then confirm."),
            _("You get the order number and a payment link right away."),
            "",
            _("<b>Commands</b>"),
            _("/start — main menu"),
            _("/catalog — the catalog"),
            _("/search — find a product (or just type its name)"),
            _("/cart — your cart"),
            orders,
            _("/language — change the language"),
            _("/cancel — stop the checkout (your cart is kept)"),
            _("/forget — delete the details saved for your next order"),
        ]
    )
    return Screen(text, InlineKeyboardMarkup([back_to_menu_row(_)]))


def language_screen(_: Texts) -> Screen:
    names = {"en": "🇬🇧 English", "ru": "🇷🇺 Русский"}
    buttons = [
        InlineKeyboardButton(names[code], callback_data=cd.build(cd.LANGUAGE, code))
        for code in LANGUAGES
    ]
    return Screen(_("Choose your language:"), InlineKeyboardMarkup([buttons]))


def expired_menu_screen(_: Texts) -> Screen:
    """Any button no handler claims: a fresh menu in its place."""
    return Screen(_("This menu has expired. Here is a fresh one:"), menu_keyboard(_))


def unknown_command_screen(_: Texts, command: str) -> Screen:
    """A command the bot does not have: one line, and the menu."""
    return Screen(
        _(
            "There is no command {command}: see /help, or type a product's name to search.",
            command=escape(shorten(command, 40)),
        ),
        menu_keyboard(_),
    )


def text_only_screen(_: Texts) -> Screen:
    """A sticker, photo, voice message... outside a checkout step."""
    return Screen(
        _("I read text only: type a product's name to search, or use the menu."),
        menu_keyboard(_),
    )


def failure_screen(_: Texts) -> Screen:
    return Screen(
        _(
            "Sorry, something went wrong on our side. Your cart and details are kept; "
            "please try again."
        )
    )
