"""`ChatStateStore`: what each customer told the bot (cart, checkout, saved details, language)
and where their conversations stand, in the store (SQLite in the data directory, or
PostgreSQL: `shop/store.py`).

One row per customer and one per conversation, written as soon as an update has been handled
(the bot's persistence calls `save_*` for what changed), so a kill loses at most the few
milliseconds between the bot's reply and that write, not the seconds of a periodic dump of
every customer. Values arrive already encoded (bytes for a customer's data, JSON text for a
conversation's key and state): this module stores them and knows nothing of Telegram. Its own
database connection (in SQLite its own file, `synchronous=NORMAL`: a killed process loses
nothing WAL has written, only a power cut could), so the order ledger's commits never wait
behind these writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from shop.database import Database, Session
from shop.sqlite_db import SqliteDatabase

STATE_FILE = "bot-state.sqlite3"
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL")
COMPONENT = "chat_state"  # its schema version's name in a shared database

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_data (
    user_id     INTEGER PRIMARY KEY,
    data        BLOB NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS conversations (
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,   -- JSON array: the conversation's key (chat id, user id)
    state       TEXT NOT NULL,   -- JSON: the state it awaits
    PRIMARY KEY (name, key)
);
"""
POSTGRES_SCHEMA = """
CREATE TABLE user_data (
    user_id     BIGINT PRIMARY KEY,
    data        BYTEA NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE conversations (
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,
    state       TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
"""
# 2: the inbox (`shop/update_inbox.py`): every update Telegram delivered, kept from before
# Telegram is told it arrived until it has been handled. `state`: new (nothing it changed is
# saved yet), applied (what it changed is saved; `screen` is the last screen it showed, which
# may not have reached the customer), done (body and screen dropped; the id is kept a day so
# a delivery Telegram repeats is not handled twice).
INBOX = """
CREATE TABLE inbox (
    update_id    {id_type} PRIMARY KEY,
    state        TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'applied', 'done')),
    body         TEXT,
    screen       TEXT,
    received_at  TEXT NOT NULL
);
CREATE INDEX inbox_by_state ON inbox (state, update_id);
"""
# One statement's ids at most (SQLite before 3.32 takes 999 parameters); a getUpdates answer
# holds at most 100 updates, so its insert is always one statement.
MAX_IDS_PER_STATEMENT = 900
# Versioned like the ledger's (`shop/ledger_schema.py`): append, never edit.
MIGRATIONS: dict[str, tuple[str, ...]] = {
    "sqlite": (SQLITE_SCHEMA, INBOX.format(id_type="INTEGER")),
    "postgresql": (POSTGRES_SCHEMA, INBOX.format(id_type="BIGINT")),
}


def sqlite_chat_state(path: Path) -> SqliteDatabase:
    """The chat state's own SQLite file."""
    return SqliteDatabase(path, PRAGMAS)


