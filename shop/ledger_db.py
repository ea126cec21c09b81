"""`LedgerDatabase`: one SQLite connection, owned by one thread, one hop per transaction.

Why not a connection driven statement by statement from the event loop (aiosqlite): each
statement is a round trip to the database thread and back through the loop, and a transaction
must hold a lock across all of its round trips. Under load the loop is busy, every round trip
waits its turn, and the lock turns that wait into a queue: 200 customers confirming at once
waited ~2.5 s for the ledger, against 150 ms for OneEntry (docs/benchmarks.md). Here a
transaction is a plain function run whole in the database thread: one round trip, and the
thread itself serialises writers, so no lock is held across awaits.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]


class LedgerClosed(RuntimeError):
    """The ledger was used before `open()` or after `close()`."""


class LedgerDatabase:
    """`await db.read(fn)` / `await db.write(fn)` run `fn(connection)` in the database
    thread; `write` wraps it in `BEGIN IMMEDIATE` … `COMMIT` (`ROLLBACK` if it raises)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor: ThreadPoolExecutor | None = None
        self._connection: sqlite3.Connection | None = None

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    async def open(self, *pragmas: str) -> None:
        """Connect (the file is created if missing) and apply `pragmas` ("journal_mode=WAL")."""
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        try:
            self._connection = await self._in_thread(partial(_connect, self.path, pragmas))
        except BaseException:
            self._executor.shutdown(wait=False)
            self._executor = None
            raise

    async def close(self) -> None:
        executor, connection = self._executor, self._connection
        self._executor, self._connection = None, None
        if executor is None:
            return
        if connection is not None:
            await asyncio.get_running_loop().run_in_executor(executor, connection.close)
        executor.shutdown(wait=True)

    async def read(self, work: Work[T]) -> T:
        connection = self._open_connection()
        return await self._in_thread(partial(work, connection))

    async def write(self, work: Work[T]) -> T:
        connection = self._open_connection()
        return await self._in_thread(partial(_transaction, connection, work))

    async def script(self, sql: str) -> None:
        """Run a whole script (a migration: it carries its own BEGIN and COMMIT)."""
        connection = self._open_connection()
        await self._in_thread(partial(connection.executescript, sql))

    def _open_connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise LedgerClosed("the ledger is not open")
        return self._connection

    async def _in_thread(self, call: Callable[[], T]) -> T:
        if self._executor is None:
            raise LedgerClosed("the ledger is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)


def _connect(path: Path, pragmas: tuple[str, ...]) -> sqlite3.Connection:
    # Autocommit mode (isolation_level=None): transactions are the explicit ones of `write`.
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        for pragma in pragmas:
            connection.execute(f"PRAGMA {pragma}")
    except BaseException:
        connection.close()
        raise
    return connection


def _transaction(connection: sqlite3.Connection, work: Work[T]) -> T:
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result
