"""The ledger file: migrations from empty and on re-open, and what a caller reads back."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from shop.contact import ContactDetails
from shop.ledger import Ledger
from shop.ledger_db import LedgerClosed, LedgerDatabase
from shop.ledger_records import CheckoutState, OrderItem, OrderRecord
from shop.ledger_schema import MIGRATIONS

CONTACT = ContactDetails("Ivan", "+79990000000", "ivan@example.com")
ITEMS = (OrderItem(1, 2, "Green tea"), OrderItem(2, 1, "Black tea"))


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


async def test_reopening_keeps_the_data_and_migrates_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    async with Ledger(path) as ledger:
        await begin(ledger)
        await ledger.record_order(order())
    async with Ledger(path) as reopened:
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


async def test_placing_then_placed_drops_the_contact_details(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        await begin(ledger)
        placing = await ledger.checkout("a1b2c3d4e5f6")
        assert placing is not None and placing.state is CheckoutState.PLACING
        assert placing.contact == CONTACT  # needed to find the order if the outcome is unknown
        await ledger.record_order(order())
        placed = await ledger.checkout("a1b2c3d4e5f6")
    assert placed is not None and placed.state is CheckoutState.PLACED
    assert placed.contact is None


async def test_begin_placing_takes_over_only_a_failed_checkout(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
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


async def test_orders_of_a_user_newest_first_and_only_theirs(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
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


async def test_payment_session_and_message_are_stored(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
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


async def test_a_campaign_tag_goes_from_the_checkout_to_its_order(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
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
    async with Ledger(tmp_path / "ledger.sqlite3") as reopened:
        tagged = await reopened.order("guest_orders", 1001)
        untagged = await reopened.order("guest_orders", 1002)
    assert checkout.campaign == "spring"
    assert tagged is not None and tagged.campaign == "spring"
    assert untagged is not None and untagged.campaign is None


async def test_unresolved_checkouts_are_the_placing_and_unknown_ones(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        for checkout_id in ("p1", "u1", "f1", "d1"):
            await begin(ledger, checkout_id)
        await ledger.set_checkout_state("u1", CheckoutState.UNKNOWN)
        await ledger.set_checkout_state("f1", CheckoutState.FAILED)
        await ledger.record_order(order("d1"))
        unresolved = await ledger.unresolved_checkouts()
    assert [c.checkout_id for c in unresolved] == ["p1", "u1"]


async def test_the_message_showing_an_order_is_known_after_a_reopen(tmp_path: Path) -> None:
    """Screens must never overwrite an order's message; the ledger tells which one it is,
    from memory for every other message, and across restarts."""
    path = tmp_path / "ledger.sqlite3"
    async with Ledger(path) as ledger:
        await begin(ledger)
        await ledger.record_order(order())
        assert await ledger.order_shown_in(7, 55) is None
        await ledger.set_order_message("guest_orders", 1001, 55)
        shown = await ledger.order_shown_in(7, 55)
        assert shown is not None and shown.order_id == 1001
        await ledger.set_order_message("guest_orders", 1001, 60)  # shown again, further down
        assert await ledger.order_shown_in(7, 55) is None
    async with Ledger(path) as reopened:
        shown = await reopened.order_shown_in(7, 60)
        assert shown is not None and shown.order_id == 1001
        assert await reopened.order_shown_in(8, 60) is None  # another chat's message 60


async def test_a_transaction_that_fails_half_way_leaves_nothing_behind(tmp_path: Path) -> None:
    db = LedgerDatabase(tmp_path / "plain.sqlite3")
    await db.open("journal_mode=WAL")
    try:
        await db.write(lambda c: c.execute("CREATE TABLE notes (text TEXT NOT NULL)"))

        def two_inserts(c: sqlite3.Connection) -> None:
            c.execute("INSERT INTO notes VALUES ('first')")
            c.execute("INSERT INTO notes VALUES (NULL)")  # NOT NULL: fails

        with pytest.raises(sqlite3.IntegrityError):
            await db.write(two_inserts)
        rows = await db.read(lambda c: c.execute("SELECT text FROM notes").fetchall())
        assert rows == []
        # ... and the connection is usable again, out of the failed transaction.
        await db.write(lambda c: c.execute("INSERT INTO notes VALUES ('second')"))
        rows = await db.read(lambda c: c.execute("SELECT text FROM notes").fetchall())
        assert [row[0] for row in rows] == ["second"]
    finally:
        await db.close()


async def test_many_checkouts_written_at_once_all_land(tmp_path: Path) -> None:
    async with Ledger(tmp_path / "ledger.sqlite3") as ledger:
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


async def test_a_closed_ledger_says_so(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    with pytest.raises(LedgerClosed):
        await ledger.checkout("a1b2c3d4e5f6")
    async with ledger:
        assert await ledger.checkout("a1b2c3d4e5f6") is None
    with pytest.raises(LedgerClosed):
        await ledger.checkout("a1b2c3d4e5f6")


async def test_writes_committed_together_fail_alone(tmp_path: Path) -> None:
    db = LedgerDatabase(tmp_path / "plain.sqlite3")
    await db.open("journal_mode=WAL")
    try:
        await db.write(lambda c: c.execute("CREATE TABLE notes (text TEXT NOT NULL)"))

        def note(text: str | None) -> Callable[[sqlite3.Connection], None]:
            return lambda c: c.execute("INSERT INTO notes VALUES (?)", (text,)) and None

        # Queued at once, these usually share one commit; either way only the bad one fails.
        outcomes = await asyncio.gather(
            db.write(note("first")),
            db.write(note(None)),
            db.write(note("third")),
            return_exceptions=True,
        )
        assert outcomes[0] is None and outcomes[2] is None
        assert isinstance(outcomes[1], sqlite3.IntegrityError)
        rows = await db.read(lambda c: c.execute("SELECT text FROM notes").fetchall())
        assert sorted(row[0] for row in rows) == ["first", "third"]
    finally:
        await db.close()
