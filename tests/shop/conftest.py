"""The shop's services against the emulator, without Telegram: a fresh ledger and a client of
the guest user for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from oneentry_client import OneEntryClient
from shop.ledger import Ledger
from shop.store import Store
from tests.fixtures.oneentry import ClientFactory


@pytest.fixture
async def ledger(store: Store) -> AsyncIterator[Ledger]:
    """A fresh ledger, once in SQLite and once in PostgreSQL."""
    async with Ledger(store.ledger_database()) as opened:
        yield opened


@pytest.fixture
async def client(make_oneentry_client: ClientFactory) -> AsyncIterator[OneEntryClient]:
    """No retry delays, and a short read timeout so "OneEntry hangs" tests end quickly."""
    async with make_oneentry_client(timeout=httpx.Timeout(0.5, connect=5)) as opened:
        yield opened
