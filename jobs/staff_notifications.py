"""Staff notifications: a card for every new and every paid order, in the staff chat (or each
admin's private chat; in the staff chat's forum topic when STAFF_THREAD_ID is set), with
buttons to open the order and change its status, in the staff's language.

The notifier subscribes to the shop's order events and hands each card to a background task
(`application.create_task`), so the customer's flow never waits for it. The card goes through
the bot, so the rate limiter paces it; a failed send (429, 403 when the bot was removed from
the group, network errors) is tried again a bounded number of times with a growing delay,
then logged. Nothing here can affect the order itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram.error import BadRequest, TelegramError

from locales import Texts
from shop.events import OrderEvent, OrderEventKind
from shop.staff_records import StaffAudience, StaffOrder, StaffUnavailable
from ui.admin_gate import chat_language
from ui.context import ShopApplication
from ui.priority import Priority, sent_as
from ui.screen import Screen
from ui.views.admin import order_card, staff_order_from_record

logger = logging.getLogger(__name__)

NOTIFIED_KINDS = frozenset({OrderEventKind.PLACED, OrderEventKind.PAID})
DEFAULT_ATTEMPTS = 4
DEFAULT_BACKOFF_SECONDS = 2.0


class StaffNotifier:
    """Sends order cards to the staff; subscribe `notify` to `shop.events`."""

    def __init__(
        self,
        application: ShopApplication,
        audience: StaffAudience,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._application = application
        self._audience = audience
        self._attempts = max(attempts, 1)
        self._backoff = backoff_seconds
        self._sleep = sleep
        self._early: set[asyncio.Task[bool]] = set()

    async def notify(self, event: OrderEvent) -> None:
        """Start one delivery task per staff chat and return at once. Before the application
        runs (orders settled at start-up) the task is kept here, since PTB awaits only the
        tasks of a running application."""
        if event.kind not in NOTIFIED_KINDS:
            return
        for chat_id in self._audience.notified_chats:
            name = f"staff-card-{event.kind.value}-{event.order.order_id}"
            delivery = self.deliver(event, chat_id)
            if self._application.running:
                self._application.create_task(delivery, name=name)
                continue
            task = asyncio.get_running_loop().create_task(delivery, name=name)
            self._early.add(task)
            task.add_done_callback(self._early.discard)

    @sent_as(Priority.BACKGROUND)
    async def deliver(self, event: OrderEvent, chat_id: int) -> bool:
        """Send the card to `chat_id`, trying again on failure; True once it was sent."""
        order_id = event.order.order_id
        try:
            screen = await self._card(event, chat_id)
        except Exception:
            logger.exception("order %s: the staff card could not be made", order_id)
            return False
        topic = self._audience.thread_for(chat_id)
        for attempt in range(1, self._attempts + 1):
            try:
                await self._application.bot.send_message(
                    chat_id, screen.text, reply_markup=screen.keyboard, message_thread_id=topic
                )
                return True
            except BadRequest as error:  # the same card would fail the same way again
                if topic is not None and "thread not found" in error.message.lower():
                    logger.warning(
                        "order %s: no topic %s in the staff chat (STAFF_THREAD_ID); the card "
                        "goes to the chat's general topic",
                        order_id,
                        topic,
                    )
                    topic = None
                    continue
                logger.error(
                    "order %s: staff card refused by Telegram: %s", order_id, error.message
                )
                return False
            except TelegramError as error:
                if attempt == self._attempts:
                    logger.error(
                        "order %s: staff card not delivered after %d attempts: %s",
                        order_id,
                        attempt,
                        type(error).__name__,
                    )
                    return False
                delay = self._backoff * 2 ** (attempt - 1)
                logger.warning(
                    "order %s: staff card attempt %d failed (%s); next in %.1f s",
                    order_id,
                    attempt,
                    type(error).__name__,
                    delay,
                )
                await self._sleep(delay)
        return False

    async def _card(self, event: OrderEvent, chat_id: int) -> Screen:
        """The card in the chat's language, with the customer's details from OneEntry when it
        answers, else from the ledger alone."""
        audience = self._audience
        language = chat_language(
            self._application, chat_id, audience.admin_ids, audience.staff_language
        )
        order: StaffOrder
        try:
            shop = self._application.shop
            detail = await shop.staff.order(
                event.order.order_id, lang=shop.languages.content_lang(language)
            )
        except StaffUnavailable:
            detail = None
        order = detail.order if detail is not None else staff_order_from_record(event.order)
        paid = event.kind is OrderEventKind.PAID
        timezone = self._application.shop.config.timezone
        return order_card(Texts(language), order, paid, language, timezone)
