"""`SqliteDatabase`: the store's embedded engine, a SQLite file in the data directory.

Writes go through the shared writer thread (`shop/database.py`); reads go straight to a
second connection on the event loop's thread: WAL readers never wait for the writer, an
indexed look-up takes microseconds, and a trip to a thread and back would cost more than the
query. `PRAGMA user_version` holds the schema version (one component per file).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from shop.database import Database, LedgerClosed, Parameters, Session, newer_than_known


class SqliteDatabase(Database[sqlite3.Connection]):
    dialect = "sqlite"
    begin = "BEGIN IMMEDIATE"

    def __init__(self, path: Path, pragmas: Sequence[str] = ("journal_mode=WAL",)) -> None:
        """`pragmas` ("journal_mode=WAL", "synchronous=FULL") apply to both connections."""
        super().__init__()
        self.path = path
        self._pragmas = tuple(pragmas)
        self._reader: sqlite3.Connection | None = None

    @property
    def is_open(self) -> bool:
        return self._reader is not None

    def describe(self) -> str:
        return f"the SQLite file {self.path}"

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await super().open()

    # -- connections -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode (isolation_level=None): the only transactions are the explicit ones.
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            for pragma in self._pragmas:
                connection.execute(f"PRAGMA {pragma}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _session(self, connection: sqlite3.Connection) -> Session:
        return cast(Session, connection)

    def _in_transaction(self, connection: sqlite3.Connection) -> bool:
        return connection.in_transaction

    def _usable(self, connection: sqlite3.Connection) -> bool:
        return True

    def _close_connection(self, connection: sqlite3.Connection) -> None:
        connection.close()

    async def _open_reading(self) -> None:
        self._reader = self._connect()

    async def _close_reading(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()

    # -- reading -----------------------------------------------------------------------------

    def _reading(self) -> sqlite3.Connection:
        if self._reader is None:
            raise LedgerClosed("the store is not open")
        return self._reader

    async def one(self, sql: str, parameters: Parameters = ()) -> Any:
        return self._reading().execute(sql, parameters).fetchone()

    async def all(self, sql: str, parameters: Parameters = ()) -> list[Any]:
        return self._reading().execute(sql, parameters).fetchall()

    # -- the schema --------------------------------------------------------------------------

    async def schema_version(self, component: str) -> int:
        row = await self.one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, component: str, migrations: Sequence[str]) -> list[int]:
        """Each migration a script with its own transaction, on the reading connection,
        before anything else is served."""
        version = await self.schema_version(component)
        if version > len(migrations):
            raise newer_than_known(self.describe(), version, len(migrations))
        applied = []
        for number, script in enumerate(migrations[version:], start=version + 1):
            reader = self._reading()
            try:
                reader.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            except BaseException:
                if reader.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        reader.execute("ROLLBACK")
                raise
            applied.append(number)
        return applied
