"""`run(settings)`: the real bot, by long polling or, when WEBHOOK_URL is set, by webhook.

`serve` runs the Application the way PTB's `run_polling` / `run_webhook` do (initialize,
post_init, start the updater, start; on SIGINT or SIGTERM the same in reverse, finishing the
updates in hand and flushing persistence on the way out), written out so the health
endpoints start with it: on HEALTH_PORT when polling, on the webhook server in webhook mode.
Webhook mode runs PTB's webhook server (tornado), which refuses any request without the right
`X-Telegram-Bot-Api-Secret-Token` header (403).

With the store in PostgreSQL, a process first takes the store's lease (`shop/active_lease.py`):
a second process started beside it waits as a standby, loading nothing and polling nothing,
and takes over when the active one is gone. A process that loses the lease stops (exit code 1,
so a service manager starts it again, as a standby).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any, Final

from application.builder import build_application, store_of
from application.health import HealthServer, Readiness, add_to_webhook_server, health_routes
from application.metrics import BotMetrics
from settings import Settings
from shop.active_lease import ActiveLease
from ui.context import ShopApplication

logger = logging.getLogger(__name__)

# edited_message: a customer correcting an answer by editing it (the checkout takes it).
ALLOWED_UPDATES = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "inline_query",
    "chosen_inline_result",
]
POLL_TIMEOUT: Final = 10  # seconds Telegram holds a getUpdates open (PTB's default)
# How long getUpdates may stay unanswered, beyond its own long poll and timeout, before the
# bot is not ready: PTB's retries after a network error wait a few seconds.
UPDATES_GRACE: Final = 10.0


def webhook_arguments(settings: Settings) -> dict[str, Any]:
    """What PTB's `run_webhook` / `Updater.start_webhook` need, from the settings."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": settings.webhook_listen_path,
        "webhook_url": str(settings.webhook_url),
        "secret_token": settings.webhook_secret.get_secret_value(),
        "allowed_updates": ALLOWED_UPDATES,
    }


def run(settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM (0) or until the store's lease is lost (1); persistence is
    flushed on the way out."""
    loop = _new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_run(settings))
    finally:
        loop.close()


async def _run(settings: Settings) -> int:
    stop = _stop_on_signals()
    url = settings.database_url_value
    lease = ActiveLease(url) if url else None
    if lease is not None and not await _lease_or_stop(lease, stop):
        logger.info("stopped while waiting as a standby")
        return 0
    lost = False

    def on_lost() -> None:
        nonlocal lost
        lost = True
        stop.set()

    holding = asyncio.create_task(lease.hold(on_lost)) if lease is not None else None
    try:
        metrics = BotMetrics()
        application = build_application(settings, metrics=metrics)
        await serve(application, settings, metrics, stop)
        logger.info("stopped; state saved to %s", store_of(settings).describe())
    finally:
        if holding is not None:
            holding.cancel()
            await asyncio.gather(holding, return_exceptions=True)
        if lease is not None:
            await lease.release()
    return 1 if lost else 0


async def _lease_or_stop(lease: ActiveLease, stop: asyncio.Event) -> bool:
    """Wait as a standby until the lease is ours (True) or we are told to stop (False)."""
    acquiring = asyncio.create_task(lease.acquire())
    stopping = asyncio.create_task(stop.wait())
    done, pending = await asyncio.wait({acquiring, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if acquiring in done:
        acquiring.result()  # a failure to reach the store is raised here
        return True
    return False


async def serve(
    application: ShopApplication,
    settings: Settings,
    metrics: BotMetrics,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot until `stop` is set (by default: until SIGINT or SIGTERM)."""
    stop = stop or _stop_on_signals()
    routes = health_routes(
        readiness(application, settings, metrics),
        metrics if settings.metrics_enabled else None,
    )
    updater = application.updater
    assert updater is not None  # the builder keeps PTB's updater
    health: HealthServer | None = None
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        if settings.webhook_url is not None:
            arguments = webhook_arguments(settings)
            logger.info(
                "starting mode=webhook url=%s listen=%s:%s",
                arguments["webhook_url"],
                arguments["listen"],
                arguments["port"],
            )
            await updater.start_webhook(**arguments)
            add_to_webhook_server(updater, routes)
        else:
            logger.info("starting mode=polling")
            await updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
            if settings.health_port is not None:
                health = HealthServer(
                    routes, listen=settings.health_listen, port=settings.health_port
                )
                await health.start()
        await application.start()
        await stop.wait()
    finally:
        # Whatever started is stopped, in reverse, even when starting failed half-way.
        if health is not None:
            await health.stop()
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def readiness(application: ShopApplication, settings: Settings, metrics: BotMetrics) -> Readiness:
    """The readiness checks for these settings (long polling or webhook)."""
    return Readiness(
        application,
        metrics,
        webhook_url=str(settings.webhook_url) if settings.webhook_url is not None else None,
        updates_stale_after=POLL_TIMEOUT + settings.telegram_timeout + UPDATES_GRACE,
    )


def _stop_on_signals() -> asyncio.Event:
    """An event SIGINT and SIGTERM set, as PTB's run_* stop on them."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(number, stop.set)
    return stop


def _new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop, which costs less per I/O event (docs/benchmarks.md); asyncio's own where
    uvloop does not exist (Windows)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
