"""The ledger: migrations from empty and on re-open, and what a caller reads back, in SQLite and
PostgreSQL alike (the `store` fixture), and the writer's group commits."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from shop.contact import ContactDetails
from shop.database import LedgerClosed, Session
from shop.ledger import Ledger
from shop.ledger_records import CheckoutState, OrderItem, OrderRecord
from shop.ledger_schema import LEDGER_MIGRATIONS, MIGRATIONS
from shop.order_details import OrderDetails, ShownField, SubmittedField
from shop.store import Store

CONTACT = ContactDetails("Ivan", "+79990000000", "ivan@example.com")
ITEMS = (OrderItem(1, 2, "Green tea"), OrderItem(2, 1, "Black tea"))
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)


async def begin(ledger: Ledger, checkout_id: str = "a1b2c3d4e5f6", user_id: int = 7) -> None:
    await ledger.begin_placing(
        checkout_id,
        user_id=user_id,
        chat_id=user_id,
        items=ITEMS,
        payment_account="cash",
        content_lang="en_US",
        contact=CONTACT,
    )


def order(checkout_id: str = "a1b2c3d4e5f6", order_id: int = 1001, user_id: int = 7) -> OrderRecord:
    return OrderRecord(
        order_id=order_id,
        storage="guest_orders",
        user_id=user_id,
        chat_id=user_id,
        checkout_id=checkout_id,
        items=ITEMS,
        total=Decimal("34.90"),
        currency="USD",
        payment_account="cash",
        order_status="inProgress",
    )


async def test_a_new_ledger_gets_the_whole_schema_in_wal_mode(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert await ledger.schema_version() == len(MIGRATIONS)
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"checkouts", "orders"} <= tables


async def test_reopening_keeps_the_data_and_migrates_nothing_twice(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger)
        await ledger.record_order(order())
    async with Ledger(store.ledger_database()) as reopened:
        assert await reopened.schema_version() == len(MIGRATIONS)
        stored = await reopened.order_for_checkout("a1b2c3d4e5f6")
    assert stored is not None
    assert (stored.order_id, stored.total, stored.items) == (1001, Decimal("34.90"), ITEMS)


async def test_a_ledger_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        await Ledger(path).open()


async def test_a_postgresql_ledger_from_a_newer_bot_is_refused(postgres_store: Store) -> None:
    async with Ledger(postgres_store.ledger_database()) as ledger:
        assert await ledger.schema_version() == len(MIGRATIONS)
    assert postgres_store.url is not None
    with psycopg.connect(postgres_store.url, autocommit=True) as db:
        db.execute("UPDATE schema_versions SET version = version + 1 WHERE component = 'ledger'")
    with pytest.raises(RuntimeError, match="newer"):
        await Ledger(postgres_store.ledger_database()).open()


async def test_telegram_ids_beyond_32_bits_are_kept(store: Store) -> None:
    """Supergroup chat ids (-100…) and newer user ids do not fit 32 bits."""
    big = 7_000_000_123
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger, "b1g1d", user_id=big)
        await ledger.record_order(order("b1g1d", 1001, big))
        await ledger.set_order_message("guest_orders", 1001, 2**40)
        assert [o.order_id for o in await ledger.orders_of_user(big)] == [1001]
        assert await ledger.order_shown_in(big, 2**40) is not None


async def test_placing_then_placed_drops_the_contact_details(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger)
        placing = await ledger.checkout("a1b2c3d4e5f6")
        assert placing is not None and placing.state is CheckoutState.PLACING
        assert (
            placing.contact is not None and placing.contact.legacy == CONTACT
        )  # needed to find the order if the outcome is unknown
        await ledger.record_order(order())
        placed = await ledger.checkout("a1b2c3d4e5f6")
    assert placed is not None and placed.state is CheckoutState.PLACED
    assert placed.contact is None


async def test_begin_placing_takes_over_only_a_failed_checkout(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger)
        await ledger.set_checkout_state("a1b2c3d4e5f6", CheckoutState.UNKNOWN)
        again = await ledger.begin_placing(
            "a1b2c3d4e5f6",
            user_id=7,
            chat_id=7,
            items=ITEMS[:1],
            payment_account="stripe",
            content_lang="en_US",
            contact=CONTACT,
        )
        assert again.state is CheckoutState.UNKNOWN and again.items == ITEMS
        await ledger.set_checkout_state("a1b2c3d4e5f6", CheckoutState.FAILED)
        retried = await ledger.begin_placing(
            "a1b2c3d4e5f6",
            user_id=7,
            chat_id=7,
            items=ITEMS[:1],
            payment_account="stripe",
            content_lang="en_US",
            contact=CONTACT,
        )
    assert retried.state is CheckoutState.PLACING
    assert (retried.items, retried.payment_account) == (ITEMS[:1], "stripe")


async def test_orders_of_a_user_newest_first_and_only_theirs(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        for number, (checkout_id, user_id) in enumerate(
            [("c1", 7), ("c2", 8), ("c3", 7)], start=1001
        ):
            await begin(ledger, checkout_id, user_id)
            await ledger.record_order(order(checkout_id, number, user_id))
        mine = await ledger.orders_of_user(7)
        assert [o.order_id for o in mine] == [1003, 1001]
        assert await ledger.count_orders_of_user(7) == 2
        assert await ledger.order_of_user(7, 1002) is None
        assert await ledger.order_of_user(8, 1002) is not None
        assert await ledger.known_order_ids("guest_orders", [1001, 1002, 9999]) == {1001, 1002}


async def test_payment_session_and_message_are_stored(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger)
        await ledger.record_order(order())
        await ledger.set_payment_session(
            "guest_orders",
            1001,
            session_id=5001,
            payment_url="http://pay/5001",
            payment_status="waiting",
        )
        await ledger.set_order_message("guest_orders", 1001, 42)
        stored = await ledger.order_for_checkout("a1b2c3d4e5f6")
    assert stored is not None
    assert (stored.payment_session_id, stored.payment_url, stored.message_id) == (
        5001,
        "http://pay/5001",
        42,
    )
    assert stored.awaits_payment_link and not stored.is_paid


async def test_a_campaign_tag_goes_from_the_checkout_to_its_order(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        checkout = await ledger.begin_placing(
            "a1b2c3d4e5f6",
            user_id=7,
            chat_id=7,
            items=ITEMS,
            payment_account="cash",
            content_lang="en_US",
            contact=CONTACT,
            campaign="spring",
        )
        await ledger.record_order(dataclasses.replace(order(), campaign=checkout.campaign))
        await begin(ledger, "0123456789ab")
        await ledger.record_order(order("0123456789ab", 1002))
    async with Ledger(store.ledger_database()) as reopened:
        tagged = await reopened.order("guest_orders", 1001)
        untagged = await reopened.order("guest_orders", 1002)
    assert checkout.campaign == "spring"
    assert tagged is not None and tagged.campaign == "spring"
    assert untagged is not None and untagged.campaign is None


SHOWN = (
    ShownField("customer_name", "Ваше имя", "Иван"),
    ShownField("delivery_method", "Доставка", "Курьером до двери"),
    ShownField("delivery_date", "Желаемая дата доставки", "31 декабря 2030 г."),
)


async def test_an_order_keeps_what_its_customer_gave_as_they_saw_it(store: Store) -> None:
    details = OrderDetails((SubmittedField("customer_name", "string", "Иван"),), shown=SHOWN)
    async with Ledger(store.ledger_database()) as ledger:
        checkout = await ledger.begin_placing(
            "a1b2c3d4e5f6",
            user_id=7,
            chat_id=7,
            items=ITEMS,
            payment_account="cash",
            content_lang="ru_RU",
            contact=details,
        )
        # held with the checkout until it is resolved
        assert checkout.contact is not None and checkout.contact == details
        await ledger.record_order(dataclasses.replace(order(), details=checkout.contact.shown))
    async with Ledger(store.ledger_database()) as reopened:
        [mine] = await reopened.orders_of_user(7)
        placed = await reopened.checkout("a1b2c3d4e5f6")
    assert mine.details == SHOWN
    assert placed is not None and placed.contact is None


async def test_a_version_4_ledger_upgrades_and_its_orders_show_no_details(store: Store) -> None:
    """A ledger of the bot before orders kept their answers: upgraded in place at start-up;
    its orders have none to show, and new orders keep theirs."""
    database = store.ledger_database()
    await database.open()
    try:
        await database.migrate("ledger", LEDGER_MIGRATIONS[database.dialect][:4])

        def older_order(db: Session) -> None:
            at = "2025-01-01T10:00:00+00:00"
            request = json.dumps({"items": [], "payment_account": "cash", "content_lang": "en_US"})
            db.execute(
                "INSERT INTO checkouts (checkout_id, user_id, chat_id, state, request, "
                "started_at, created_at, updated_at) VALUES (?, 7, 7, 'placed', ?, ?, ?, ?)",
                ("0ld0ld0ld0ld", request, at, at, at),
            )
            db.execute(
                "INSERT INTO orders (order_id, storage, user_id, chat_id, checkout_id, items, "
                "total, payment_account, created_at, updated_at) "
                "VALUES (900, 'guest_orders', 7, 7, ?, '[]', '12.50', 'cash', ?, ?)",
                ("0ld0ld0ld0ld", at, at),
            )

        await database.write(older_order)
        assert await database.schema_version("ledger") == 4
    finally:
        await database.close()
    async with Ledger(store.ledger_database()) as ledger:
        assert await ledger.schema_version() == len(MIGRATIONS) == 5
        older = await ledger.order("guest_orders", 900)
        await begin(ledger)
        await ledger.record_order(dataclasses.replace(order(), details=SHOWN))
        newer = await ledger.order("guest_orders", 1001)
    assert older is not None and older.details == () and older.total == Decimal("12.50")
    assert newer is not None and newer.details == SHOWN


async def test_unresolved_checkouts_are_the_placing_and_unknown_ones(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        for checkout_id in ("p1", "u1", "f1", "d1"):
            await begin(ledger, checkout_id)
        await ledger.set_checkout_state("u1", CheckoutState.UNKNOWN)
        await ledger.set_checkout_state("f1", CheckoutState.FAILED)
        await ledger.record_order(order("d1"))
        unresolved = await ledger.unresolved_checkouts()
    assert [c.checkout_id for c in unresolved] == ["p1", "u1"]


async def test_the_message_showing_an_order_is_known_after_a_reopen(store: Store) -> None:
    """Screens must never overwrite an order's message; the ledger tells which one it is,
    from memory for every other message, and across restarts."""
    async with Ledger(store.ledger_database()) as ledger:
        await begin(ledger)
        await ledger.record_order(order())
        assert await ledger.order_shown_in(7, 55) is None
        await ledger.set_order_message("guest_orders", 1001, 55)
        shown = await ledger.order_shown_in(7, 55)
        assert shown is not None and shown.order_id == 1001
        await ledger.set_order_message("guest_orders", 1001, 60)  # shown again, further down
        assert await ledger.order_shown_in(7, 55) is None
    async with Ledger(store.ledger_database()) as reopened:
        shown = await reopened.order_shown_in(7, 60)
        assert shown is not None and shown.order_id == 1001
        assert await reopened.order_shown_in(8, 60) is None  # another chat's message 60


async def test_a_transaction_that_fails_half_way_leaves_nothing_behind(store: Store) -> None:
    db = store.ledger_database()
    await db.open()
    try:
        await db.write(lambda c: c.execute("CREATE TABLE notes (text TEXT NOT NULL)"))

        def two_inserts(c: Session) -> None:
            c.execute("INSERT INTO notes VALUES ('first')")
            c.execute("INSERT INTO notes VALUES (NULL)")  # NOT NULL: fails

        with pytest.raises(INTEGRITY_ERRORS):
            await db.write(two_inserts)
        rows = await db.all("SELECT text FROM notes")
        assert rows == []
        # ... and the connection is usable again, out of the failed transaction.
        await db.write(lambda c: c.execute("INSERT INTO notes VALUES ('second')"))
        rows = await db.all("SELECT text FROM notes")
        assert [row[0] for row in rows] == ["second"]
    finally:
        await db.close()


async def test_many_checkouts_written_at_once_all_land(store: Store) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        ids = [f"{n:012x}" for n in range(50)]
        await asyncio.gather(
            *(begin(ledger, checkout_id, user_id=n) for n, checkout_id in enumerate(ids))
        )
        await asyncio.gather(
            *(
                ledger.record_order(order(checkout_id, 2000 + n, n))
                for n, checkout_id in enumerate(ids)
            )
        )
        for n, checkout_id in enumerate(ids):
            stored = await ledger.order_for_checkout(checkout_id)
            assert stored is not None and stored.order_id == 2000 + n and stored.user_id == n


async def test_a_closed_ledger_says_so(store: Store) -> None:
    ledger = Ledger(store.ledger_database())
    with pytest.raises(LedgerClosed):
        await ledger.checkout("a1b2c3d4e5f6")
    async with ledger:
        assert await ledger.checkout("a1b2c3d4e5f6") is None
    with pytest.raises(LedgerClosed):
        await ledger.checkout("a1b2c3d4e5f6")


async def test_writes_committed_together_fail_alone(store: Store) -> None:
    db = store.ledger_database()
    await db.open()
    try:
        await db.write(lambda c: c.execute("CREATE TABLE notes (text TEXT NOT NULL)"))

        def note(text: str | None) -> Callable[[Session], None]:
            return lambda c: c.execute("INSERT INTO notes VALUES (?)", (text,)) and None

        # Queued at once, these usually share one commit; either way only the bad one fails.
        outcomes = await asyncio.gather(
            db.write(note("first")),
            db.write(note(None)),
            db.write(note("third")),
            return_exceptions=True,
        )
        assert outcomes[0] is None and outcomes[2] is None
        assert isinstance(outcomes[1], INTEGRITY_ERRORS)
        rows = await db.all("SELECT text FROM notes")
        assert sorted(row[0] for row in rows) == ["first", "third"]
    finally:
        await db.close()


async def test_a_checkout_asked_about_before_it_began_is_found_once_it_has(store: Store) -> None:
    """The ledger remembers which checkouts it does not hold (every update of a customer
    mid-checkout asks); beginning one, even while a look-up is under way, forgets that."""
    async with Ledger(store.ledger_database()) as ledger:
        assert await ledger.checkout("a1b2c3d4e5f6") is None
        assert await ledger.checkout("a1b2c3d4e5f6") is None  # from memory now
        looked, _ = await asyncio.gather(ledger.checkout("0f0f0f0f0f0f"), begin(ledger))
        await begin(ledger, "0f0f0f0f0f0f")
        assert looked is None
        found = await ledger.checkout("a1b2c3d4e5f6")
        assert found is not None and found.state is CheckoutState.PLACING
        again = await ledger.checkout("0f0f0f0f0f0f")
        assert again is not None and again.state is CheckoutState.PLACING


async def test_the_ledger_carries_on_after_postgresql_dropped_its_connections(
    postgres_store: Store,
) -> None:
    """A restart of the server (here: every connection of the bot's cut while idle) costs
    no read and no write: each is made again on a new connection."""
    assert postgres_store.url is not None
    async with Ledger(postgres_store.ledger_database()) as ledger:
        await begin(ledger)
        with psycopg.connect(postgres_store.url, autocommit=True) as db:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        await ledger.record_order(order())
        stored = await ledger.order_for_checkout("a1b2c3d4e5f6")
        assert stored is not None and stored.order_id == 1001
