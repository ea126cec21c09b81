"""The shop's services against the emulator, without Telegram: a fresh ledger and a client of
the guest user for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from oneentry_client import GuestCredentials, OneEntryClient
from sandbox.oneentry import RunningEmulator
from shop.ledger import Ledger


@pytest.fixture
async def ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    async with Ledger(tmp_path / "ledger.sqlite3") as opened:
        yield opened


@pytest.fixture
async def client(oneentry_emulator: RunningEmulator) -> AsyncIterator[OneEntryClient]:
    """No retry delays, and a short read timeout so "OneEntry hangs" tests end quickly."""
    credentials = GuestCredentials(
        login=oneentry_emulator.guest_login, password=oneentry_emulator.guest_password
    )
    async with OneEntryClient(
        oneentry_emulator.url,
        oneentry_emulator.app_token,
        credentials=credentials,
        retry_base_delay=0,
        timeout=httpx.Timeout(0.5, connect=5),
    ) as opened:
        yield opened
