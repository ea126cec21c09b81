"""`build_application(settings)`: the one place the bot is put together.

The production entry point (`bot.py`), the tests, the demo and the benchmark all call it, so
they all run the same bot; only the two base URLs in the settings differ.
"""

from __future__ import annotations

import gc
import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import cast

import httpx
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from application.bot_api_request import AiohttpRequest
from application.chat_persistence import LEGACY_STATE_FILE, ChatStatePersistence
from application.inbox import InboxQueue, InboxRequest, take_over
from application.metrics import BotMetrics
from application.rate_limiter import PriorityRateLimiter
from application.routing import add_handlers
from application.update_processor import PerChatUpdateProcessor
from application.update_trace import (
    ReplyNotingRateLimiter,
    TimedOneEntryTransport,
    UpdateTracer,
)
from jobs.follow_up import follow_up_backlog, resume_follow_ups
from jobs.staff_notifications import DEFAULT_BACKOFF_SECONDS, StaffNotifier
from jobs.unfinished_checkouts import resolve_unfinished_checkouts
from oneentry_client import DEFAULT_LIMITS, DEFAULT_MAX_RETRIES, GuestCredentials, OneEntryClient
from settings import Settings
from shop.chat_state import ChatStateStore
from shop.config import ShopConfig, StatusMeanings
from shop.follow_up import Backoff, FollowUpPolicy
from shop.ledger import Ledger
from shop.services import Shop
from shop.staff_records import StaffAudience
from shop.store import Store
from shop.update_inbox import UpdateInbox
from ui.context import BotApplication, ShopApplication, ShopContext

logger = logging.getLogger(__name__)

DEVICE_ID_FILE = "oneentry-device-id"
# A create-order call may land after the client gave up on it (server-side lag): for as long
# again as the timeout, at most this many seconds more.
OUTCOME_MARGIN = 5.0
# Every message is HTML (each piece of user or catalog text escaped by the views), and a link
# in a message never unfolds into a preview card.
DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)


def build_application(
    settings: Settings,
    *,
    shop: Shop | None = None,
    metrics: BotMetrics | None = None,
    staff_retry_backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
) -> ShopApplication:
    """The bot: handlers, persistence in the store, per-chat ordering, rate limiting, and
    staff notifications (`staff_retry_backoff_seconds`: the first delay before a failed card
    is sent again; tests make it 0). Every part reports to `metrics` (the caller's, so it
    can serve them; else one of the bot's own)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    metrics = metrics or BotMetrics()
    shop = shop or build_shop(settings)
    shop.observe_oneentry_calls(metrics.observe_oneentry_call)
    shop.placement.watch_outcomes(metrics.count_order)
    timeout = settings.telegram_timeout
    chat_state = ChatStateStore(store_of(settings).chat_state_database())
    persistence = ChatStatePersistence(
        chat_state, legacy_pickle=settings.data_dir / LEGACY_STATE_FILE
    )
    inbox = UpdateInbox(chat_state)
    application: ShopApplication = (
        ApplicationBuilder()
        .application_class(ShopApplication, kwargs={"shop": shop})
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .request(AiohttpRequest(read_timeout=timeout, write_timeout=timeout, metrics=metrics))
        .get_updates_request(
            InboxRequest(
                inbox,
                connection_pool_size=1,
                read_timeout=timeout,
                write_timeout=timeout,
                metrics=metrics,
            )
        )
        .defaults(DEFAULTS)
        .context_types(ContextTypes(context=ShopContext))
        .persistence(persistence)
        .update_queue(InboxQueue(inbox))
        .rate_limiter(_rate_limiter(settings, metrics))
        .concurrent_updates(
            PerChatUpdateProcessor(settings.update_concurrency, _tracer(settings), metrics)
        )
        .post_init(_start_up)
        .build()  # type: ignore[assignment]  # PTB types build() by its generics, not by application_class
    )
    audience = StaffAudience(
        settings.admin_ids,
        settings.staff_chat_id,
        settings.staff_thread_id,
        settings.staff_language,
    )
    application.staff_audience = audience
    application.inbox = inbox
    metrics.watch_follow_ups(lambda: follow_up_backlog(application))
    add_handlers(
        application,
        checkout_timeout_minutes=settings.checkout_timeout_minutes,
        audience=audience,
    )
    notifier = StaffNotifier(application, audience, backoff_seconds=staff_retry_backoff_seconds)
    shop.events.subscribe(notifier.notify)
    return application


def build_shop(settings: Settings) -> Shop:
    """The OneEntry client, the ledger and the shop's rules, from the settings."""
    client = oneentry_client(
        settings,
        device_id=_device_id(settings.data_dir),
        transport=_oneentry_transport(settings),
    )
    ledger = Ledger(store_of(settings).ledger_database())
    follow_up = FollowUpPolicy(
        backoff=Backoff(settings.follow_up_first_seconds, settings.follow_up_max_seconds),
        max_age=timedelta(hours=settings.follow_up_max_age_hours),
    )
    return Shop(
        client,
        shop_config(settings),
        ledger,
        cache_seconds=settings.catalog_cache_seconds,
        follow_up=follow_up,
    )


