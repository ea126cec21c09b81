"""The order ledger: the bot's own memory of money matters, in the store (SQLite in the data
directory, or PostgreSQL: `shop/store.py`).

All guest orders belong to one OneEntry user, so only the ledger knows whose order is whose.
It is also what makes placement exactly-once: a checkout is written as `placing` before the
create-order call and the order is written before the customer is told, each write committed
(fsync) before its method returns. `shop/database.py` runs the writes in one thread in group
commits; the queries are the same for both engines. Nothing here logs personal data.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from shop.contact import ContactDetails
from shop.database import Database, Row, Session
from shop.ledger_records import (
    CheckoutRecord,
    CheckoutState,
    Notice,
    OrderChange,
    OrderHistoryEntry,
    OrderItem,
    OrderRecord,
)
from shop.ledger_schema import LEDGER_MIGRATIONS
from shop.order_details import OrderDetails, as_order_details, shown_from_json, shown_to_json
from shop.sqlite_db import SqliteDatabase

logger = logging.getLogger(__name__)

LEDGER_FILE = "ledger.sqlite3"
# SQLite: the fsync at every commit is what exactly-once rests on.
PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON")
COMPONENT = "ledger"  # its schema version's name in a shared database
ABSENT_CHECKOUTS_KEPT = 100_000  # ~10 MB at most

Connection = Session


def sqlite_ledger(path: Path) -> SqliteDatabase:
    """The ledger's own SQLite file."""
    return SqliteDatabase(path, PRAGMAS)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """Async access to the ledger; `async with Ledger(database)` opens and migrates it (a
    path: that SQLite file). Each writing method is one transaction (a savepoint of the
    writer's group commit); each reading method one query."""

    def __init__(
        self, database: Database[Any] | Path, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._db = sqlite_ledger(database) if isinstance(database, Path) else database
        self._clock = clock
        # Every (chat_id, message_id) an order's message has had: `order_shown_in` runs on each
        # button tap and almost always finds nothing, so it asks SQLite only for these. A
        # superset (a replaced message stays here) costs a query, never a wrong answer.
        self._order_messages: set[tuple[int, int]] = set()
        # Checkout ids the ledger was asked about and does not hold: every update of a
        # customer mid-checkout asks about their draft's, which has no row until Confirm.
        # Exact because this process is the store's only writer (one process per SQLite
        # file; on PostgreSQL the one holding the lease) and `begin_placing` drops the id
        # first; bounded, the oldest forgotten first.
        self._absent: OrderedDict[str, None] = OrderedDict()
        self._placings = 0  # begin_placing calls so far: a look-up across one is not kept

    # -- lifecycle ---------------------------------------------------------------------------

    async def open(self) -> None:
        """Connect (a SQLite file is created if missing) and apply pending migrations."""
        if self._db.is_open:
            return
        await self._db.open()
        try:
            await self._migrate()
            rows = await self._all(
                "SELECT chat_id, message_id FROM orders WHERE message_id IS NOT NULL", ()
            )
            self._order_messages = {(row[0], row[1]) for row in rows}
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        self._absent.clear()
        await self._db.close()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def check_writable(self) -> None:
        """Raise unless an order could be written now (the readiness check asks)."""
        await self._db.probe_write()

    @property
    def database(self) -> Database[Any]:
        return self._db

    async def schema_version(self) -> int:
        return await self._db.schema_version(COMPONENT)

    async def _migrate(self) -> None:
        migrations = LEDGER_MIGRATIONS[self._db.dialect]
        for number in await self._db.migrate(COMPONENT, migrations):
            logger.info("ledger migrated to schema version %d", number)

    def _now(self) -> str:
        return self._clock().isoformat()

    # -- checkouts ---------------------------------------------------------------------------

    async def checkout(self, checkout_id: str) -> CheckoutRecord | None:
        if checkout_id in self._absent:
            self._absent.move_to_end(checkout_id)
            return None
        placings = self._placings
        row = await self._one("SELECT * FROM checkouts WHERE checkout_id = ?", (checkout_id,))
        if row is None:
            if placings == self._placings:  # no checkout began meanwhile
                self._absent[checkout_id] = None
                if len(self._absent) > ABSENT_CHECKOUTS_KEPT:
                    self._absent.popitem(last=False)
            return None
        return _checkout_from_row(row)

    async def begin_placing(
        self,
        checkout_id: str,
        *,
        user_id: int,
        chat_id: int,
        items: Iterable[OrderItem],
        payment_account: str,
        content_lang: str,
        contact: OrderDetails | ContactDetails,
        campaign: str | None = None,
    ) -> CheckoutRecord:
        """Record that the order is about to be created. A new checkout, or one that FAILED
        (OneEntry certainly holds no order for it), becomes PLACING with this request; any
        other existing checkout is left as it is and returned, so the caller sees it is taken."""
        self._placings += 1
        self._absent.pop(checkout_id, None)
        now = self._now()
        request = json.dumps(
            {
                "items": [_item_to_json(item) for item in items],
                "payment_account": payment_account,
                "content_lang": content_lang,
                "campaign": campaign,
            }
        )

        def write(db: Connection) -> Row:
            db.execute(
                """
                INSERT INTO checkouts (checkout_id, user_id, chat_id, state, request, contact,
                                       started_at, created_at, updated_at)
                VALUES (?, ?, ?, 'placing', ?, ?, ?, ?, ?)
                ON CONFLICT (checkout_id) DO UPDATE SET
                    state = 'placing', request = excluded.request, contact = excluded.contact,
                    started_at = excluded.started_at, updated_at = excluded.updated_at
                WHERE checkouts.state = 'failed'
                """,
                (
                    checkout_id,
                    user_id,
                    chat_id,
                    request,
                    as_order_details(contact).to_json(),
                    now,
                    now,
                    now,
                ),
            )
            return _fetch_one(db, "SELECT * FROM checkouts WHERE checkout_id = ?", (checkout_id,))

        try:
            return _checkout_from_row(await self._db.write(write))
        finally:
            # A look-up that ran during the write may have found nothing yet: forget it, and
            # let one still under way see that a checkout began.
            self._absent.pop(checkout_id, None)
            self._placings += 1

    async def set_checkout_state(self, checkout_id: str, state: CheckoutState) -> None:
        """Move a checkout on. The contact details are kept only while a look-up may still
        need them (PLACING, UNKNOWN)."""
        keep_contact = state in (CheckoutState.PLACING, CheckoutState.UNKNOWN)
        await self._execute(
            "UPDATE checkouts SET state = ?, updated_at = ?"
            + ("" if keep_contact else ", contact = NULL")
            + " WHERE checkout_id = ?",
            (state.value, self._now(), checkout_id),
        )

    async def unresolved_checkouts(self) -> list[CheckoutRecord]:
        """Checkouts left PLACING or UNKNOWN, oldest first (what start-up must resolve)."""
        rows = await self._all(
            "SELECT * FROM checkouts WHERE state IN ('placing', 'unknown') ORDER BY created_at",
            (),
        )
        return [_checkout_from_row(row) for row in rows]

    # -- orders ------------------------------------------------------------------------------

    async def record_order(self, order: OrderRecord) -> OrderRecord:
        """Store a created order and mark its checkout PLACED, in one transaction."""
        now = self._now()

        def write(db: Connection) -> Row:
            db.execute(
                """
                INSERT INTO orders (order_id, storage, user_id, chat_id, checkout_id, items,
                    total, currency, payment_account, payment_session_id, payment_url,
                    payment_status, order_status, order_status_title, message_id,
                    content_lang, campaign, details, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    order.order_id,
                    order.storage,
                    order.user_id,
                    order.chat_id,
                    order.checkout_id,
                    json.dumps([_item_to_json(item) for item in order.items]),
                    None if order.total is None else str(order.total),
                    order.currency,
                    order.payment_account,
                    order.payment_session_id,
                    order.payment_url,
                    order.payment_status,
                    order.order_status,
                    order.order_status_title,
                    order.message_id,
                    order.content_lang,
                    order.campaign,
                    shown_to_json(order.details),
                    now,
                    now,
                ),
            )
            _insert_event(db, order, OrderChange("placed", notice=Notice.NONE), now)
            db.execute(
                "UPDATE checkouts SET state = 'placed', contact = NULL, updated_at = ? "
                "WHERE checkout_id = ?",
                (now, order.checkout_id),
            )
            return _fetch_one(
                db, "SELECT * FROM orders WHERE checkout_id = ?", (order.checkout_id,)
            )

        stored = _order_from_row(await self._db.write(write))
        if order.message_id is not None:
            self._order_messages.add((order.chat_id, order.message_id))
        return stored

    async def set_payment_session(
        self,
        storage: str,
        order_id: int,
        *,
        session_id: int,
        payment_url: str | None,
        payment_status: str | None,
    ) -> None:
        await self._execute(
            "UPDATE orders SET payment_session_id = ?, payment_url = ?, payment_status = ?, "
            "updated_at = ? WHERE storage = ? AND order_id = ?",
            (session_id, payment_url, payment_status, self._now(), storage, order_id),
        )

    async def set_order_message(self, storage: str, order_id: int, message_id: int) -> None:
        """Remember the chat message that shows the order, so later changes can edit it."""

        def write(db: Connection) -> list[Row]:
            return db.execute(
                "UPDATE orders SET message_id = ?, updated_at = ? "
                "WHERE storage = ? AND order_id = ? RETURNING chat_id",
                (message_id, self._now(), storage, order_id),
            ).fetchall()

        chat_ids = [row[0] for row in await self._db.write(write)]
        self._order_messages.update((chat_id, message_id) for chat_id in chat_ids)

    async def record_changes(
        self, order: OrderRecord, changes: Sequence[OrderChange]
    ) -> tuple[OrderRecord, list[OrderHistoryEntry]]:
        """Store what the follow-up saw (session, payment and order status) and the changes
        it means, in one transaction: once this returns, no later look can find the same
        change again, so nothing is announced twice."""
        now = self._now()

        def write(db: Connection) -> tuple[Row, list[Row]]:
            db.execute(
                "UPDATE orders SET payment_session_id = ?, payment_url = ?, payment_status = ?, "
                "order_status = ?, order_status_title = ?, updated_at = ? "
                "WHERE storage = ? AND order_id = ?",
                (
                    order.payment_session_id,
                    order.payment_url,
                    order.payment_status,
                    order.order_status,
                    order.order_status_title,
                    now,
                    order.storage,
                    order.order_id,
                ),
            )
            event_ids = [_insert_event(db, order, change, now) for change in changes]
            stored = _fetch_one(
                db,
                "SELECT * FROM orders WHERE storage = ? AND order_id = ?",
                (order.storage, order.order_id),
            )
            marks = ", ".join("?" for _ in event_ids) or "NULL"
            events = db.execute(
                f"SELECT * FROM order_events WHERE event_id IN ({marks}) ORDER BY event_id",
                event_ids,
            ).fetchall()
            return stored, events

        stored, events = await self._db.write(write)
        return _order_from_row(stored), [_history_from_row(row) for row in events]

    async def set_notice(self, event_id: int, notice: Notice) -> None:
        """What became of a PENDING notification: SENT or FAILED."""
        await self._execute(
            "UPDATE order_events SET notice = ? WHERE event_id = ?", (notice.value, event_id)
        )

    async def drop_pending_notices(self) -> set[tuple[str, int]]:
        """At start-up: notifications a stopped bot left PENDING become DROPPED (never sent
        again); returns the orders they were about, whose messages need redrawing."""

        def write(db: Connection) -> list[Row]:
            rows = db.execute(
                "SELECT DISTINCT storage, order_id FROM order_events WHERE notice = 'pending'"
            ).fetchall()
            db.execute("UPDATE order_events SET notice = 'dropped' WHERE notice = 'pending'")
            return rows

        return {(row[0], int(row[1])) for row in await self._db.write(write)}

    async def order_history(self, storage: str, order_id: int) -> list[OrderHistoryEntry]:
        """Every change the bot has seen in the order, oldest first (for the staff's view)."""
        rows = await self._all(
            "SELECT * FROM order_events WHERE storage = ? AND order_id = ? ORDER BY event_id",
            (storage, order_id),
        )
        return [_history_from_row(row) for row in rows]

    async def orders_to_follow(
        self, created_since: datetime, final_statuses: Collection[str]
    ) -> list[OrderRecord]:
        """Orders placed since `created_since` whose order status is not final, oldest first."""
        finals = sorted(status.lower() for status in final_statuses)
        marks = ", ".join("?" for _ in finals) or "NULL"
        rows = await self._all(
            "SELECT * FROM orders WHERE created_at >= ? "
            f"AND (order_status IS NULL OR lower(order_status) NOT IN ({marks})) "
            "ORDER BY created_at, order_id",
            (created_since.isoformat(), *finals),
        )
        return [_order_from_row(row) for row in rows]

    async def order(self, storage: str, order_id: int) -> OrderRecord | None:
        row = await self._one(
            "SELECT * FROM orders WHERE storage = ? AND order_id = ?", (storage, order_id)
        )
        return _order_from_row(row) if row else None

    async def unshown_orders(self, created_since: datetime) -> list[OrderRecord]:
        """Recent orders no message shows: the bot stopped before it could tell the customer."""
        rows = await self._all(
            "SELECT * FROM orders WHERE message_id IS NULL AND created_at >= ? "
            "ORDER BY created_at, order_id",
            (created_since.isoformat(),),
        )
        return [_order_from_row(row) for row in rows]

    async def order_shown_in(self, chat_id: int, message_id: int) -> OrderRecord | None:
        """The order whose message this is (the one the follow-up keeps up to date)."""
        if (chat_id, message_id) not in self._order_messages:
            return None
        row = await self._one(
            "SELECT * FROM orders WHERE chat_id = ? AND message_id = ? LIMIT 1",
            (chat_id, message_id),
        )
        return _order_from_row(row) if row else None

    async def order_for_checkout(self, checkout_id: str) -> OrderRecord | None:
        row = await self._one("SELECT * FROM orders WHERE checkout_id = ?", (checkout_id,))
        return _order_from_row(row) if row else None

    async def order_of_user(self, user_id: int, order_id: int) -> OrderRecord | None:
        """The order, only if this Telegram user placed it; None for anyone else's."""
        row = await self._one(
            "SELECT * FROM orders WHERE user_id = ? AND order_id = ? "
            "ORDER BY created_at DESC LIMIT 1",
            (user_id, order_id),
        )
        return _order_from_row(row) if row else None

    async def orders_of_user(
        self, user_id: int, *, offset: int = 0, limit: int = 10
    ) -> list[OrderRecord]:
        """The user's orders, newest first."""
        rows = await self._all(
            "SELECT * FROM orders WHERE user_id = ? "
            "ORDER BY created_at DESC, order_id DESC LIMIT ? OFFSET ?",
            (user_id, limit, offset),
        )
        return [_order_from_row(row) for row in rows]

    async def known_order_ids(self, storage: str, order_ids: Iterable[int]) -> set[int]:
        """Which of these OneEntry order ids the ledger already gives to some checkout."""
        ids = list(order_ids)
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = await self._all(
            f"SELECT order_id FROM orders WHERE storage = ? AND order_id IN ({marks})",
            (storage, *ids),
        )
        return {int(row[0]) for row in rows}

    async def orders_by_id(self, storage: str, order_ids: Iterable[int]) -> dict[int, OrderRecord]:
        """The ledger's orders among these OneEntry ids (for staff views: who ordered)."""
        ids = list(order_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = await self._all(
            f"SELECT * FROM orders WHERE storage = ? AND order_id IN ({marks})",
            (storage, *ids),
        )
        return {int(row["order_id"]): _order_from_row(row) for row in rows}

    async def count_orders_of_user(self, user_id: int) -> int:
        row = await self._one("SELECT COUNT(*) FROM orders WHERE user_id = ?", (user_id,))
        return int(row[0]) if row else 0

    # -- plumbing ----------------------------------------------------------------------------

    async def _execute(self, sql: str, parameters: tuple[Any, ...]) -> None:
        """One statement in a transaction of its own."""
        await self._db.write(lambda db: db.execute(sql, parameters))

    async def _one(self, sql: str, parameters: tuple[Any, ...]) -> Row | None:
        row: Row | None = await self._db.one(sql, parameters)
        return row

    async def _all(self, sql: str, parameters: tuple[Any, ...]) -> list[Row]:
        return await self._db.all(sql, parameters)


def _fetch_one(db: Connection, sql: str, parameters: tuple[Any, ...]) -> Row:
    """The row a transaction has just written (so it exists)."""
    row: Row | None = db.execute(sql, parameters).fetchone()
    assert row is not None
    return row


def _insert_event(db: Connection, order: OrderRecord, change: OrderChange, now: str) -> int:
    row = db.execute(
        """
        INSERT INTO order_events (storage, order_id, kind, order_status, order_status_title,
                                  previous_status, payment_status, notice, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING event_id
        """,
        (
            order.storage,
            order.order_id,
            change.kind,
            order.order_status,
            order.order_status_title,
            change.previous_status,
            order.payment_status,
            change.notice.value,
            now,
        ),
    ).fetchone()
    return int(row[0])


def _item_to_json(item: OrderItem) -> dict[str, Any]:
    return {"product_id": item.product_id, "quantity": item.quantity, "title": item.title}


def _items_from_list(items: list[dict[str, Any]]) -> tuple[OrderItem, ...]:
    return tuple(
        OrderItem(int(item["product_id"]), int(item["quantity"]), str(item.get("title") or ""))
        for item in items
    )


def _contact_from_json(text: str | None) -> OrderDetails | None:
    """The form fields kept for a look-up; rows written before the checkout followed the
    form hold the three contact details instead."""
    return OrderDetails.from_json(text) if text else None


def _checkout_from_row(row: Row) -> CheckoutRecord:
    request = json.loads(row["request"])
    return CheckoutRecord(
        checkout_id=row["checkout_id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        state=CheckoutState(row["state"]),
        items=_items_from_list(request["items"]),
        payment_account=request["payment_account"],
        content_lang=request["content_lang"],
        contact=_contact_from_json(row["contact"]),
        started_at=datetime.fromisoformat(row["started_at"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        campaign=request.get("campaign"),
    )


def _order_from_row(row: Row) -> OrderRecord:
    return OrderRecord(
        order_id=row["order_id"],
        storage=row["storage"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        checkout_id=row["checkout_id"],
        items=_items_from_list(json.loads(row["items"])),
        total=None if row["total"] is None else Decimal(row["total"]),
        currency=row["currency"],
        payment_account=row["payment_account"],
        payment_session_id=row["payment_session_id"],
        payment_url=row["payment_url"],
        payment_status=row["payment_status"],
        order_status=row["order_status"],
        order_status_title=row["order_status_title"],
        message_id=row["message_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        content_lang=row["content_lang"],
        campaign=row["campaign"],
        details=shown_from_json(row["details"]),
    )


def _history_from_row(row: Row) -> OrderHistoryEntry:
    return OrderHistoryEntry(
        event_id=row["event_id"],
        kind=row["kind"],
        order_status=row["order_status"],
        order_status_title=row["order_status_title"],
        previous_status=row["previous_status"],
        payment_status=row["payment_status"],
        notice=Notice(row["notice"]),
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
    )
