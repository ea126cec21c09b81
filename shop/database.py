"""`Database`: one of the store's engines (SQLite or PostgreSQL), written by one thread in
group commits and read directly.

The ledger and the chat-state store speak to a `Database` only: a write is a function of a
`Session` (one transaction's statements, SQL that both engines accept, `?` placeholders), a
read is one statement. What differs between the engines (how to connect, how to read without
blocking the event loop, where the schema version is kept) is each engine's own
(`shop/sqlite_db.py`, `shop/postgres_db.py`); the schema scripts themselves come per dialect.

Why this shape, measured under load (200 customers confirming within seconds,
docs/benchmarks.md):

- Statement by statement from the event loop (aiosqlite), with a lock held across a
  transaction's round trips, Confirm waited ~2.5 s for the ledger against 150 ms for OneEntry.
- One thread running each transaction whole still queued: a commit waits for its fsync, and
  every statement the thread runs must win the GIL back from the busy event loop (up to
  5 ms each), so writes waited 110 ms at p50 and 0.6 s at p99 behind one another.
- So writes queued together are committed together: the writer thread takes every write
  waiting, runs each in its own savepoint (one that fails is rolled back alone) and commits
  them with one fsync. The fsync is kept: a checkout is on disk before its order is created,
  which is what exactly-once rests on.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
C = TypeVar("C")  # an engine's own connection type

# Writes committed together at most; a burst larger than this makes more commits.
MAX_GROUP = 256

Parameters = Sequence[Any]


class Row(Protocol):
    """A result row, by column name or position (sqlite3.Row, and the PostgreSQL engine's)."""

    def __getitem__(self, key: int | str, /) -> Any: ...


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Session(Protocol):
    """One write's statements, inside the writer's transaction."""

    def execute(self, sql: str, parameters: Parameters = (), /) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Parameters], /) -> Cursor: ...


Work = Callable[[Session], T]


class LedgerClosed(RuntimeError):
    """The store was used before `open()` or after `close()`."""


@dataclass
class _Write:
    """One write waiting for the writer thread, and where its outcome goes."""

    work: Work[Any]
    future: asyncio.Future[Any]
    outcome: tuple[bool, Any] = field(default=(False, None))


