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

from collections.abc import Mapping
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
# Versioned like the ledger's (`shop/ledger_schema.py`): append, never edit.
MIGRATIONS: dict[str, tuple[str, ...]] = {
    "sqlite": (SQLITE_SCHEMA,),
    "postgresql": (POSTGRES_SCHEMA,),
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
        now = datetime.now(UTC).isoformat()

        def write(connection: Session) -> None:
            connection.execute(
                "INSERT INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (user_id, data, now),
            )

        await self._db.write(write)

    async def drop_user_data(self, user_id: int) -> None:
        await self._db.write(
            lambda connection: connection.execute(
                "DELETE FROM user_data WHERE user_id = ?", (user_id,)
            )
        )

    async def import_user_data(self, rows: Mapping[int, bytes]) -> None:
        """Many customers at once (moving an older data directory in), in one transaction."""
        now = datetime.now(UTC).isoformat()

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

        def write(connection: Session) -> None:
            if state is None:
                connection.execute(
                    "DELETE FROM conversations WHERE name = ? AND key = ?", (name, key)
                )
            else:
                connection.execute(
                    "INSERT INTO conversations (name, key, state) VALUES (?, ?, ?) "
                    "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                    (name, key, state),
                )

        await self._db.write(write)
