"""Small helpers the fake's own tests share: raw Bot API calls and a PTB Bot on the fake."""

from __future__ import annotations

from typing import Any

import httpx
from telegram import Bot

from tests.fixtures.telegram import TelegramFake


async def call(fake: TelegramFake, method: str, **params: Any) -> httpx.Response:
    """One raw Bot API request, form-encoded the way PTB sends it."""
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(f"{fake.base_url}{fake.token}/{method}", data=params)


def ptb_bot(fake: TelegramFake) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
