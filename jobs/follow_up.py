"""The payment follow-up's jobs: look at an order on a backoff schedule, redraw the customer's
order message when it changed, and send one short notification for what matters.

One job per order (named after it), rebuilt from the ledger at start-up, so a restart loses
none. Exactly once across restarts, by choice AT MOST once for notifications: a change and
its PENDING notification are written to the ledger in one transaction before anything is
sent (`OrderWatcher`), so no later look can find the change again and no restart re-sends it.
A bot killed between that write and the send loses that one short message (the notice becomes
DROPPED at the next start-up); the order message is redrawn then and "My orders" shows the
truth, so the customer still sees the state, but is never told anything twice. A customer who
blocked the bot (403) only fails their own notice; nothing else stops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Job

from locales import DEFAULT_LANGUAGE, Texts
from shop.events import OrderEventKind
from shop.follow_up import is_followed
from shop.ledger_records import Notice, OrderRecord
from shop.watcher import LookResult
from ui.context import ShopApplication, ShopContext
from ui.priority import Priority, sent_as
from ui.screen import Screen
from ui.views.orders import earlier_order_message, notice_screen, order_message

logger = logging.getLogger(__name__)

JOB_PREFIX = "follow-up"


@dataclass(frozen=True, slots=True)
class FollowUpJob:
    """A job's data: which order, how many looks in a row found nothing new, and whether the
    order message must be redrawn even without a change (a notice lost to a restart)."""

    storage: str
    order_id: int
    attempt: int = 0
    redraw: bool = False


@dataclass(frozen=True, slots=True)
class FollowUpBacklog:
    """The follow-up's queue now: open orders with a look scheduled, and how many of those
    looks are already due (a queue that keeps up has almost none due)."""

    scheduled: int
    due: int


def follow_up_backlog(application: ShopApplication) -> FollowUpBacklog:
    """Counted from the job queue (one job per followed order), for the bot's metrics."""
    job_queue = application.job_queue
    if job_queue is None:
        return FollowUpBacklog(0, 0)
    now = datetime.now(UTC)
    runs = [
        job.next_run_time
        for job in job_queue.scheduler.get_jobs()
        if job.id.startswith(f"{JOB_PREFIX}:")
    ]
    due = sum(1 for run in runs if run is not None and run <= now)
    return FollowUpBacklog(scheduled=len(runs), due=due)


def job_name(storage: str, order_id: int) -> str:
    return f"{JOB_PREFIX}:{storage}:{order_id}"


def schedule_follow_up(
    application: ShopApplication,
    order: OrderRecord,
    *,
    attempt: int = 0,
    redraw: bool = False,
) -> Job[ShopContext] | None:
    """Look at `order` after the backoff delay for `attempt`, unless it is no longer followed.
    Never two jobs per order: an existing job due sooner is kept, a later one is replaced."""
    job_queue = application.job_queue
    if job_queue is None:
        return None
    policy = application.shop.follow_up
    if not is_followed(order, datetime.now(UTC), policy.max_age, application.shop.config.statuses):
        return None
    delay = policy.backoff.delay(attempt)
    name = job_name(order.storage, order.order_id)
    due = datetime.now(UTC).timestamp() + delay
    # The job's name is also its scheduler id: found by a dict look-up, where
    # `get_jobs_by_name` wraps every job of the queue (one per customer mid-checkout).
    existing = job_queue.scheduler.get_job(name)
    next_run = existing.next_run_time if existing is not None else None
    if next_run is not None and next_run.timestamp() <= due:
        return None
    return job_queue.run_once(
        follow_up_job,
        delay,
        data=FollowUpJob(order.storage, order.order_id, attempt, redraw),
        name=name,
        chat_id=order.chat_id,
        user_id=order.user_id,
        job_kwargs={"id": name, "replace_existing": True},
    )


async def follow_up_job(context: ShopContext) -> None:
    """One look at one order; the next look is scheduled whatever happens."""
    job = context.job
    assert job is not None and isinstance(job.data, FollowUpJob)
    data: FollowUpJob = job.data
    result: LookResult | None = None
    try:
        result = await look_and_tell(context.app, data.storage, data.order_id, redraw=data.redraw)
    finally:
        if result is None:
            order = await context.shop.ledger.order(data.storage, data.order_id)
            redraw = data.redraw
        else:
            order = result.order
            redraw = data.redraw and not result.reachable
        if order is not None:
            found = result is not None and (result.changes or result.message_changed)
            attempt = 0 if found else data.attempt + 1
            schedule_follow_up(context.app, order, attempt=attempt, redraw=redraw)


