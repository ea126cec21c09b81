"""Webhook mode: updates are POSTed to the bot with the secret header, retried until a 2xx."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.serving import serve_in_background
from sandbox.telegram.webhook import SECRET_HEADER
from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import ptb_bot


class Receiver:
    """A bot's webhook endpoint that fails its first delivery, then accepts."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str | None, dict[str, Any]]] = []
        self.accepted = asyncio.Event()
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])

    async def hook(self, request: Request) -> Response:
        self.deliveries.append((request.headers.get(SECRET_HEADER), await request.json()))
        if len(self.deliveries) == 1:
            return Response(status_code=500)
        self.accepted.set()
        return Response(status_code=200)


async def test_updates_are_delivered_with_the_secret_and_retried(telegram_fake: TelegramFake):
    receiver = Receiver()
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    async with serve_in_background(receiver.app) as hook_url, ptb_bot(telegram_fake) as bot:
        assert await bot.set_webhook(f"{hook_url}/hook", secret_token="s3cret")
        await alice.send("hello")
        await asyncio.wait_for(receiver.accepted.wait(), 5)
        await telegram_fake.client.settle(timeout=2)  # a 2xx confirms the update
        info = await bot.get_webhook_info()
        assert await bot.delete_webhook()
    (secret1, first), (secret2, second) = receiver.deliveries
    assert secret1 == secret2 == "s3cret"
    assert first == second and first["message"]["text"] == "hello"
    assert info.url == f"{hook_url}/hook"
    assert info.pending_update_count == 0
    assert "500" in (info.last_error_message or "")
