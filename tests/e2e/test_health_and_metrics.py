"""Health and metrics as an operator sees them: the real bot started the way `bot.py run`
starts it (`application.running.serve`), against both stand-ins, answering /healthz, /readyz
and /metrics over HTTP; Prometheus' own parser reads each metric after the customer did what
moves it (orders placed, refused and unknown, a Telegram 429, a follow-up scheduled)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from application.builder import build_application
from application.health import NotReady, Readiness, polled_lately
from application.metrics import BotMetrics
from application.running import readiness, serve
from sandbox.oneentry import RunningEmulator
from settings import Settings
from shop.ledger import LEDGER_FILE
from tests.e2e.journeys import confirm, walk_to_summary
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import RunningBot, TelegramFake, running
from ui.context import ShopApplication


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def served(settings: Settings, telegram: TelegramFake) -> AsyncIterator[ShopApplication]:
    """The bot under `serve`, as `bot.py run` runs it, until the block exits; it is up once
    it has handled a first /start (its health endpoints start before that)."""
    metrics = BotMetrics()
    application = build_application(settings, metrics=metrics)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(application, settings, metrics, stop))
    try:
        opener = await telegram.client.customer(user_id=999, first_name="Opener")
        await opener.command("start")
        await opener.wait_for_message("Hello", timeout=15)
        yield application
    finally:
        stop.set()
        await task


class Scrape:
    """One /metrics answer, read with Prometheus' parser."""

    def __init__(self, text: str) -> None:
        self.samples = [
            sample for family in text_string_to_metric_families(text) for sample in family.samples
        ]

    def value(self, name: str, **labels: str) -> float:
        found = [s.value for s in self.samples if s.name == name and s.labels == labels]
        assert len(found) == 1, f"{name}{labels}: {found}; have {self.names()}"
        return found[0]

    def matching(self, name: str, **labels: str) -> list[Any]:
        return [
            s
            for s in self.samples
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        ]

    def names(self) -> set[str]:
        return {s.name for s in self.samples}


async def scrape(http: httpx.AsyncClient, base: str) -> Scrape:
    response = await http.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


