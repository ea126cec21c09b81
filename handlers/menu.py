"""The way in: /start (with product deep links), the main menu, /help and /language."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.catalog import FRONT, open_product
from locales import LANGUAGES
from ui import callback_data as cd
from ui.context import ShopContext
from ui.sending import show
from ui.updates import callback_query
from ui.views import menu as views

# `p_<id>` opens a product; `p_<id>_<tag>` also notes the campaign the link was made for
# (Telegram allows A-Z, a-z, 0-9, _ and - in a start parameter, 64 at most).
DEEP_LINK_PRODUCT = re.compile(r"^p_([0-9]{1,9})(?:_([A-Za-z0-9_-]{1,40}))?$")


async def start(update: Update, context: ShopContext) -> None:
    """Greets with the menu, or opens the product a deep link names (`/start p_12`, with a
    campaign tag `/start p_12_spring`: kept for the order and shown to the staff)."""
    payload = context.args[0] if context.args else ""
    match = DEEP_LINK_PRODUCT.match(payload)
    if match:
        if match.group(2):
            context.campaign = match.group(2)
        await open_product(update, context, int(match.group(1)), FRONT)
        return
    user = update.effective_user
    await show(update, context, views.menu_screen(context.texts, user.first_name if user else None))


async def open_menu(update: Update, context: ShopContext) -> None:
    """The menu button: back to the main menu, in place."""
    await callback_query(update).answer()
    user = update.effective_user
    await show(update, context, views.menu_screen(context.texts, user.first_name if user else None))


async def show_help(update: Update, context: ShopContext) -> None:
    if update.callback_query:
        await update.callback_query.answer()
    await show(update, context, views.help_screen(context.texts))


async def choose_language(update: Update, context: ShopContext) -> None:
    await show(update, context, views.language_screen(context.texts))


async def set_language(update: Update, context: ShopContext) -> None:
    """Stores the chosen language and shows the menu in it."""
    query = update.callback_query
    assert query is not None and context.matches
    context.language = context.matches[0].group(1)
    _ = context.texts
    await query.answer(_("Language: English"))
    user = update.effective_user
    await show(update, context, views.menu_screen(_, user.first_name if user else None))


def menu_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    languages = "|".join(LANGUAGES)
    return [
        CommandHandler("start", start),
        CommandHandler("help", show_help),
        CommandHandler("language", choose_language),
        CallbackQueryHandler(open_menu, pattern=cd.menu_pattern(cd.SECTION_MENU)),
        CallbackQueryHandler(show_help, pattern=cd.menu_pattern(cd.SECTION_HELP)),
        CallbackQueryHandler(set_language, pattern=cd.pattern(cd.LANGUAGE, languages)),
    ]
