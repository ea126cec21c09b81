"""What nothing else took, in a customer's private chat: an unknown command, a sticker, a
photo, a voice message. Each gets a one-line answer, so the bot never looks broken."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from ui.context import ShopContext
from ui.sending import show
from ui.updates import PRIVATE_CHAT, message
from ui.views import menu as views

NEW_PRIVATE_MESSAGE = filters.UpdateType.MESSAGE & PRIVATE_CHAT & ~filters.VIA_BOT


async def unknown_command(update: Update, context: ShopContext) -> None:
    command = (message(update).text or "").split()[0].split("@")[0]
    await show(update, context, views.unknown_command_screen(context.texts, command))


async def other_message(update: Update, context: ShopContext) -> None:
    await show(update, context, views.text_only_screen(context.texts))


def unmatched_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    """Registered after every command and message handler of group 0."""
    return [
        MessageHandler(NEW_PRIVATE_MESSAGE & filters.COMMAND, unknown_command),
        MessageHandler(NEW_PRIVATE_MESSAGE & ~filters.TEXT, other_message),
    ]
