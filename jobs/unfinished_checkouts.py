"""At start-up: the checkouts a stopped bot left unfinished are settled, and each customer is
told what became of theirs.

Checkouts left PLACING or UNKNOWN are looked up in OneEntry. Orders a stopped bot recorded but
never showed (it stopped between the ledger write and the message, e.g. while opening the
payment session) are shown now, their payment session looked for before any is created. The
message sent is then the order's message, which the follow-up keeps up to date.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.error import TelegramError

from locales import Texts
from shop.ledger_records import OrderRecord
from shop.placement_types import ShopUnavailable
from ui.context import ShopApplication
from ui.screen import Screen
from ui.views.orders import earlier_order_message, earlier_order_missing_screen

logger = logging.getLogger(__name__)


async def resolve_unfinished_checkouts(application: ShopApplication) -> None:
    """post_init: tell every customer whose checkout or order a stopped bot left unfinished."""
    shop = application.shop
    timezone = shop.config.timezone
    for resolution in await shop.placement.resolve_unfinished():
        checkout = resolution.checkout
        language = shop.languages.language_for_content(checkout.content_lang)
        _ = Texts(language)
        if resolution.result is not None and resolution.result.order is not None:
            order: OrderRecord | None = resolution.result.order
            screen = earlier_order_message(_, resolution.result.order, language, timezone)
        else:
            order, screen = None, earlier_order_missing_screen(_)
        await _tell(application, checkout.chat_id, order, screen)
    since = datetime.now(UTC) - shop.follow_up.max_age
    for unshown in await shop.ledger.unshown_orders(since):
        try:
            result = await shop.placement.resume(unshown.checkout_id, unshown.user_id)
        except ShopUnavailable:
            result = None
        shown = result.order if result is not None and result.order is not None else unshown
        language = shop.languages.language_for_content(shown.content_lang or "")
        screen = earlier_order_message(Texts(language), shown, language, timezone)
        await _tell(application, shown.chat_id, shown, screen)


async def _tell(
    application: ShopApplication, chat_id: int, order: OrderRecord | None, screen: Screen
) -> None:
    """Send what start-up found; the message then shows the order (the follow-up edits it)."""
    try:
        message = await application.bot.send_message(
            chat_id, screen.text, reply_markup=screen.keyboard
        )
    except TelegramError as error:
        logger.warning("start-up: could not tell a customer: %s", error)
        return
    if order is not None:
        await application.shop.ledger.set_order_message(
            order.storage, order.order_id, message.message_id
        )
