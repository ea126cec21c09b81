"""`python bot.py migrate --from DIR`: a data directory as an earlier version left it (the
SQLite ledger and a `bot-state.pickle`) moved into the store, SQLite elsewhere or PostgreSQL:
every order with its history and message, every cart and checkout step; the bot then serves
them; a store already in use is refused; and with no DATABASE_URL and the directory itself,
the pickle is imported in place."""

from __future__ import annotations

import asyncio
import json
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sandbox.oneentry import RunningEmulator
from shop.cart import Cart
from shop.chat_state import STATE_FILE, ChatStateStore
from shop.contact import ContactDetails
from shop.ledger import LEDGER_FILE, Ledger
from shop.ledger_records import Notice, OrderChange, OrderItem, OrderRecord
from shop.store import Store
from tests.e2e.journeys import command
from tests.fixtures.bot import process_environment, run_shop_bot, store_settings_for
from tests.fixtures.telegram import TelegramFake

ROOT = Path(__file__).resolve().parents[2]
ALICE = 1001
ITEMS = (OrderItem(1, 2, "Green tea Sencha"),)


async def older_data_dir(path: Path) -> None:
    """A ledger with one order (placed, then paid, shown in message 77) and a pickle with
    Alice's cart and her checkout at the email step."""
    async with Ledger(path / LEDGER_FILE) as ledger:
        await ledger.begin_placing(
            "c0ffee000001",
            user_id=ALICE,
            chat_id=ALICE,
            items=ITEMS,
            payment_account="cash",
            content_lang="en_US",
            contact=ContactDetails("Alice", "+79990000000", "alice@example.com"),
        )
        order = await ledger.record_order(
            OrderRecord(
                order_id=501,
                storage="guest_orders",
                user_id=ALICE,
                chat_id=ALICE,
                checkout_id="c0ffee000001",
                items=ITEMS,
                total=Decimal("12.50"),
                currency="USD",
                payment_account="cash",
                order_status="inProgress",
            )
        )
        await ledger.record_changes(order, [OrderChange("paid", notice=Notice.SENT)])
        await ledger.set_order_message("guest_orders", 501, 77)
    cart = Cart()
    cart.add(2, 3)
    legacy = {
        "user_data": {ALICE: {"cart": cart, "language": "en"}},
        "chat_data": {},
        "bot_data": {},
        "conversations": {"checkout": {(ALICE, ALICE): "checkout.email"}},
        "callback_data": None,
    }
    (path / "bot-state.pickle").write_bytes(pickle.dumps(legacy))


async def migrate(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(ROOT / "bot.py"), "migrate", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_an_older_data_directory_moves_into_the_store(
    store: Store, tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    old = tmp_path / "old-data"
    old.mkdir()
    await older_data_dir(old)
    env = process_environment(telegram_fake, oneentry_emulator, store.data_dir)
    env["DATABASE_URL"] = store.url or ""

    moved = await migrate(env, "--from", str(old))
    assert moved.returncode == 0, moved.stderr
    assert "1 checkouts, 1 orders, 2 order events, 1 customers, 1 conversations" in moved.stdout

    async with Ledger(store.ledger_database()) as ledger:
        [order] = await ledger.orders_of_user(ALICE)
        assert (order.order_id, order.total, order.items) == (501, Decimal("12.50"), ITEMS)
        assert [e.kind for e in await ledger.order_history("guest_orders", 501)] == [
            "placed",
            "paid",
        ]
        assert await ledger.order_shown_in(ALICE, 77) is not None
        # New history goes on after the copied ids.
        await ledger.record_changes(order, [OrderChange("status_changed")])
        assert len(await ledger.order_history("guest_orders", 501)) == 3
    async with ChatStateStore(store.chat_state_database()) as state:
        assert await state.conversations("checkout") == {f"[{ALICE}, {ALICE}]": '"checkout.email"'}

    again = await migrate(env, "--from", str(old))
    assert again.returncode == 1 and "already in use" in again.stderr

    settings = store_settings_for(telegram_fake, oneentry_emulator, store)
    alice = await telegram_fake.client.customer(ALICE, "Alice", language_code="en")
    async with run_shop_bot(settings, telegram_fake) as bot:
        cart = await command(bot, alice, "cart")
        assert "Black tea Assam" in cart.text  # the pickle's cart: product 2, three of it


async def test_with_no_database_url_the_directory_is_upgraded_in_place(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    await older_data_dir(data)
    env = process_environment(telegram_fake, oneentry_emulator, data)
    env.pop("DATABASE_URL", None)

    upgraded = await migrate(env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "in place" in upgraded.stdout and "1 customers" in upgraded.stdout
    assert (data / "bot-state.pickle.imported").exists()
    async with ChatStateStore(Store(None, data).chat_state_database()) as state:
        assert pickle.loads((await state.user_data())[ALICE])["cart"].quantity(2) == 3


async def test_an_empty_directory_is_refused(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    env = process_environment(telegram_fake, oneentry_emulator, tmp_path / "data")
    refused = await migrate(env, "--from", str(tmp_path))
    assert refused.returncode == 1 and "holds no bot data" in refused.stderr


async def test_updates_a_stopped_bot_had_not_handled_move_too(
    store: Store, tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """The bot was stopped with Alice's /start still in its inbox (delivered by Telegram, not
    yet handled): after the move, the bot on the new store answers it."""
    old = tmp_path / "old-data"
    old.mkdir()
    alice = await telegram_fake.client.customer(ALICE, "Alice", language_code="en")
    person = {"id": ALICE, "is_bot": False, "first_name": "Alice", "language_code": "en"}
    start = {
        "update_id": 9001,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": ALICE, "type": "private", "first_name": "Alice"},
            "from": person,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with ChatStateStore(old / STATE_FILE) as source:
        await source.receive([(9001, json.dumps(start))])
    env = process_environment(telegram_fake, oneentry_emulator, store.data_dir)
    env["DATABASE_URL"] = store.url or ""

    moved = await migrate(env, "--from", str(old))
    assert moved.returncode == 0, moved.stderr
    assert "1 updates waiting" in moved.stdout

    settings = store_settings_for(telegram_fake, oneentry_emulator, store)
    async with run_shop_bot(settings, telegram_fake):
        await alice.wait_until_shown("Hello, Alice!")
