"""`run(settings)`: the real bot, by long polling or, when WEBHOOK_URL is set, by webhook.

Both modes are PTB's own `run_*`: they stop on SIGINT and SIGTERM, finish the updates in hand,
and flush persistence on the way out. Webhook mode runs PTB's webhook server (tornado), which
refuses any request without the right `X-Telegram-Bot-Api-Secret-Token` header (403).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from application.builder import build_application
from settings import Settings

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


def run(settings: Settings) -> None:
    """Serve until SIGINT/SIGTERM; persistence is flushed on the way out."""
    asyncio.set_event_loop(_new_event_loop())
    application = build_application(settings)
    if settings.webhook_url is not None:
        arguments = webhook_arguments(settings)
        logger.info(
            "starting mode=webhook url=%s listen=%s:%s",
            arguments["webhook_url"],
            arguments["listen"],
            arguments["port"],
        )
        application.run_webhook(**arguments)
    else:
        logger.info("starting mode=polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    logger.info("stopped; state saved to %s", settings.data_dir)


def _new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop, which costs less per I/O event (docs/benchmarks.md); asyncio's own where
    uvloop does not exist (Windows). PTB's run_* take the thread's current loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
