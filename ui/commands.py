"""The command menu Telegram shows next to the message field, in each language.

Customers get their commands everywhere. Each admin's private chat (and the staff chat, when
set) also lists the staff commands, per chat scope, in both languages; an admin who never
opened the bot has no private chat yet, which is logged and skipped, never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from locales import DEFAULT_LANGUAGE, LANGUAGES, Texts
from shop.staff_records import StaffAudience

logger = logging.getLogger(__name__)


def command_list(_: Texts) -> list[BotCommand]:
    return [
        BotCommand("start", _("Main menu")),
        BotCommand("catalog", _("Browse the catalog")),
        BotCommand("search", _("Find a product by name")),
        BotCommand("cart", _("Your cart")),
        BotCommand("checkout", _("Place an order")),
        BotCommand("orders", _("Your orders")),
        BotCommand("language", _("Change the language")),
        BotCommand("help", _("How to order")),
        BotCommand("cancel", _("Stop the checkout")),
        BotCommand("forget", _("Delete my saved details")),
    ]


def admin_command_list(_: Texts) -> list[BotCommand]:
    return [
        BotCommand("orders", _("The shop's orders [page]")),
        BotCommand("order", _("One order: /order <number>")),
        BotCommand("pending", _("Unpaid orders, oldest first [days]")),
        BotCommand("stats", _("Orders and revenue [today|7d|30d]")),
        BotCommand("find", _("Find orders by phone, email or name")),
        BotCommand("status", _("Change an order's status: /status <number>")),
    ]


def staff_chat_commands(_: Texts) -> list[BotCommand]:
    """The staff chat: the staff commands and their help."""
    return [*admin_command_list(_), BotCommand("help", _("The staff commands"))]


def admin_chat_commands(_: Texts) -> list[BotCommand]:
    """An admin's private chat: the staff commands, /myorders for their own orders (their
    /orders is the shop's), then the customer ones."""
    staff = [*admin_command_list(_), BotCommand("myorders", _("Your own orders"))]
    names = {command.command for command in staff}
    customer = [command for command in command_list(_) if command.command not in names]
    return staff + [
        BotCommand("help", _("The staff commands, and how to order"))
        if command.command == "help"
        else command
        for command in customer
    ]


async def set_command_menus(bot: Bot, audience: StaffAudience | None) -> None:
    """English for everyone, Russian for Russian-language Telegram apps; staff menus per chat."""
    for language in LANGUAGES:
        await bot.set_my_commands(
            command_list(Texts(language)),
            scope=BotCommandScopeDefault(),
            language_code=_language_code(language),
        )
    if audience is not None:
        await set_staff_menus(bot, audience)


async def set_staff_menus(bot: Bot, audience: StaffAudience) -> None:
    for admin_id in sorted(audience.admin_ids):
        await _set_chat_menu(bot, BotCommandScopeChat(admin_id), admin_chat_commands)
    if audience.staff_chat_id is not None:
        await _set_chat_menu(bot, BotCommandScopeChat(audience.staff_chat_id), staff_chat_commands)


async def _set_chat_menu(
    bot: Bot,
    scope: BotCommandScopeChat,
    commands: Callable[[Texts], list[BotCommand]],
) -> None:
    for language in LANGUAGES:
        try:
            await bot.set_my_commands(
                commands(Texts(language)),
                scope=scope,
                language_code=_language_code(language),
            )
        except TelegramError as error:
            logger.warning(
                "staff command menu not set for chat %s: %s", scope.chat_id, error.message
            )
            return


def _language_code(language: str) -> str | None:
    return None if language == DEFAULT_LANGUAGE else language
