"""`/healthz`, `/readyz` and `/metrics`: what an orchestrator and Prometheus ask the bot.

- `/healthz`: the process is alive (its event loop answers). 200 while it runs.
- `/readyz`: the bot can do its job now, 200 or 503 with one line per check as JSON:
  Telegram updates are flowing (by long polling: getUpdates answered lately; by webhook:
  Telegram has our URL, and no update waits there that it failed to deliver since the
  bot's last one: a failure with nothing waiting is history), OneEntry answers
  a small public read, and the store takes a write. Probes are cached for a few seconds, so
  a probe every second costs OneEntry one small read every few seconds.
- `/metrics`: `BotMetrics` in Prometheus' text format (unless METRICS_ENABLED is false).

The same tornado routes serve both modes: on a small server of their own at HEALTH_PORT when
polling, and beside the webhook on python-telegram-bot's webhook server (also tornado).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

import tornado.web
from telegram.ext import Updater
from tornado.httpserver import HTTPServer
from tornado.routing import PathMatches, Rule

from application.chat_persistence import ChatStatePersistence
from application.metrics import CONTENT_TYPE, BotMetrics
from ui.context import ShopApplication

logger = logging.getLogger(__name__)

PROBE_TIMEOUT: Final = 3.0  # seconds a check may take before it counts as failed
CACHE_SECONDS: Final = 5.0  # a readiness answer is reused this long
DETAIL_LENGTH: Final = 200

StoreCheck = Callable[[], Awaitable[None]]
"""Raises unless the store can be written now."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def store_writable(application: ShopApplication) -> StoreCheck:
    """The store DATABASE_URL names (SQLite in DATA_DIR, or PostgreSQL): the ledger, and the
    customers' state (chat persistence), each an empty write transaction."""

    async def check() -> None:
        await application.shop.ledger.check_writable()
        persistence = application.persistence
        if isinstance(persistence, ChatStatePersistence):
            await persistence.check_writable()

    return check


