"""`run(settings)`: the real bot, by long polling or, when WEBHOOK_URL is set, by webhook.

Both modes are PTB's own `run_*`: they stop on SIGINT and SIGTERM, finish the updates in hand,
and flush persistence on the way out. Webhook mode runs PTB's webhook server (tornado), which
refuses any request without the right `X-Telegram-Bot-Api-Secret-Token` header (403).

With the store in PostgreSQL, a process first takes the store's lease (`shop/active_lease.py`):
a second process started beside it waits as a standby, loading nothing and polling nothing,
and takes over when the active one is gone. A process that loses the lease stops (exit code 1,
so a service manager starts it again, as a standby).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from application.builder import build_application, store_of
from settings import Settings
from shop.active_lease import ActiveLease
from ui.context import ShopApplication

logger = logging.getLogger(__name__)

# edited_message: a customer correcting an answer by editing it (the checkout takes it).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


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
    url = settings.database_url_value
    lease = ActiveLease(url) if url else None
    holding: asyncio.Task[None] | None = None
    lost = False
    try:
        if lease is not None:
            try:
                loop.run_until_complete(lease.acquire())
            except KeyboardInterrupt:
                logger.info("stopped while waiting as a standby")
                return 0
        application = build_application(settings)

        def on_lost() -> None:
            nonlocal lost
            lost = True
            application.stop_running()

        if lease is not None:
            holding = loop.create_task(lease.hold(on_lost))
        _serve(application, settings)
        logger.info("stopped; state saved to %s", store_of(settings).describe())
    finally:
        if holding is not None:
            holding.cancel()
            loop.run_until_complete(asyncio.gather(holding, return_exceptions=True))
        if lease is not None:
            loop.run_until_complete(lease.release())
        loop.close()
    return 1 if lost else 0


def _serve(application: ShopApplication, settings: Settings) -> None:
    if settings.webhook_url is not None:
        arguments = webhook_arguments(settings)
        logger.info(
            "starting mode=webhook url=%s listen=%s:%s",
            arguments["webhook_url"],
            arguments["listen"],
            arguments["port"],
        )
        application.run_webhook(**arguments, close_loop=False)
    else:
        logger.info("starting mode=polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, close_loop=False)


def _new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop, which costs less per I/O event (docs/benchmarks.md); asyncio's own where
    uvloop does not exist (Windows). PTB's run_* take the thread's current loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
