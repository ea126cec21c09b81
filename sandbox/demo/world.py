"""`demo_world()`: both stand-ins and the real bot, running in this event loop.

The demo is the one sandbox part that drives the bot, so it imports `application.builder` (and
its application's type from `ui.context`): the person chats with exactly the bot `make run`
starts, pointed at the stand-ins. Its data lives in a temporary directory that is removed on
exit; no `.env` is read.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from application.builder import build_application
from sandbox.oneentry import serve_emulator
from sandbox.serving import serve_in_background
from sandbox.telegram.app import create_app
from sandbox.telegram.driver import Customer, TelegramFakeClient
from sandbox.telegram.state import FakeState
from settings import load_settings
from ui.context import ShopApplication

BOT_TOKEN = "123456789:DEMO-token-for-the-local-fake"
CUSTOMER_ID = 1001
ADMIN_ID = 4242
POLL_TIMEOUT = 1
FOLLOW_UP_FIRST_SECONDS = 0.2
FOLLOW_UP_MAX_SECONDS = 1.0


@dataclass
class DemoWorld:
    """What the chat needs: the two people, the deterministic wait, and a browser."""

    fake: TelegramFakeClient
    customer: Customer
    admin: Customer
    application: ShopApplication
    browser: httpx.AsyncClient
    oneentry_url: str

    async def settle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 (server-side wait)
        """Return when the bot has fetched everything sent so far and its handlers ran."""
        await self.fake.settle(timeout)
        await self.application.update_queue.join()

    async def pay(self, url: str) -> str:
        """Press "Pay" on the emulator's payment page, as the customer's browser would."""
        response = await self.browser.post(url)
        return _page_title(response.text) or f"HTTP {response.status_code}"


def _page_title(html: str) -> str | None:
    start, end = html.find("<h1>"), html.find("</h1>")
    return html[start + 4 : end] if 0 <= start < end else None


@contextlib.asynccontextmanager
async def demo_world() -> AsyncIterator[DemoWorld]:
    """Start everything; stop it all (and delete the data) when the block exits."""
    fake_state = FakeState(token=BOT_TOKEN)
    with tempfile.TemporaryDirectory(prefix="shop-bot-demo-") as data_dir:
        async with (
            serve_emulator() as emulator,
            serve_in_background(create_app(fake_state)) as telegram_url,
            TelegramFakeClient(telegram_url) as fake,
            httpx.AsyncClient(timeout=10.0) as browser,
        ):
            try:
                settings = load_settings(
                    env_file=None,
                    telegram_bot_token=BOT_TOKEN,
                    telegram_api_base_url=telegram_url,
                    oneentry_project_url=emulator.url,
                    oneentry_app_token=emulator.app_token,
                    oneentry_guest_login=emulator.guest_login,
                    oneentry_guest_password=emulator.guest_password,
                    data_dir=Path(data_dir),
                    admin_ids=str(ADMIN_ID),
                    staff_chat_id=None,
                    webhook_url=None,
                    # the payment follow-up looks quickly, so the paid notification comes at once
                    follow_up_first_seconds=FOLLOW_UP_FIRST_SECONDS,
                    follow_up_max_seconds=FOLLOW_UP_MAX_SECONDS,
                )
                customer = await fake.customer(CUSTOMER_ID, "Alice", language_code="en")
                admin = await fake.customer(ADMIN_ID, "Sam", last_name="(staff)")
                application = build_application(settings)
                async with application:
                    await application.start()
                    assert application.updater is not None
                    await application.updater.start_polling(timeout=POLL_TIMEOUT, poll_interval=0)
                    try:
                        yield DemoWorld(fake, customer, admin, application, browser, emulator.url)
                    finally:
                        await application.updater.stop()
                        await application.stop()
            finally:
                await fake_state.close()
