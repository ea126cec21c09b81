"""Checkouts whose outcome is not known yet, settled without the customer having to ask.

At start-up, the checkouts a stopped bot left unfinished are looked up and each customer is
told what became of theirs; orders a stopped bot recorded but never showed (it stopped
between the ledger write and the message) are shown now. While a create call may still land
(its timeout has not run out) nothing is decided: the checkout is looked at again later.

During a session, a Confirm whose outcome is unknown shows "We are checking your order", and
`settle_later` keeps looking on the follow-up's schedule, never creating: once the order is
found that same message becomes the order's message; once it is proven missing the message
says nothing was ordered (the cart is kept; "Check again" or a new Confirm orders it). A
checkout that became an order is finished for its customer (the draft ends, the cart gives up
what was ordered), wherever the customer is.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Message
from telegram.error import TelegramError

from jobs.follow_up import customer_order_message, schedule_follow_up
from locales import Texts
from shop.ledger_records import OrderRecord
from shop.placement_types import PlacementResult, PlacementStatus, ShopUnavailable
from ui.context import ShopApplication, ShopContext
from ui.screen import Screen
from ui.sending import redraw
from ui.views.orders import earlier_order_missing_screen

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SettleJob:
    """A checkout to look at again, and the message that says it is being checked."""

    checkout_id: str
    user_id: int
    chat_id: int
    message_id: int | None
    language: str  # the customer's, for what the message will say
    attempt: int = 0


async def resolve_unfinished_checkouts(application: ShopApplication) -> None:
    """post_init: tell every customer whose checkout or order a stopped bot left unfinished."""
    shop = application.shop
    for resolution in await shop.placement.resolve_unfinished():
        checkout = resolution.checkout
        if not resolution.settled:
            delay = (resolution.decide_after or datetime.now(UTC)) - datetime.now(UTC)
            language = shop.languages.language_for_content(checkout.content_lang)
            job = SettleJob(
                checkout.checkout_id, checkout.user_id, checkout.chat_id, None, language
            )
            _schedule(application, job, max(delay.total_seconds(), 0.0))
            continue
        _ = Texts(shop.languages.language_for_content(checkout.content_lang))
        order = resolution.result.order if resolution.result is not None else None
        if order is None:
            await _tell(application, checkout.chat_id, None, earlier_order_missing_screen(_))
            continue
        application.finish_checkout(checkout.user_id, checkout.checkout_id, order.items)
        await _tell(
            application,
            checkout.chat_id,
            order,
            customer_order_message(application, order, earlier=True),
        )
    since = datetime.now(UTC) - shop.follow_up.max_age
    for unshown in await shop.ledger.unshown_orders(since):
        try:
            result = await shop.placement.resume(unshown.checkout_id, unshown.user_id)
        except ShopUnavailable:
            result = None
        shown = result.order if result is not None and result.order is not None else unshown
        application.finish_checkout(shown.user_id, shown.checkout_id, shown.items)
        await _tell(
            application,
            shown.chat_id,
            shown,
            customer_order_message(application, shown, earlier=True),
        )


def settle_later(context: ShopContext, checkout_id: str, user_id: int, message: Message) -> None:
    """Keep looking at a checkout whose outcome is unknown; `message` says it is being
    checked and becomes the order's message once the order is known."""
    job = SettleJob(checkout_id, user_id, message.chat_id, message.message_id, context.language)
    _schedule(context.app, job, context.shop.follow_up.backoff.delay(0))


async def settle_job(context: ShopContext) -> None:
    assert context.job is not None and isinstance(context.job.data, SettleJob)
    job: SettleJob = context.job.data
    application = context.app
    try:
        result = await application.shop.placement.resume(
            job.checkout_id, job.user_id, create_if_missing=False
        )
    except ShopUnavailable:
        result = PlacementResult(job.checkout_id, PlacementStatus.CHECKING)
    if result is not None and result.order is None:
        attempt = job.attempt + 1
        delay = application.shop.follow_up.backoff.delay(attempt)
        _schedule(application, _next(job, attempt), delay)
        return
    if result is None or result.order is None:
        await _show(application, job, None, earlier_order_missing_screen(Texts(job.language)))
        return
    order = result.order
    application.finish_checkout(order.user_id, order.checkout_id, order.items)
    await _show(application, job, order, customer_order_message(application, order))
    schedule_follow_up(application, order)


# -- plumbing ----------------------------------------------------------------------------------


def _schedule(application: ShopApplication, job: SettleJob, delay: float) -> None:
    if application.job_queue is None:
        return
    name = f"settle:{job.checkout_id}"
    application.job_queue.run_once(
        settle_job,
        delay,
        data=job,
        name=name,
        chat_id=job.chat_id,
        user_id=job.user_id,
        job_kwargs={"id": name, "replace_existing": True},
    )


def _next(job: SettleJob, attempt: int) -> SettleJob:
    return dataclasses.replace(job, attempt=attempt)


async def _show(
    application: ShopApplication, job: SettleJob, order: OrderRecord | None, screen: Screen
) -> None:
    """In the message that said "we are checking" when there is one, else a new message."""
    if job.message_id is not None and await redraw(
        application.bot, job.chat_id, job.message_id, screen
    ):
        if order is not None:
            await application.shop.ledger.set_order_message(
                order.storage, order.order_id, job.message_id
            )
        return
    await _tell(application, job.chat_id, order, screen)


async def _tell(
    application: ShopApplication, chat_id: int, order: OrderRecord | None, screen: Screen
) -> None:
    """Send what was found; the message then shows the order (the follow-up edits it)."""
    try:
        message = await application.bot.send_message(
            chat_id, screen.text, reply_markup=screen.keyboard
        )
    except TelegramError as error:
        logger.warning("could not tell a customer about their checkout: %s", error)
        return
    if order is not None:
        await application.shop.ledger.set_order_message(
            order.storage, order.order_id, message.message_id
        )
