"""`bot.py check`'s row for the store DATABASE_URL names, on both engines: reachable,
writable, and at a schema version this bot knows; nothing left behind by the check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from application.logging_setup import RedactingFilter, secrets_of
from application.setup_check import Status
from application.setup_check.store_check import NAME, check_store
from sandbox.oneentry import RunningEmulator
from settings import Settings
from shop.chat_state import MIGRATIONS as CHAT_STATE_MIGRATIONS
from shop.chat_state import ChatStateStore
from shop.ledger import LEDGER_FILE, Ledger
from shop.ledger_schema import MIGRATIONS
from shop.store import Store
from tests.fixtures.bot import store_settings_for
from tests.fixtures.telegram import TelegramFake


@pytest.fixture
def settings(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Settings:
    return store_settings_for(telegram_fake, oneentry_emulator, store)


async def test_a_new_store_is_fine_and_the_check_leaves_nothing(
    settings: Settings, store: Store
) -> None:
    result = await check_store(settings)
    assert (result.name, result.status) == (NAME, Status.OK), result
    assert "ledger created at the first start" in result.detail
    assert not store.data_dir.exists()  # SQLite: no file made
    if store.url:
        assert "writable" in result.detail
        with psycopg.connect(store.url) as db:
            assert db.execute("SELECT to_regclass('bot_check_probe')").fetchone() == (None,)


async def test_a_store_in_use_shows_its_schema_versions(settings: Settings, store: Store) -> None:
    async with Ledger(store.ledger_database()), ChatStateStore(store.chat_state_database()):
        pass
    result = await check_store(settings)
    assert result.status is Status.OK, result
    assert f"ledger schema {len(MIGRATIONS)} (current)" in result.detail
    assert f"chat_state schema {len(CHAT_STATE_MIGRATIONS['sqlite'])} (current)" in result.detail


async def test_a_store_from_a_newer_bot_fails(settings: Settings, store: Store) -> None:
    async with Ledger(store.ledger_database()):
        pass
    if store.url:
        with psycopg.connect(store.url, autocommit=True) as db:
            db.execute("UPDATE schema_versions SET version = 9 WHERE component = 'ledger'")
    else:
        with sqlite3.connect(store.data_dir / LEDGER_FILE) as db:
            db.execute("PRAGMA user_version = 9")
    result = await check_store(settings)
    assert result.status is Status.FAIL
    assert f"version 9, newer than this bot knows ({len(MIGRATIONS)})" in result.detail


async def test_an_unreachable_postgresql_fails_without_its_password(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    url = "postgresql://shop:S3cret-pw@127.0.0.1:9/shop"
    store = Store(url, tmp_path / "data")
    result = await check_store(store_settings_for(telegram_fake, oneentry_emulator, store))
    assert result.status is Status.FAIL
    assert "cannot be reached" in result.detail and "DATABASE_URL" in result.fix
    assert "S3cret-pw" not in result.detail + result.fix


async def test_a_user_who_may_not_create_tables_fails(
    postgres_store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    assert postgres_store.url is not None
    with psycopg.connect(postgres_store.url, autocommit=True) as db:
        db.execute("DROP ROLE IF EXISTS reader")
        db.execute("CREATE ROLE reader LOGIN")  # PostgreSQL 15: no CREATE on public
    url = postgres_store.url.replace("//bot@", "//reader@")
    store = Store(url, postgres_store.data_dir)
    try:
        result = await check_store(store_settings_for(telegram_fake, oneentry_emulator, store))
    finally:
        with psycopg.connect(postgres_store.url, autocommit=True) as db:
            db.execute("DROP ROLE reader")
    assert result.status is Status.FAIL
    assert "is not writable" in result.detail and "GRANT" in result.fix


def test_the_database_password_never_reaches_the_log(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    url = "postgresql://shop:S3cret-pw@db.internal:5432/shop"
    settings = store_settings_for(telegram_fake, oneentry_emulator, Store(url, tmp_path))
    masked = RedactingFilter(secrets_of(settings)).redact(f"connecting to {url}; pw S3cret-pw")
    assert "S3cret-pw" not in masked
    assert "S3cret-pw" not in repr(settings)