def store_of(settings: Settings) -> Store:
    """The store DATABASE_URL names (empty: SQLite files in DATA_DIR)."""
    return Store(settings.database_url_value, settings.data_dir)


def shop_config(settings: Settings) -> ShopConfig:
    """The shop's markers and rules; the bot and the setup check read the same."""
    return ShopConfig(
        order_storage=settings.oneentry_order_storage,
        order_form=settings.oneentry_order_form,
        name_field=settings.oneentry_name_field,
        phone_field=settings.oneentry_phone_field,
        email_field=settings.oneentry_email_field,
        default_payment_account=settings.oneentry_payment_account,
        offline_payment_accounts=settings.oneentry_offline_payment_accounts,
        content_langs=(("en", settings.oneentry_lang), ("ru", settings.oneentry_lang_ru)),
        default_phone_region=settings.default_phone_region,
        catalog_page_size=settings.catalog_page_size,
        timezone=settings.shop_timezone,
        statuses=StatusMeanings(
            paid_orders=settings.oneentry_paid_order_statuses,
            cancelled_orders=settings.oneentry_cancelled_order_statuses,
            finished_orders=settings.oneentry_finished_order_statuses,
            paid_sessions=settings.oneentry_paid_session_statuses,
            failed_sessions=settings.oneentry_failed_session_statuses,
        ),
        price_attribute=settings.oneentry_price_attribute,
        currency_attribute=settings.oneentry_currency_attribute,
        catalog_product_ids=settings.catalog_product_ids,
        catalog_page_url=settings.catalog_page_url.strip().strip("/"),
        card_attributes=settings.catalog_card_attributes,
        unavailable_statuses=settings.unavailable_statuses,
        outcome_window=timedelta(
            seconds=settings.oneentry_timeout + min(settings.oneentry_timeout, OUTCOME_MARGIN)
        ),
    )


async def _start_up(application: BotApplication) -> None:
    """post_init: settle the checkouts a stopped bot left unfinished, follow every open order
    again (those just settled included), then take over the updates it left unhandled."""
    application = cast(ShopApplication, application)  # the builder's application_class
    await resolve_unfinished_checkouts(application)
    await resume_follow_ups(application)
    if application.inbox is not None:
        await take_over(application, application.inbox)
    # What start-up loaded (modules, the Bot API's types, locales, caches) lives as long as
    # the process: keep it out of the collector's full passes, which under load otherwise
    # walk all of it every second or two and stop the event loop 36-105 ms each time.
    gc.freeze()


def _rate_limiter(settings: Settings, metrics: BotMetrics) -> PriorityRateLimiter:
    limiter = ReplyNotingRateLimiter if settings.bench_trace_file else PriorityRateLimiter
    return limiter(
        overall_max_rate=settings.telegram_rate_limit,
        max_retries=3,
        on_wait=metrics.observe_rate_limiter_wait,
    )


def _tracer(settings: Settings) -> UpdateTracer | None:
    """Benchmark only: per-update timings, when BENCH_TRACE_FILE is set."""
    return UpdateTracer(settings.bench_trace_file) if settings.bench_trace_file else None


def oneentry_client(
    settings: Settings,
    *,
    device_id: str | None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    transport: httpx.AsyncBaseTransport | None = None,
) -> OneEntryClient:
    """The OneEntry client for these settings: the guest user's credentials, the content
    language and the timeouts. The bot and the setup check both use it."""
    return OneEntryClient(
        settings.oneentry_base_url,
        settings.oneentry_app_token.get_secret_value(),
        credentials=GuestCredentials(
            login=settings.oneentry_guest_login,
            password=settings.oneentry_guest_password.get_secret_value(),
            provider=settings.oneentry_auth_provider,
            login_marker=settings.oneentry_login_marker,
            password_marker=settings.oneentry_password_marker,
        ),
        lang=settings.oneentry_lang,
        timeout=httpx.Timeout(settings.oneentry_timeout, connect=settings.oneentry_connect_timeout),
        max_retries=max_retries,
        device_id=device_id,
        transport=transport,
    )


def _oneentry_transport(settings: Settings) -> httpx.AsyncBaseTransport | None:
    """None (httpx's default) unless the benchmark traces how long OneEntry calls take."""
    return TimedOneEntryTransport(limits=DEFAULT_LIMITS) if settings.bench_trace_file else None


def _device_id(data_dir: Path) -> str:
    """One device id per installation: OneEntry binds refresh tokens to it."""
    path = data_dir / DEVICE_ID_FILE
    if path.exists():
        return path.read_text().strip()
    device_id = secrets.token_hex(8)
    path.write_text(device_id)
    return device_id
