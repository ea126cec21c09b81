"""The store's lease on PostgreSQL: one holder at a time, the next takes over when the holder
lets go or dies, and a holder whose connection is cut is told it lost the lease."""

from __future__ import annotations

import asyncio

import psycopg

from shop.active_lease import ActiveLease
from shop.store import Store


async def test_the_second_waits_and_takes_over_when_the_first_lets_go(
    postgres_store: Store,
) -> None:
    assert postgres_store.url is not None
    first, second = ActiveLease(postgres_store.url), ActiveLease(postgres_store.url)
    await first.acquire()
    waiting = asyncio.create_task(second.acquire())
    try:
        with psycopg.connect(postgres_store.url, autocommit=True) as db:
            # The second is parked on the server, behind the first's lock.
            while not db.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchone()[0]:
                await asyncio.sleep(0)  # let the second's connection make its request
                if waiting.done():
                    raise AssertionError("the second took the lease the first holds")
        assert not waiting.done()
        await first.release()
        await asyncio.wait_for(waiting, 10)
    finally:
        waiting.cancel()
        await first.release()
        await second.release()


async def test_a_holder_whose_connection_is_cut_is_told(postgres_store: Store) -> None:
    assert postgres_store.url is not None
    lease = ActiveLease(postgres_store.url, check_seconds=0.05)
    await lease.acquire()
    lost = asyncio.Event()
    holding = asyncio.create_task(lease.hold(lost.set))
    try:
        with psycopg.connect(postgres_store.url, autocommit=True) as db:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted"
            )
        await asyncio.wait_for(lost.wait(), 10)
        await asyncio.wait_for(holding, 10)
    finally:
        holding.cancel()
        await lease.release()
