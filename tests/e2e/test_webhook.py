"""Webhook mode end to end: the Telegram fake posts updates to PTB's webhook server (started
with the same arguments `bot.py run` uses) with the secret header; a request with a wrong or
missing secret is refused before it reaches the bot."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from application.builder import build_application
from application.running import webhook_arguments
from sandbox.oneentry import RunningEmulator
from sandbox.telegram.webhook import SECRET_HEADER
from settings import Settings
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import TelegramFake

SECRET = "hook_secret-123"


def webhook_settings(telegram: TelegramFake, oneentry: RunningEmulator, data_dir: Path) -> Settings:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return bot_settings_for(
        telegram,
        oneentry,
        data_dir,
        webhook_url=f"http://127.0.0.1:{port}/shop/updates",
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )


@contextlib.asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[None]:
    """The real bot serving PTB's webhook server, as `run_webhook` starts it."""
    application = build_application(settings)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(**webhook_arguments(settings))
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


async def test_updates_arrive_by_webhook_and_forged_ones_are_refused(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = webhook_settings(telegram_fake, oneentry_emulator, tmp_path / "data")
    hook_url = str(settings.webhook_url)
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    async with webhook_bot(settings), httpx.AsyncClient() as client:
        (set_webhook,) = await telegram_fake.client.calls(method="setWebhook")
        assert set_webhook["params"]["url"] == hook_url
        assert set_webhook["params"]["secret_token"] == SECRET

        await alice.command("start")
        assert "Hello, Alice!" in (await alice.wait_for_message("Hello")).text
        await alice.tap("🛍 Catalog")
        await telegram_fake.client.settle()

        forged_start = {
            "update_id": 999_999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1001, "type": "private"},
                "from": {"id": 1001, "is_bot": False, "first_name": "Mallory"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        wrong = await client.post(hook_url, json=forged_start, headers={SECRET_HEADER: "nope"})
        missing = await client.post(hook_url, json=forged_start)
        assert wrong.status_code == 403
        assert missing.status_code == 403

        await alice.command("help")
        await alice.wait_for_message("How to order")
    texts = [m.shown_text for m in (await alice.chat()).bot_messages]
    assert not any("Mallory" in text for text in texts)
    assert any(text.startswith("Catalog") for text in texts)  # the tap was delivered too
    info = (await telegram_fake.client.calls(method="setWebhook"))[0]
    assert info["params"]["allowed_updates"]