async def test_polling_bot_answers_health_readiness_and_every_metric(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    port = free_port()
    settings = bot_settings_for(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        health_port=port,
        follow_up_first_seconds=600,  # no look comes due while the test reads the backlog
    )
    base = f"http://127.0.0.1:{port}"
    async with served(settings, telegram_fake) as application, httpx.AsyncClient() as http:
        bot = RunningBot(application, telegram_fake)
        alive = await http.get(f"{base}/healthz")
        assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
        ready = await http.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
        checks = ready.json()["checks"]
        assert ready.json()["ready"] is True
        assert checks["telegram"]["ok"] and "getUpdates answered" in checks["telegram"]["detail"]
        assert checks["oneentry"] == {"ok": True, "detail": "answers"}
        assert checks["store"] == {"ok": True, "detail": "writable"}

        before = await scrape(http, base)
        for outcome in ("placed", "refused", "unknown", "failed"):
            assert before.value("shop_bot_orders_total", outcome=outcome) == 0

        # One order refused (a bad email), then placed; one whose answer never came.
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Card (Stripe)")
        oneentry_emulator.state.add_fault(
            "orders.create",
            status=400,
            message="formData's marker 'guest_email' value is incorrect",
        )
        assert "did not accept your answer to “Email”" in (await confirm(bot, alice)).text
        await alice.send("alice@example.org")
        await bot.settle()
        assert "Order #" in (await confirm(bot, alice)).text
        bob = await telegram_fake.client.customer(1002, "Bob", language_code="en")
        await walk_to_summary(bot, bob, "Cash")
        oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
        assert "Order #" in (await confirm(bot, bob)).text
        # Telegram's flood control once: the limiter waits and sends again.
        await telegram_fake.client.fail_next("sendMessage", 429, retry_after=1, chat_id=1002)
        await bob.command("help")
        await bot.settle()
        await bob.wait_for_message("")

        after = await scrape(http, base)
        assert after.value("shop_bot_orders_total", outcome="refused") == 1
        assert after.value("shop_bot_orders_total", outcome="unknown") == 1
        assert after.value("shop_bot_orders_total", outcome="placed") == 2
        assert after.value("shop_bot_orders_total", outcome="failed") == 0
        delivered = telegram_fake.state.updates.last_update_id - 10_000 + 1
        assert after.value("shop_bot_updates_handled_total") == delivered
        assert after.value("shop_bot_telegram_429_total", method="sendMessage") == 1

        create = "POST /api/content/orders-storage/marker/guest_orders/orders"
        calls = after.matching("shop_bot_oneentry_requests_total", endpoint=create)
        assert {s.labels["outcome"]: s.value for s in calls} == {
            "400": 1,
            "201": 1,
            "RemoteProtocolError": 1,
        }
        timed = after.value("shop_bot_oneentry_request_duration_seconds_count", endpoint=create)
        assert timed == 3
        # Ids are folded into the endpoint's name, so there is one series per endpoint.
        sessions = "GET /api/content/payments/sessions/order/{id}"
        assert after.matching("shop_bot_oneentry_requests_total", endpoint=sessions)
        endpoints = {
            s.labels["endpoint"] for s in after.matching("shop_bot_oneentry_requests_total")
        }
        assert not any(char.isdigit() for endpoint in endpoints for char in endpoint)

        # Every call to a chat but a read waits its turn at the limiter, once, in its class (a
        # call Telegram refused with 429 and that was sent again waited once).
        waits = {
            s.labels["priority"]: s.value
            for s in after.matching("shop_bot_rate_limiter_wait_seconds_count")
        }
        limited = [
            call
            for call in await telegram_fake.client.calls()
            if call["chat_id"] is not None
            and not call["method"].startswith("get")
            and call.get("error_code") != 429
        ]
        assert sum(waits.values()) == len(limited)
        assert waits["order"] >= 2 and waits["checkout"] > 0 and waits["browsing"] > 0
        assert after.value("process_resident_memory_bytes") > 0
        # Both orders are followed (payment, status); none of their looks is overdue yet.
        assert after.value("shop_bot_follow_ups_scheduled") == 2
        assert after.value("shop_bot_follow_ups_due") == 0


async def test_readiness_says_which_part_is_not_ready(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(telegram_fake, oneentry_emulator, tmp_path / "data")
    metrics = BotMetrics()
    application = build_application(settings, metrics=metrics)
    async with running(application, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await alice.command("start")
        await bot.settle()
        checks = Readiness(
            application, metrics, webhook_url=None, updates_stale_after=60, cache_seconds=0
        )
        assert all(check.ok for check in await checks.checks())

        # OneEntry answers 503 to every try of the probe (the client tries three times, so
        # one blip does not take the bot out of service).
        oneentry_emulator.state.add_fault("locales.active", status=503, count=3)
        (oneentry,) = [c for c in await checks.checks() if c.name == "oneentry"]
        assert not oneentry.ok and "503" in oneentry.detail, oneentry

        # Another process holds the ledger's write lock: no order could be written now.
        holder = sqlite3.connect(settings.data_dir / LEDGER_FILE, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        quick = Readiness(
            application,
            metrics,
            webhook_url=None,
            updates_stale_after=60,
            cache_seconds=0,
            probe_timeout=0.5,
        )
        try:
            (store,) = [c for c in await quick.checks() if c.name == "store"]
            assert (store.ok, store.detail) == (False, "no answer within 0.5 s")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        (store,) = [c for c in await checks.checks() if c.name == "store"]
        assert store.ok

        # The bot stops fetching updates.
        assert application.updater is not None
        await application.updater.stop()
        try:
            (telegram,) = [c for c in await checks.checks() if c.name == "telegram"]
            assert (telegram.ok, telegram.detail) == (False, "the bot is not fetching updates")
        finally:
            await application.updater.start_polling(timeout=1, poll_interval=0)


def test_polling_is_ready_only_while_get_updates_answers() -> None:
    assert polled_lately(3.2, 30) == "getUpdates answered 3 s ago"
    with pytest.raises(NotReady, match="getUpdates has not answered yet"):
        polled_lately(None, 30)
    with pytest.raises(NotReady, match="getUpdates has not answered for 31 s"):
        polled_lately(31.0, 30)


async def test_webhook_server_answers_health_beside_the_webhook(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/shop/updates"
    settings = bot_settings_for(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        webhook_url=hook,
        webhook_secret="hook_secret-123",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    base = f"http://127.0.0.1:{port}"
    async with served(settings, telegram_fake) as application, httpx.AsyncClient() as http:
        assert (await http.get(f"{base}/healthz")).json() == {"status": "alive"}
        ready = await http.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["telegram"] == {
            "ok": True,
            "detail": "webhook set, 0 updates waiting",
        }
        scraped = await scrape(http, base)
        assert scraped.value("shop_bot_updates_handled_total") == 1  # the opener's /start
        # The webhook itself still refuses a post without the secret.
        assert (await http.post(f"{base}/shop/updates", json={})).status_code == 403

        # Telegram no longer has the bot's URL: not ready, and the check says why.
        await application.bot.delete_webhook()
        fresh = readiness(application, settings, BotMetrics())
        (telegram,) = [c for c in await fresh.checks() if c.name == "telegram"]
        assert (telegram.ok, telegram.detail) == (
            False,
            "Telegram's webhook is 'not set', not this bot's",
        )
