"""The command menu Telegram shows next to the message field, in each language."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeDefault
from telegram.ext import Application

from locales import DEFAULT_LANGUAGE, LANGUAGES, Texts


def command_list(_: Texts) -> list[BotCommand]:
    return [
        BotCommand("start", _("Main menu")),
        BotCommand("catalog", _("Browse the catalog")),
        BotCommand("cart", _("Your cart")),
        BotCommand("checkout", _("Place an order")),
        BotCommand("orders", _("Your orders")),
        BotCommand("language", _("Change the language")),
        BotCommand("help", _("How to order")),
        BotCommand("cancel", _("Stop the checkout")),
        BotCommand("forget", _("Delete my contact details")),
    ]


async def set_command_menus(application: Application) -> None:  # type: ignore[type-arg]
    """English for everyone, Russian for Russian-language Telegram apps."""
    for language in LANGUAGES:
        await application.bot.set_my_commands(
            command_list(Texts(language)),
            scope=BotCommandScopeDefault(),
            language_code=None if language == DEFAULT_LANGUAGE else language,
        )