class Readiness:
    """The three readiness checks, run together and cached for `cache_seconds`.

    `webhook_url` None means long polling: updates flow while getUpdates answered within
    `updates_stale_after` seconds. With a webhook, Telegram must hold `webhook_url`, and
    updates waiting there must not have failed to arrive since the bot last received one.
    """

    def __init__(
        self,
        application: ShopApplication,
        metrics: BotMetrics,
        *,
        webhook_url: str | None,
        updates_stale_after: float,
        store_check: StoreCheck | None = None,
        probe_timeout: float = PROBE_TIMEOUT,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self._application = application
        self._metrics = metrics
        self._webhook_url = webhook_url
        self._stale_after = updates_stale_after
        self._store_check = store_check or store_writable(application)
        self._probe_timeout = probe_timeout
        self._cache_seconds = cache_seconds
        self._lock = asyncio.Lock()
        self._cached: tuple[float, list[Check]] | None = None

    async def checks(self) -> list[Check]:
        """Every check's result; concurrent probes share one run."""
        async with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self._cache_seconds:
                return self._cached[1]
            results = list(
                await asyncio.gather(
                    self._run("telegram", self._telegram),
                    self._run("oneentry", self._oneentry),
                    self._run("store", self._store),
                )
            )
            self._cached = (time.monotonic(), results)
            return results

    async def _run(self, name: str, check: Callable[[], Awaitable[str]]) -> Check:
        """A check that returns its detail when it passes and raises when it does not."""
        try:
            detail = await asyncio.wait_for(check(), self._probe_timeout)
        except TimeoutError:
            return Check(name, False, f"no answer within {self._probe_timeout:g} s")
        except Exception as error:
            return Check(name, False, _describe(error))
        return Check(name, True, detail)

    async def _telegram(self) -> str:
        updater = self._application.updater
        if updater is None or not updater.running:
            raise NotReady("the bot is not fetching updates")
        if self._webhook_url is None:
            age = self._metrics.seconds_since(self._metrics.last_update_fetch)
            return polled_lately(age, self._stale_after)
        return await self._webhook(self._webhook_url)

    async def _webhook(self, url: str) -> str:
        info = await self._application.bot.get_webhook_info()
        if info.url != url:
            raise NotReady(f"Telegram's webhook is {info.url or 'not set'!r}, not this bot's")
        waiting = f"{info.pending_update_count} updates waiting"
        failed_at = info.last_error_date.timestamp() if info.last_error_date else None
        received = self._metrics.last_update
        stuck = failed_at is not None and (received is None or received < failed_at)
        if info.pending_update_count and stuck:
            reason = info.last_error_message or "no reason given"
            raise NotReady(f"Telegram could not deliver updates: {reason} ({waiting})")
        return f"webhook set, {waiting}"

    async def _oneentry(self) -> str:
        await self._application.shop.check_oneentry()
        return "answers"

    async def _store(self) -> str:
        await self._store_check()
        return "writable"


class NotReady(Exception):
    """A check did not pass; the message says why."""


def polled_lately(age: float | None, stale_after: float) -> str:
    """Long polling's "updates flowing": getUpdates answered within `stale_after` seconds
    (`age`: seconds since its last answer, None before the first)."""
    if age is None:
        raise NotReady("getUpdates has not answered yet")
    if age > stale_after:
        raise NotReady(f"getUpdates has not answered for {age:.0f} s")
    return f"getUpdates answered {age:.0f} s ago"


def _describe(error: Exception) -> str:
    """A failed check in one short line (the errors it may see carry no secrets: OneEntry's
    are scrubbed, Telegram's never hold the token)."""
    text = str(error) if isinstance(error, NotReady) else f"{type(error).__name__}: {error}"
    return text[:DETAIL_LENGTH]


# -- the HTTP side ---------------------------------------------------------------------------


class _Handler(tornado.web.RequestHandler):
    def initialize(self, **services: Any) -> None:
        self.services = services

    def answer_json(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


class _Alive(_Handler):
    def get(self) -> None:
        self.answer_json(200, {"status": "alive"})


class _Ready(_Handler):
    async def get(self) -> None:
        readiness: Readiness = self.services["readiness"]
        checks = await readiness.checks()
        ready = all(check.ok for check in checks)
        body = {
            "ready": ready,
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
        }
        self.answer_json(200 if ready else 503, body)


class _Metrics(_Handler):
    def get(self) -> None:
        metrics: BotMetrics = self.services["metrics"]
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(metrics.exposition())


def health_routes(readiness: Readiness, metrics: BotMetrics | None) -> list[Rule]:
    """The routes; `/metrics` only with `metrics` (METRICS_ENABLED)."""
    routes = [
        Rule(PathMatches(r"/healthz"), _Alive),
        Rule(PathMatches(r"/readyz"), _Ready, {"readiness": readiness}),
    ]
    if metrics is not None:
        routes.append(Rule(PathMatches(r"/metrics"), _Metrics, {"metrics": metrics}))
    return routes


class HealthServer:
    """The routes on a port of their own (long polling has no web server otherwise)."""

    def __init__(self, routes: list[Rule], *, listen: str, port: int) -> None:
        # Its requests are not logged: logging_setup keeps tornado.access quiet.
        self._server = HTTPServer(tornado.web.Application(routes))
        self._listen = listen
        self._port = port

    async def start(self) -> None:
        self._server.listen(self._port, address=self._listen)
        logger.info("health endpoints on http://%s:%s", self._listen, self._port)

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()


def add_to_webhook_server(updater: Updater, routes: list[Rule]) -> None:
    """Serve the routes beside the webhook, on python-telegram-bot's own webhook server
    (once `start_webhook` has started it). PTB has no public way to add routes there, so
    this reaches for its tornado Application where PTB 22 keeps it; if a PTB upgrade moves
    it, start-up stops with this error rather than running without health endpoints
    (tests/e2e/test_health_and_metrics.py runs it)."""
    server = getattr(getattr(updater, "_httpd", None), "_http_server", None)
    webhook_app = getattr(server, "request_callback", None)
    if not isinstance(webhook_app, tornado.web.Application):
        raise RuntimeError(
            "python-telegram-bot's webhook server is not where this version of the bot "
            "expects it: the health endpoints cannot be added"
        )
    webhook_app.add_handlers(r".*", routes)