class ChatStateStore:
    """`async with ChatStateStore(database)`: the customers' data and conversation states (a
    path: that SQLite file)."""

    def __init__(self, database: Database[Any] | Path) -> None:
        self._db = sqlite_chat_state(database) if isinstance(database, Path) else database

    @property
    def database(self) -> Database[Any]:
        return self._db

    async def open(self) -> None:
        if self._db.is_open:
            return
        await self._db.open()
        try:
            await self._db.migrate(COMPONENT, MIGRATIONS[self._db.dialect])
        except BaseException:
            await self._db.close()
            raise

    async def schema_version(self) -> int:
        return await self._db.schema_version(COMPONENT)

    async def close(self) -> None:
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

    # -- customers' data ---------------------------------------------------------------------

    async def check_writable(self) -> None:
        """Raise unless the customers' state could be written now (the readiness check)."""
        await self._db.probe_write()

    async def user_data(self) -> dict[int, bytes]:
        rows = await self._db.all("SELECT user_id, data FROM user_data")
        return {int(row[0]): bytes(row[1]) for row in rows}

    async def save_user_data(self, user_id: int, data: bytes) -> None:
        now = _now()
        await self._db.write(lambda connection: _save_user(connection, user_id, data, now))

    async def drop_user_data(self, user_id: int) -> None:
        await self._db.write(
            lambda connection: connection.execute(
                "DELETE FROM user_data WHERE user_id = ?", (user_id,)
            )
        )

    async def import_user_data(self, rows: Mapping[int, bytes]) -> None:
        """Many customers at once (moving an older data directory in), in one transaction."""
        now = _now()

        def write(connection: Session) -> None:
            connection.executemany(
                "INSERT INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                [(user_id, data, now) for user_id, data in rows.items()],
            )

        await self._db.write(write)

    # -- conversations -----------------------------------------------------------------------

    async def conversations(self, name: str) -> dict[str, str]:
        """Key JSON → state JSON of every conversation `name` that awaits something."""

        rows = await self._db.all("SELECT key, state FROM conversations WHERE name = ?", (name,))
        return {str(row[0]): str(row[1]) for row in rows}

    async def import_conversations(self, rows: Mapping[tuple[str, str], str]) -> None:
        """Many conversation states at once ((name, key) → state), in one transaction."""

        def write(connection: Session) -> None:
            connection.executemany(
                "INSERT INTO conversations (name, key, state) VALUES (?, ?, ?) "
                "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                [(name, key, state) for (name, key), state in rows.items()],
            )

        await self._db.write(write)

    async def save_conversation(self, name: str, key: str, state: str | None) -> None:
        """The state a conversation awaits now; None: it ended."""
        await self._db.write(lambda connection: _save_conversation(connection, name, key, state))

    # -- the inbox -----------------------------------------------------------------------------

    async def inbox_ids(self) -> list[int]:
        """Every update id the inbox holds, handled or not, oldest first."""
        rows = await self._db.all("SELECT update_id FROM inbox ORDER BY update_id")
        return [int(row[0]) for row in rows]

    async def receive(self, updates: Sequence[tuple[int, str]]) -> None:
        """Updates as Telegram delivered them (id, JSON), in one transaction; one already
        held stays as it is."""
        now = _now()
        rows = ", ".join(["(?, ?, ?)"] * len(updates))
        values = [value for update_id, body in updates for value in (update_id, body, now)]
        await self._db.write(
            lambda connection: connection.execute(
                f"INSERT INTO inbox (update_id, body, received_at) VALUES {rows} "
                "ON CONFLICT (update_id) DO NOTHING",
                values,
            )
        )

    async def unfinished_updates(self) -> list[InboxEntry]:
        """The updates not handled to the end, oldest first."""
        rows = await self._db.all(
            "SELECT update_id, state, body, screen FROM inbox WHERE state <> 'done' "
            "ORDER BY update_id"
        )
        return [InboxEntry(int(row[0]), str(row[1]), row[2], row[3]) for row in rows]

    async def import_updates(self, entries: Sequence[InboxEntry]) -> None:
        """Another store's unfinished updates (moving an older data directory in)."""
        now = _now()
        await self._db.write(
            lambda connection: connection.executemany(
                "INSERT INTO inbox (update_id, state, body, screen, received_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING",
                [(e.update_id, e.state, e.body, e.screen, now) for e in entries],
            )
        )

    async def save_update(self, saved: SavedUpdate) -> None:
        """What one update changed — the customer's data, their conversation's state — and
        that it did, in one transaction: after a crash the update is either wholly unsaved
        (handled again) or saved with the screen it was showing (shown again), never saved
        and handled a second time."""
        now = _now()

        def write(connection: Session) -> None:
            if saved.data is not None:
                _save_user(connection, saved.user_id, saved.data, now)
            if saved.conversation is not None:
                _save_conversation(connection, *saved.conversation)
            if saved.update_id is not None:
                connection.execute(
                    "UPDATE inbox SET state = 'applied', screen = ? "
                    "WHERE update_id = ? AND state <> 'done'",
                    (saved.screen, saved.update_id),
                )

        await self._db.write(write)

    async def finish_updates(
        self, update_ids: Sequence[int], forget_before: datetime | None = None
    ) -> None:
        """These updates are handled: their bodies and screens go, their ids stay (and those
        finished before `forget_before` go too)."""

        def write(connection: Session) -> None:
            for start in range(0, len(update_ids), MAX_IDS_PER_STATEMENT):
                chunk = list(update_ids[start : start + MAX_IDS_PER_STATEMENT])
                connection.execute(
                    "UPDATE inbox SET state = 'done', body = NULL, screen = NULL "
                    f"WHERE update_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            if forget_before is not None:
                connection.execute(
                    "DELETE FROM inbox WHERE state = 'done' AND received_at < ?",
                    (forget_before.isoformat(),),
                )

        await self._db.write(write)


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """An update the inbox holds: its id, state, JSON (until done) and last screen."""

    update_id: int
    state: str  # new, applied or done (the inbox table's CHECK)
    body: str | None
    screen: str | None

    @property
    def is_new(self) -> bool:
        """Nothing it changed was saved: it is handled as if for the first time."""
        return self.state == "new"


@dataclass(frozen=True, slots=True)
class SavedUpdate:
    """One update's save: the customer's encoded data (None: unchanged), their
    conversation's (name, key, state) when it moved, and the update with the screen it
    shows (None: a save outside any update)."""

    user_id: int
    data: bytes | None = None
    conversation: tuple[str, str, str | None] | None = None
    update_id: int | None = None
    screen: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _save_user(connection: Session, user_id: int, data: bytes, now: str) -> None:
    connection.execute(
        "INSERT INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, "
        "updated_at = excluded.updated_at",
        (user_id, data, now),
    )


def _save_conversation(connection: Session, name: str, key: str, state: str | None) -> None:
    if state is None:
        connection.execute("DELETE FROM conversations WHERE name = ? AND key = ?", (name, key))
    else:
        connection.execute(
            "INSERT INTO conversations (name, key, state) VALUES (?, ?, ?) "
            "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
            (name, key, state),
        )
