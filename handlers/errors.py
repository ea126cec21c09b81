"""What happens when something goes wrong: the customer gets a polite answer, the log gets the
update id and the error (never the message text or personal data)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from ui.context import ShopContext
from ui.sending import send, show
from ui.updates import telegram_unreachable
from ui.views import menu as views

logger = logging.getLogger(__name__)


async def expired_button(update: Update, context: ShopContext) -> None:
    """Any button no other handler claims: from an old message, a past version or forged."""
    query = update.callback_query
    assert query is not None
    _ = context.texts
    await query.answer(_("This button has expired."))
    await show(update, context, views.expired_menu_screen(_))


async def on_error(update: object, context: ShopContext) -> None:
    """Logs the failure and tells the customer, in their language, that nothing was lost."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        logger.info("update %s: the customer blocked the bot", update_id)
        return
    if isinstance(error, TelegramError) and telegram_unreachable(error):
        logger.warning("update %s: Telegram did not take a call: %s", update_id, error)
    else:
        logger.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        # Handlers answer their button first, so the query is not answered again here.
        await send(context, update.effective_chat.id, views.failure_screen(context.texts))
    except TelegramError:
        logger.warning("update %s: could not tell the customer about the error", update_id)


def fallback_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    """Registered last, after every other handler."""
    return [CallbackQueryHandler(expired_button)]
