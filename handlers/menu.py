"""The way in: /start (with product deep links), the main menu, /help and /language."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from application.context import ShopContext
from handlers import callback_data as cd
from handlers.catalog import open_product
from handlers.formatting import escape
from handlers.keyboards import back_to_menu_row, menu_keyboard
from handlers.screens import Screen, show
from locales import LANGUAGES, Texts

DEEP_LINK_PRODUCT = re.compile(r"^p_(\d{1,9})$")


def menu_screen(_: Texts, first_name: str | None) -> Screen:
    greeting = _("Hello, {name}!", name=escape(first_name)) if first_name else _("Hello!")
    text = "\n\n".join(
        [
            f"<b>{greeting}</b>",
            _("Here you can browse our catalog, fill a cart and order in a few taps."),
            _("What would you like to do?"),
        ]
    )
    return Screen(text, menu_keyboard(_))


def help_screen(_: Texts) -> Screen:
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
            _("/cart — your cart"),
            _("/orders — your orders"),
            _("/language — change the language"),
            _("/cancel — stop the checkout (your cart is kept)"),
            _("/forget — delete the contact details the bot keeps"),
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


async def start(update: Update, context: ShopContext) -> None:
    """Greets with the menu, or opens the product a deep link names (`/start p_12`)."""
    payload = context.args[0] if context.args else ""
    match = DEEP_LINK_PRODUCT.match(payload)
    if match:
        await open_product(update, context, int(match.group(1)), page=0)
        return
    user = update.effective_user
    await show(update, context, menu_screen(context.texts, user.first_name if user else None))


async def open_menu(update: Update, context: ShopContext) -> None:
    """The menu button: back to the main menu, in place."""
    await update.callback_query.answer()  # type: ignore[union-attr]
    user = update.effective_user
    await show(update, context, menu_screen(context.texts, user.first_name if user else None))


async def show_help(update: Update, context: ShopContext) -> None:
    if update.callback_query:
        await update.callback_query.answer()
    await show(update, context, help_screen(context.texts))


async def choose_language(update: Update, context: ShopContext) -> None:
    await show(update, context, language_screen(context.texts))


async def set_language(update: Update, context: ShopContext) -> None:
    """Stores the chosen language and shows the menu in it."""
    query = update.callback_query
    assert query is not None and context.matches
    context.language = context.matches[0].group(1)
    _ = context.texts
    await query.answer(_("Language: English"))
    user = update.effective_user
    await show(update, context, menu_screen(_, user.first_name if user else None))


def menu_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    languages = "|".join(LANGUAGES)
    return [
        CommandHandler("start", start),
        CommandHandler("help", show_help),
        CommandHandler("language", choose_language),
        CallbackQueryHandler(open_menu, pattern=cd.menu_pattern(cd.SECTION_MENU)),
        CallbackQueryHandler(show_help, pattern=cd.menu_pattern(cd.SECTION_HELP)),
        CallbackQueryHandler(set_language, pattern=cd.pattern(cd.LANGUAGE, languages)),
    ]
