"""`ChatStateStore`: what each customer told the bot (cart, checkout, saved details, language)
and where their conversations stand, in SQLite in the data directory.

One row per customer and one per conversation, written as soon as an update has been handled
(the bot's persistence calls `save_*` for what changed), so a kill loses at most the few
milliseconds between the bot's reply and that write, not the seconds of a periodic dump of
every customer. Values arrive already encoded (bytes for a customer's data, JSON text for a
conversation's key and state): this module stores them and knows nothing of Telegram. Its own
file and `synchronous=NORMAL`: a killed process loses nothing WAL has written (only a power
cut could), and the order ledger's fsyncs never wait behind these writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from shop.ledger_db import LedgerDatabase

STATE_FILE = "bot-state.sqlite3"
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL")

SCHEMA = """
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


class ChatStateStore:
    """`async with ChatStateStore(path)`: the customers' data and conversation states."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = LedgerDatabase(path)

    async def open(self) -> None:
        if self._db.is_open:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await self._db.open(*PRAGMAS)
        await self._db.script(SCHEMA)

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
        def read(connection: sqlite3.Connection) -> dict[int, bytes]:
            rows = connection.execute("SELECT user_id, data FROM user_data").fetchall()
            return {int(row[0]): bytes(row[1]) for row in rows}

        return await self._db.read(read)

    async def save_user_data(self, user_id: int, data: bytes) -> None:
        now = datetime.now(UTC).isoformat()

        def write(connection: sqlite3.Connection) -> None:
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

        def write(connection: sqlite3.Connection) -> None:
            connection.executemany(
                "INSERT OR REPLACE INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?)",
                [(user_id, data, now) for user_id, data in rows.items()],
            )

        await self._db.write(write)

    # -- conversations -----------------------------------------------------------------------

    async def conversations(self, name: str) -> dict[str, str]:
        """Key JSON → state JSON of every conversation `name` that awaits something."""

        def read(connection: sqlite3.Connection) -> dict[str, str]:
            rows = connection.execute(
                "SELECT key, state FROM conversations WHERE name = ?", (name,)
            ).fetchall()
            return {str(row[0]): str(row[1]) for row in rows}

        return await self._db.read(read)

    async def save_conversation(self, name: str, key: str, state: str | None) -> None:
        """The state a conversation awaits now; None: it ended."""

        def write(connection: sqlite3.Connection) -> None:
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