class Database(ABC, Generic[C]):
    """`await db.write(fn)` runs `fn(session)` in a transaction of the writer thread (in a
    savepoint of a group commit); `await db.one(sql, parameters)` and `db.all(...)` read.
    `fn` never holds on to the session."""

    dialect: str  # "sqlite" or "postgresql": which schema scripts apply
    begin: str = "BEGIN"

    def __init__(self) -> None:
        self._writes: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None

    # -- what each engine provides -----------------------------------------------------------

    @property
    @abstractmethod
    def is_open(self) -> bool: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the data is, for messages (never with a password)."""

    @abstractmethod
    def _connect(self) -> C:
        """The writer thread's connection (called in that thread)."""

    @abstractmethod
    def _session(self, connection: C) -> Session: ...

    @abstractmethod
    def _in_transaction(self, connection: C) -> bool: ...

    @abstractmethod
    def _usable(self, connection: C) -> bool:
        """False when the connection broke and the writer must connect again."""

    @abstractmethod
    def _close_connection(self, connection: C) -> None: ...

    @abstractmethod
    async def _open_reading(self) -> None: ...

    @abstractmethod
    async def _close_reading(self) -> None: ...

    @abstractmethod
    async def one(self, sql: str, parameters: Parameters = ()) -> Any:
        """The first row of a query, None if there is none."""

    @abstractmethod
    async def all(self, sql: str, parameters: Parameters = ()) -> list[Any]: ...

    @abstractmethod
    async def schema_version(self, component: str) -> int:
        """How many of `component`'s migrations this database has had."""

    @abstractmethod
    async def migrate(self, component: str, migrations: Sequence[str]) -> list[int]:
        """Apply the migrations after the database's version, before anything is served;
        returns the versions applied. A database newer than `migrations` is refused."""

    # -- life cycle --------------------------------------------------------------------------

    async def open(self) -> None:
        """Connect the writer thread, then the readers (the database is created if it is a
        missing SQLite file)."""
        if self._writer is not None:
            return
        loop = asyncio.get_running_loop()
        started: asyncio.Future[None] = loop.create_future()
        self._writer = threading.Thread(
            target=self._write_forever, args=(loop, started), name="store-writer", daemon=True
        )
        self._writer.start()
        try:
            await started
            await self._open_reading()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Finish the writes already queued, then close every connection."""
        writer, self._writer = self._writer, None
        await self._close_reading()
        if writer is not None:
            self._writes.put(None)
            await asyncio.to_thread(writer.join)

    async def probe_write(self) -> None:
        """An empty write transaction on the writing connection: it raises unless the writer
        is running and can take the database's write lock (not read-only, not locked by
        another writer). The readiness check's "store writable"."""
        await self.write(_write_nothing)

    async def write(self, work: Work[T]) -> T:
        if self._writer is None:
            raise LedgerClosed("the store is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._writes.put(_Write(work, future))
        return await future

    # -- the writer thread -------------------------------------------------------------------

    def _write_forever(
        self, loop: asyncio.AbstractEventLoop, started: asyncio.Future[None]
    ) -> None:
        try:
            connection = self._connect()
        except Exception as error:
            loop.call_soon_threadsafe(_settle, started, (False, error))
            return
        loop.call_soon_threadsafe(_settle, started, (True, None))
        try:
            while (group := self._next_group()) is not None:
                if not self._usable(connection):
                    connection = self._reconnect(connection)
                connection = self._commit_group(connection, group)
                loop.call_soon_threadsafe(_settle_group, group)
        finally:
            self._close_connection(connection)

    def _reconnect(self, broken: C) -> C:
        self._close_connection(broken)
        try:
            return self._connect()
        except Exception:
            return broken  # this group fails on it; the next one tries again

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

    def _control(self, connection: C, statements: list[str]) -> None:
        """Run the transaction's own statements (BEGIN, SAVEPOINT, RELEASE, COMMIT), in
        order; an engine that can send them in one round trip does."""
        session = self._session(connection)
        for statement in statements:
            session.execute(statement)

    def _begin(self, connection: C) -> C:
        """Open the group's transaction and its first savepoint. Where the connection turns
        out broken (the server restarted while it was idle), once more on a new one: nothing
        was done, so nothing can be done twice."""
        opening = [self.begin, "SAVEPOINT one_write"]
        try:
            self._control(connection, opening)
        except Exception:
            if self._usable(connection):
                raise
            connection = self._reconnect(connection)
            self._control(connection, opening)
        return connection

    def _commit_group(self, connection: C, group: list[_Write]) -> C:
        """Each write in a savepoint of one transaction; a write that raises is rolled back
        alone. If the commit itself fails, every write of the group fails with it. The
        control statements between two writes go together (`_control`). Returns the
        connection to go on with."""
        try:
            connection = self._begin(connection)
            session = self._session(connection)
            for number, write in enumerate(group):
                if number:
                    self._control(connection, ["RELEASE one_write", "SAVEPOINT one_write"])
                try:
                    write.outcome = (True, write.work(session))
                except Exception as error:
                    self._control(connection, ["ROLLBACK TO one_write"])
                    write.outcome = (False, error)
            self._control(connection, ["RELEASE one_write", "COMMIT"])
        except Exception as error:
            try:
                if self._in_transaction(connection):
                    self._control(connection, ["ROLLBACK"])
            except Exception:
                pass  # a broken connection: the next group connects again
            for write in group:
                write.outcome = (False, error)
        return connection


def _write_nothing(session: Session) -> None:
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


def newer_than_known(where: str, version: int, known: int) -> RuntimeError:
    return RuntimeError(
        f"{where} has schema version {version}, newer than this bot knows ({known}); "
        "run the newer version of the bot"
    )
