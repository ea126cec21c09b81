"""`PostgresDatabase`: the store's server engine, for hosts whose disks do not last and for
a standby process that takes over (`shop/active_lease.py`).

psycopg 3: the writer thread holds one connection and commits in groups like the SQLite
engine (`shop/database.py`); reads go through a small asyncio connection pool, so a query
never blocks the event loop. The queries are the SQLite engine's: `?` placeholders become
psycopg's `%s`, and rows answer by column name or position alike. The schema versions are in
`schema_versions`, one row per component (the ledger, the chat state); migrations run under
an advisory lock, so two processes starting at once do not both apply one.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlsplit

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from shop.database import Cursor, Database, LedgerClosed, Parameters, Session, newer_than_known

# A connection that cannot be made within this gives up (the check and start-up say why).
CONNECT_TIMEOUT_SECONDS = 5
READ_POOL_SIZE = 8
# The key of the advisory lock migrations run under (any fixed number; "schema" in ASCII).
MIGRATION_LOCK = 0x736368656D61

VERSIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_versions (
    component  TEXT PRIMARY KEY,
    version    INTEGER NOT NULL
)
"""


class PgRow:
    """A row by column name or position, as `sqlite3.Row` answers."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self._values) == (tuple(other._values) if isinstance(other, PgRow) else other)

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    def keys(self) -> list[str]:
        return list(self._index)


def pg_row(cursor: Any) -> RowMaker[PgRow]:
    """psycopg's row factory for `PgRow`."""
    names = [column.name for column in cursor.description or ()]
    index = {name: position for position, name in enumerate(names)}
    return lambda values: PgRow(values, index)


@functools.lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """The store's SQL for psycopg: `?` placeholders as `%s` (and a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Session:
    """The writer's connection as a `Session`."""

    def __init__(self, connection: psycopg.Connection[PgRow]) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Parameters = (), /) -> Cursor:
        return self._connection.execute(pg_sql(sql), tuple(parameters))

    def executemany(self, sql: str, rows: Sequence[Parameters], /) -> Cursor:
        cursor = self._connection.cursor()
        cursor.executemany(pg_sql(sql), [tuple(row) for row in rows])
        return cursor


class PostgresDatabase(Database[psycopg.Connection[PgRow]]):
    dialect = "postgresql"

    def __init__(
        self, url: str, *, durable_commits: bool = True, pool_size: int = READ_POOL_SIZE
    ) -> None:
        """`durable_commits=False`: a commit returns once the server has it, before its WAL
        is flushed (`synchronous_commit=off`): a killed bot loses nothing, a crash of the
        server's host the last fraction of a second (SQLite's `synchronous=NORMAL`)."""
        super().__init__()
        self.url = url
        self._durable_commits = durable_commits
        self._pool_size = pool_size
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[PgRow]] | None = None

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    def describe(self) -> str:
        return f"the PostgreSQL database {redacted_url(self.url)}"

    # -- connections -------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[PgRow]:
        connection = psycopg.Connection.connect(
            self.url,
            autocommit=True,
            row_factory=pg_row,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        if not self._durable_commits:
            connection.execute("SET synchronous_commit = off")
        return connection

    def _session(self, connection: psycopg.Connection[PgRow]) -> Session:
        return _Session(connection)

    def _control(self, connection: psycopg.Connection[PgRow], statements: list[str]) -> None:
        """One round trip for all of them (the simple query protocol takes a script)."""
        connection.execute(cast(Any, "; ".join(statements)))

    def _in_transaction(self, connection: psycopg.Connection[PgRow]) -> bool:
        return connection.info.transaction_status != TransactionStatus.IDLE

    def _usable(self, connection: psycopg.Connection[PgRow]) -> bool:
        return not (connection.closed or connection.broken)

    def _close_connection(self, connection: psycopg.Connection[PgRow]) -> None:
        connection.close()

    async def _open_reading(self) -> None:
        pool: AsyncConnectionPool[psycopg.AsyncConnection[PgRow]] = AsyncConnectionPool(
            self.url,
            connection_class=psycopg.AsyncConnection[PgRow],
            kwargs={
                "autocommit": True,
                "row_factory": pg_row,
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            },
            min_size=1,
            max_size=self._pool_size,
            open=False,
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
        await pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        self._pool = pool

    async def _close_reading(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    # -- reading -----------------------------------------------------------------------------

    def _reading(self) -> AsyncConnectionPool[psycopg.AsyncConnection[PgRow]]:
        if self._pool is None:
            raise LedgerClosed("the store is not open")
        return self._pool

    async def one(self, sql: str, parameters: Parameters = ()) -> Any:
        rows = await self._read(sql, parameters, many=False)
        return rows[0] if rows else None

    async def all(self, sql: str, parameters: Parameters = ()) -> list[Any]:
        return await self._read(sql, parameters, many=True)

    async def _read(self, sql: str, parameters: Parameters, *, many: bool) -> list[Any]:
        """A read on a pooled connection; once more on another if that one was broken (the
        server restarted since it was last used; the pool drops it). A read does nothing
        twice."""
        try:
            return await self._read_once(pg_sql(sql), tuple(parameters), many)
        except psycopg.OperationalError:
            return await self._read_once(pg_sql(sql), tuple(parameters), many)

    async def _read_once(self, sql: str, parameters: tuple[Any, ...], many: bool) -> list[Any]:
        async with self._reading().connection() as connection:
            cursor = await connection.execute(sql, parameters)
            if many:
                return await cursor.fetchall()
            row = await cursor.fetchone()
            return [] if row is None else [row]

    # -- the schema --------------------------------------------------------------------------

    async def schema_version(self, component: str) -> int:
        async with self._reading().connection() as connection:
            return await _version(connection, component)

    async def migrate(self, component: str, migrations: Sequence[str]) -> list[int]:
        applied: list[int] = []
        async with self._reading().connection() as connection, connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            await connection.execute(VERSIONS_TABLE)
            version = await _version(connection, component)
            if version > len(migrations):
                raise newer_than_known(self.describe(), version, len(migrations))
            for number, script in enumerate(migrations[version:], start=version + 1):
                async with connection.transaction():
                    await connection.execute(cast(Any, script))
                    await connection.execute(
                        "INSERT INTO schema_versions (component, version) VALUES (%s, %s) "
                        "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                        (component, number),
                    )
                applied.append(number)
        return applied


async def _version(connection: psycopg.AsyncConnection[PgRow], component: str) -> int:
    cursor = await connection.execute("SELECT to_regclass('schema_versions') IS NOT NULL")
    exists = await cursor.fetchone()
    if not (exists and exists[0]):
        return 0
    cursor = await connection.execute(
        "SELECT version FROM schema_versions WHERE component = %s", (component,)
    )
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


def redacted_url(url: str) -> str:
    """The URL without its password: postgresql://user@host:port/database."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"