async def look_and_tell(
    application: ShopApplication,
    storage: str,
    order_id: int,
    *,
    redraw: bool = False,
) -> LookResult | None:
    """Look at the order in OneEntry; on a change, redraw its message and tell the customer.
    The follow-up job and "My orders" both come here, so a change is announced once."""
    shop = application.shop
    result = await shop.watcher.look(storage, order_id)
    if result is None:
        return None
    if result.message_changed or (redraw and result.reachable):
        await redraw_order_message(application, result.order)
    if result.changes:
        await _notify(application, result)
    return result


@sent_as(Priority.BACKGROUND)
async def redraw_order_message(application: ShopApplication, order: OrderRecord) -> None:
    """Show the order's current state in the message that shows it to the customer; a
    message that is gone, unchanged or too old to edit is left as it is."""
    if order.message_id is None:
        return
    screen = customer_order_message(application, order)
    try:
        await application.bot.edit_message_text(
            screen.text,
            chat_id=order.chat_id,
            message_id=order.message_id,
            reply_markup=screen.inline_keyboard,
        )
    except (BadRequest, Forbidden) as error:
        logger.info("order %s: order message not redrawn: %s", order.order_id, error)
    except TelegramError as error:
        logger.warning("order %s: order message not redrawn: %s", order.order_id, error)


@sent_as(Priority.ORDER)  # payment news comes with the orders
async def _notify(application: ShopApplication, result: LookResult) -> None:
    """Send the notification the look recorded as PENDING, then record SENT or FAILED."""
    order = result.order
    pending = [change for change in result.changes if change.notice is Notice.PENDING]
    kinds = tuple(OrderEventKind(change.kind) for change in pending)
    if not kinds:
        return
    _ = Texts(customer_language(application, order))
    outcome = Notice.SENT
    screen = notice_screen(_, order, kinds)
    try:
        await application.bot.send_message(order.chat_id, screen.text, reply_markup=screen.keyboard)
    except TelegramError as error:
        outcome = Notice.FAILED
        logger.info("order %s: customer not told (%s)", order.order_id, type(error).__name__)
    for change in pending:
        await application.shop.ledger.set_notice(change.event_id, outcome)


def customer_order_message(
    application: ShopApplication, order: OrderRecord, *, earlier: bool = False
) -> Screen:
    """The order's message as its customer sees it, drawn outside any update; `earlier`:
    told at start-up of a checkout a stopped bot left unfinished."""
    language = customer_language(application, order)
    config = application.shop.config
    draw = earlier_order_message if earlier else partial(order_message, placed=True)
    return draw(
        Texts(language),
        order,
        language,
        config.timezone,
        pays_on_delivery=config.pays_on_delivery(order.payment_account),
        cancelled=config.statuses.is_cancelled_order(order.order_status),
    )


def customer_language(application: ShopApplication, order: OrderRecord) -> str:
    """The customer's chosen bot language, else the one they ordered in."""
    chosen = application.chosen_language(order.user_id)
    if chosen is not None:
        return chosen
    if order.content_lang is None:
        return DEFAULT_LANGUAGE
    return application.shop.languages.language_for_content(order.content_lang)


async def resume_follow_ups(application: ShopApplication) -> None:
    """post_init: a job for every open order in the ledger, so a restart loses none, going on
    with each order's schedule where it was (by the time since its last change). Notices a
    stopped bot left PENDING are DROPPED, not re-sent; their orders' messages are redrawn on
    the first look, at once."""
    shop = application.shop
    redraw = await shop.ledger.drop_pending_notices()
    now = datetime.now(UTC)
    orders = await shop.ledger.orders_to_follow(
        now - shop.follow_up.max_age, shop.config.statuses.final_orders
    )
    for order in orders:
        changed = order.updated_at or order.created_at or now
        idle = (now - (changed if changed.tzinfo else changed.replace(tzinfo=UTC))).total_seconds()
        attempt = 0 if order.key in redraw else shop.follow_up.backoff.attempts_after(idle)
        schedule_follow_up(application, order, attempt=attempt, redraw=order.key in redraw)
    if orders:
        logger.info("follow-up resumed for %d open orders", len(orders))
