"""`ActiveLease`: of the bot processes sharing one PostgreSQL store, one is active.

Telegram hands one bot's updates to one consumer, so a second process is a standby: it waits
for the lease before it loads anything or asks Telegram for updates, and takes over the
moment the active process is gone. The lease is a PostgreSQL session advisory lock held by
one connection for the life of the process: when the process dies its connection closes and
the server frees the lock at once, and the waiting standby's `pg_advisory_lock` returns.

A host that loses the network without dying is covered from both ends: the active process
checks its lock's connection every few seconds and stops when it is gone (another process may
be taking over), and the server drops the connection of a silent host after a short TCP
keepalive (~11 s), longer than the active process takes to notice and stop. Exactly-once
does not rest on the lease: the ledger's checkout records do that across any hand-over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg
from psycopg.conninfo import make_conninfo

from shop.postgres_db import CONNECT_TIMEOUT_SECONDS, redacted_url

logger = logging.getLogger(__name__)

# The lock's key: any fixed number ("shop-bot" in ASCII). One store serves one bot.
LEASE_KEY = 0x73686F702D626F74
CHECK_SECONDS = 2.0  # how often the active process makes sure it still holds the lease
RETRY_SECONDS = 2.0  # how soon a standby that lost the server tries again
# The server's side: a host silent for 5 s, then 3 probes 2 s apart, loses its connection.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}
SERVER_KEEPALIVE = (
    "SET tcp_keepalives_idle = 5",
    "SET tcp_keepalives_interval = 2",
    "SET tcp_keepalives_count = 3",
)


class ActiveLease:
    """`await lease.acquire()` waits until this process is the active one; `hold(on_lost)`
    runs beside the bot; `release()` lets a standby take over (a clean stop)."""

    def __init__(self, url: str, *, check_seconds: float = CHECK_SECONDS) -> None:
        self.url = url
        self._check_seconds = check_seconds
        self._connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def acquire(self) -> None:
        where = redacted_url(self.url)
        said_waiting = False
        while True:
            try:
                connection = await self._connect()
                if await _locked(connection, "pg_try_advisory_lock"):
                    break
                if not said_waiting:
                    logger.info(
                        "standby: another bot process is active on %s; waiting to take over",
                        where,
                    )
                    said_waiting = True
                if await _locked(connection, "pg_advisory_lock"):  # waits on the server
                    break
            except psycopg.OperationalError as error:
                logger.warning("the store %s cannot be reached (%s); trying again", where, error)
                await self.release()
                await asyncio.sleep(RETRY_SECONDS)
        logger.info("active: this process serves the bot (store %s)", where)

    async def hold(self, on_lost: Callable[[], None]) -> None:
        """Until cancelled: every few seconds, make sure the lease's connection is alive;
        when it is not, call `on_lost` (the process must stop serving) and return."""
        while True:
            await asyncio.sleep(self._check_seconds)
            connection = self._connection
            try:
                if connection is None:
                    raise psycopg.OperationalError("the lease's connection is closed")
                await asyncio.wait_for(connection.execute("SELECT 1"), self._check_seconds)
            except (psycopg.Error, TimeoutError) as error:
                logger.error(
                    "lost the lease on the store (%s): stopping so a standby can serve", error
                )
                on_lost()
                return

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                await connection.close()

    async def _connect(self) -> psycopg.AsyncConnection[tuple[object, ...]]:
        if self._connection is None or self._connection.closed or self._connection.broken:
            self._connection = None
            connection = await psycopg.AsyncConnection.connect(
                make_conninfo(self.url, connect_timeout=CONNECT_TIMEOUT_SECONDS, **KEEPALIVE),
                autocommit=True,
            )
            for statement in SERVER_KEEPALIVE:
                await connection.execute(statement)
            self._connection = connection
        return self._connection


async def _locked(connection: psycopg.AsyncConnection[tuple[object, ...]], function: str) -> bool:
    """`pg_try_advisory_lock` answers at once; `pg_advisory_lock` returns once granted."""
    if function == "pg_try_advisory_lock":
        cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (LEASE_KEY,))
    else:
        cursor = await connection.execute("SELECT pg_advisory_lock(%s) IS NULL", (LEASE_KEY,))
    row = await cursor.fetchone()
    return bool(row and row[0])
