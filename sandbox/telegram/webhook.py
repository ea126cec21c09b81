"""Webhook mode: while a URL is set, queued updates are POSTed to it one by one (with the
secret-token header) instead of being fetched with getUpdates, and retried until the bot
answers 2xx. Real Telegram insists on HTTPS and a few ports; the fake accepts any http(s) URL,
so a bot on 127.0.0.1 can be tested (a documented deviation)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.updates import UpdateQueue
from sandbox.telegram.waiting import UPDATES, ChangeFeed, ServerClosing

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BotApiError(400, "invalid webhook URL specified")


class Webhook:
    """The webhook setting and the task that delivers updates while it is set."""

    def __init__(self, queue: UpdateQueue, changes: ChangeFeed, retry_delay: float) -> None:
        self._queue = queue
        self._changes = changes
        self._retry_delay = retry_delay
        self.config: WebhookConfig | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._task: asyncio.Task[None] | None = None

    def info(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": self.config.url if self.config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue.pending),
        }
        if self.config is not None:
            data["max_connections"] = self.config.max_connections
            if self._queue.allowed_updates:
                data["allowed_updates"] = self._queue.allowed_updates
        if self.last_error_date is not None:
            data["last_error_date"] = self.last_error_date
            data["last_error_message"] = self.last_error_message
        return data

    async def set(self, config: WebhookConfig) -> bool:
        """Start delivering to `config.url`; False if exactly this webhook was already set."""
        if self.config == config:
            return False
        await self.stop()
        self.config = config
        self._task = asyncio.create_task(self._deliver(config), name="telegram-fake-webhook")
        return True

    async def stop(self) -> bool:
        """Stop delivering; False if no webhook was set."""
        was_set = self.config is not None
        self.config = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return was_set

    async def _deliver(self, config: WebhookConfig) -> None:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        async with httpx.AsyncClient(timeout=10.0) as client:
            while True:
                try:
                    await self._changes.wait_for(lambda: bool(self._queue.pending), None, UPDATES)
                except ServerClosing:
                    return
                update = self._queue.pending[0]
                if await self._post(client, config.url, update, headers):
                    self._queue.confirm(update["update_id"] + 1)
                elif self._retry_delay:
                    await asyncio.sleep(self._retry_delay)  # Telegram's back-off, not a test wait

    async def _post(
        self, client: httpx.AsyncClient, url: str, update: dict[str, Any], headers: dict[str, str]
    ) -> bool:
        try:
            response = await client.post(url, json=update, headers=headers)
        except httpx.HTTPError as exc:
            self._failed(f"Connection failed: {type(exc).__name__}")
            return False
        if response.is_success:
            return True
        self._failed(f"Wrong response from the webhook: {response.status_code}")
        return False

    def _failed(self, message: str) -> None:
        self.last_error_date = int(time.time())
        self.last_error_message = message
