"""`LedgerDatabase`: the ledger's SQLite file, written by one thread in group commits and read
directly.

Why this shape, measured under load (200 customers confirming within seconds,
docs/benchmarks.md):

- Statement by statement from the event loop (aiosqlite), with a lock held across a
  transaction's round trips, Confirm waited ~2.5 s for the ledger against 150 ms for OneEntry.
- One thread running each transaction whole still queued: a commit waits for its fsync, and
  every statement the thread runs must win the GIL back from the busy event loop (up to
  5 ms each), so writes waited 110 ms at p50 and 0.6 s at p99 behind one another.
- So writes queued together are committed together: the writer thread takes every write
  waiting, runs each in its own savepoint (one that fails is rolled back alone) and commits
  them with one fsync. The fsync, `synchronous=FULL`, is kept: a checkout is on disk before
  its order is created, which is what exactly-once rests on.
- Reads go straight to a second connection on the event loop's thread: WAL readers never wait
  for the writer, an indexed look-up takes microseconds, and a trip to the thread and back
  would cost more than the query.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]

# Writes committed together at most; a burst larger than this makes more commits.
MAX_GROUP = 256


class LedgerClosed(RuntimeError):
    """The ledger was used before `open()` or after `close()`."""


@dataclass
class _Write:
    """One write waiting for the writer thread, and where its outcome goes."""

    work: Work[Any]
    future: asyncio.Future[Any]
    outcome: tuple[bool, Any] = field(default=(False, None))


class LedgerDatabase:
    """`await db.write(fn)` runs `fn(connection)` in a transaction of the writer thread (in
    a savepoint of a group commit); `await db.read(fn)` runs `fn(connection)` at once on a
    reading connection. `fn` never holds on to the connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reader: sqlite3.Connection | None = None
        self._writes: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None

    @property
    def is_open(self) -> bool:
        return self._reader is not None

    async def open(self, *pragmas: str) -> None:
        """Connect (the file is created if missing); `pragmas` ("journal_mode=WAL") apply to
        both connections."""
        if self._writer is not None:
            return
        loop = asyncio.get_running_loop()
        started: asyncio.Future[None] = loop.create_future()
        self._writer = threading.Thread(
            target=self._write_forever,
            args=(pragmas, loop, started),
            name="ledger-writer",
            daemon=True,
        )
        self._writer.start()
        try:
            await started
            self._reader = _connect(self.path, pragmas)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Finish the writes already queued, then close both connections."""
        writer, reader = self._writer, self._reader
        self._writer, self._reader = None, None
        if reader is not None:
            reader.close()
        if writer is not None:
            self._writes.put(None)
            await asyncio.to_thread(writer.join)

    async def read(self, work: Work[T]) -> T:
        if self._reader is None:
            raise LedgerClosed("the ledger is not open")
        return work(self._reader)

    async def write(self, work: Work[T]) -> T:
        if self._writer is None:
            raise LedgerClosed("the ledger is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._writes.put(_Write(work, future))
        return await future

    async def probe_write(self) -> None:
        """An empty write transaction on the writing connection: it raises unless the writer
        is running and can take the database's write lock (not read-only, not locked by
        another writer). The readiness check's "store writable"."""
        await self.write(_write_nothing)

    async def script(self, sql: str) -> None:
        """Run a whole script at start-up (a migration: it carries its own BEGIN and
        COMMIT), on the reading connection, before anything else is served."""
        if self._reader is None:
            raise LedgerClosed("the ledger is not open")
        self._reader.executescript(sql)

    # -- the writer thread -------------------------------------------------------------------

    def _write_forever(
        self,
        pragmas: tuple[str, ...],
        loop: asyncio.AbstractEventLoop,
        started: asyncio.Future[None],
    ) -> None:
        try:
            connection = _connect(self.path, pragmas)
        except Exception as error:
            loop.call_soon_threadsafe(_settle, started, (False, error))
            return
        loop.call_soon_threadsafe(_settle, started, (True, None))
        try:
            while (group := self._next_group()) is not None:
                _commit_group(connection, group)
                loop.call_soon_threadsafe(_settle_group, group)
        finally:
            connection.close()

    def _next_group(self) -> list[_Write] | None:
        """Wait for a write, then take the others already waiting (None: closing)."""
        first = self._writes.get()
        if first is None:
            return None
        group = [first]
        while len(group) < MAX_GROUP:
            try:
                write = self._writes.get_nowait()
            except queue.Empty:
                break
            if write is None:
                self._writes.put(None)  # close after this group
                break
            group.append(write)
        return group


def _connect(path: Path, pragmas: tuple[str, ...]) -> sqlite3.Connection:
    # Autocommit mode (isolation_level=None): the only transactions are the explicit ones.
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        for pragma in pragmas:
            connection.execute(f"PRAGMA {pragma}")
    except BaseException:
        connection.close()
        raise
    return connection


def _commit_group(connection: sqlite3.Connection, group: list[_Write]) -> None:
    """Each write in a savepoint of one transaction; a write that raises is rolled back
    alone. If the commit itself fails, every write of the group fails with it."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        for write in group:
            connection.execute("SAVEPOINT one_write")
            try:
                write.outcome = (True, write.work(connection))
            except Exception as error:
                connection.execute("ROLLBACK TO one_write")
                write.outcome = (False, error)
            connection.execute("RELEASE one_write")
        connection.execute("COMMIT")
    except Exception as error:
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        for write in group:
            write.outcome = (False, error)


def _write_nothing(connection: sqlite3.Connection) -> None:
    """A write that changes nothing, so its transaction only proves one can be made."""


def _settle_group(group: list[_Write]) -> None:
    for write in group:
        _settle(write.future, write.outcome)


def _settle(future: asyncio.Future[Any], outcome: tuple[bool, Any]) -> None:
    """Resolve `future` on the loop's thread, unless its waiter has given up."""
    if future.done():
        return
    succeeded, value = outcome
    if succeeded:
        future.set_result(value)
    else:
        future.set_exception(value)
