"""`python -m bench.checkout --customers N --latency-ms MS --json PATH`: the load benchmark.

The stand-ins and the bot run as child processes (see `processes.py`); this process is the
crowd of customers, driving the Telegram fake over HTTP. One run has these phases, each with a
fresh bot process unless said otherwise:

0. flash sale: for each `--flash-sale` crowd, that many customers arrive within
   `--arrival-seconds` and order, the bot as shipped (its rate limit on) and the Telegram fake
   refusing, as Telegram does, whatever exceeds 30 messages a second or 20 a minute in a
   group (figures `0_flash_sale`);
1. the bot's own ceiling: N customers order at once, the bot's rate limit off, OneEntry
   answering in MS per call, each customer pausing `--think-ms` on average to read an answer
   before the next tap (figures 1-5);
2. ceiling: the same bot, N more journeys with OneEntry answering instantly and no pauses
   (figure 7);
3. one at a time: a bot with UPDATE_CONCURRENCY=1, PTB's default, the phase-1 load (figure 8);
4. idle: customers left at the email step, and the bot's memory per customer (figure 6).

It prints a table and writes the same figures as JSON, keys named after the issue's figures.
`--database postgresql` runs every phase with the store in PostgreSQL (DATABASE_URL): a
throwaway server of this machine's binaries (`sandbox/postgres_server.py`, fsync on, as a real
server has it), a fresh database per bot; the default is SQLite in each bot's data directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import figures, procfs
from bench.checkout_form import CheckoutForm, read_checkout_form
from bench.journey import JourneyResult, idle_at_email_step, order_journey
from bench.processes import Child, StandIns, bot_process, stand_ins
from oneentry_client.aiohttp_transport import AiohttpTransport
from sandbox.postgres_server import ThrowawayPostgres
from sandbox.telegram.driver import TelegramFakeClient
from sandbox.telegram.flood import limits_message

READY_TIMEOUT = 60.0
IDLE_IN_FLIGHT = 200
IDLE_WARMUP = 200
# What Telegram lets a bot send in a second, the physical limit of a flash sale.
TELEGRAM_MESSAGES_PER_SECOND = 30


@dataclass(frozen=True)
class Options:
    customers: int
    latency_ms: float
    think_ms: float
    idle_customers: int
    sequential_customers: int
    workdir: Path
    flash_sale: tuple[int, ...] = ()
    arrival_seconds: float = 3.0
    postgres: ThrowawayPostgres | None = None  # --database postgresql
    shop: str = "tea"  # the shop the emulator plays (--shop)


class Crowd:
    """The load generator's side: the fake's driver, for every customer and the control
    calls, the emulator's control API, and the shop's order form as its customers answer it
    (read once per run; none for a crowd that never checks out)."""

    def __init__(self, stand: StandIns, form: CheckoutForm | None = None) -> None:
        self.fake = _fake_client(stand.telegram_url)
        self.oneentry = httpx.AsyncClient(base_url=stand.oneentry_url, timeout=30.0)
        self._form = form
        self._next_user_id = 1_000_000

    @property
    def form(self) -> CheckoutForm:
        if self._form is None:
            raise RuntimeError("this crowd was given no order form to answer")
        return self._form

    def user_ids(self, count: int) -> range:
        first = self._next_user_id
        self._next_user_id += count
        return range(first, first + count)

    async def set_latency(self, ms: float) -> None:
        response = await self.oneentry.post(
            "/__sandbox__/latency", json={"endpoint": "*", "ms": ms}
        )
        response.raise_for_status()

    async def oneentry_calls(self) -> Counter[str]:
        response = await self.oneentry.get("/__sandbox__/requests")
        response.raise_for_status()
        return Counter(record["endpoint"] or record["path"] for record in response.json())

    async def clear_oneentry_log(self) -> None:
        (await self.oneentry.delete("/__sandbox__/requests")).raise_for_status()

    async def telegram_calls(self, after_seq: int = 0) -> Counter[str]:
        return Counter(
            call["method"] for call in await self.fake.calls() if call["seq"] > after_seq
        )

    async def refused_by_flood_control(self) -> int:
        refused: int = (await self.fake.flood())["refused"]
        return refused

    async def last_call_seq(self) -> int:
        calls = await self.fake.calls()
        return calls[-1]["seq"] if calls else 0

    async def bot_ready(self) -> None:
        """Return once the bot answers `/start` (its start-up is over)."""
        [user_id] = self.user_ids(1)
        customer = await self.fake.customer(user_id, "Ready check")
        await customer.command("start")
        await customer.wait_for_message(timeout=READY_TIMEOUT)

    async def aclose(self) -> None:
        await self.fake.aclose()
        await self.oneentry.aclose()


def _fake_client(base_url: str) -> TelegramFakeClient:
    """The driver over aiohttp: one pool for the whole crowd costs O(1) per request, where
    httpx's own transport scans every connection of its pool on each (O(N²) per step of N
    customers, once the crowd's biggest cost)."""
    transport = AiohttpTransport(httpx.Limits(max_connections=None), trust_env=False)
    http = httpx.AsyncClient(base_url=base_url, timeout=120.0, transport=transport)
    return TelegramFakeClient(base_url, http=http)


@dataclass(frozen=True)
class Journeys:
    """A phase's journeys: those completed, the seconds from the first start to the last
    Pay button, and why any failed (a failed customer is counted, not fatal)."""

    results: list[JourneyResult]
    seconds: float
    failures: list[str]

    def figures(self, prefix: str) -> dict[str, Any]:
        if not self.failures:
            return {}
        return {
            f"{prefix}_journeys_failed": len(self.failures),
            f"{prefix}_first_failure": self.failures[0],
        }


async def _journeys(
    crowd: Crowd, count: int, think_seconds: float, arrival_seconds: float = 0.0
) -> Journeys:
    """`count` customers at once, or arriving evenly spread over `arrival_seconds` (in an order
    seeded by the count, so every run is the same)."""
    offsets = [arrival_seconds * n / count for n in range(count)]
    random.Random(count).shuffle(offsets)
    started = time.monotonic()
    outcomes = await asyncio.gather(
        *(
            order_journey(crowd.fake, user_id, crowd.form, think_seconds, arrive_after)
            for user_id, arrive_after in zip(crowd.user_ids(count), offsets, strict=True)
        ),
        return_exceptions=True,
    )
    elapsed = time.monotonic() - started
    results = [outcome for outcome in outcomes if isinstance(outcome, JourneyResult)]
    failures = [
        f"{type(outcome).__name__}: {outcome}"[:300]
        for outcome in outcomes
        if isinstance(outcome, BaseException)
    ]
    if not results:
        raise RuntimeError(f"every journey failed; the first: {failures[0]}")
    return Journeys(results, elapsed, failures)


async def _bounded(jobs: Sequence[Callable[[], Awaitable[None]]], in_flight: int) -> None:
    slots = asyncio.Semaphore(in_flight)

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        async with slots:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


def _bot_dir(options: Options, name: str) -> Path:
    """A fresh data directory: customers of an earlier run (a reused --workdir) would be
    returning customers here, with other screens."""
    path = options.workdir / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


async def flash_sale(
    options: Options, stand: StandIns, crowd: Crowd, customers: int
) -> dict[str, Any]:
    """Phase 0 for one crowd: the bot as shipped under Telegram's flood control."""
    data_dir = _bot_dir(options, f"bot-flash-sale-{customers}")
    _fresh_store(options, stand, f"bot-flash-sale-{customers}")
    await crowd.fake.reset()
    await crowd.fake.flood_control(enabled=True)
    await crowd.set_latency(options.latency_ms)
    try:
        async with bot_process(
            stand, data_dir, None, data_dir / "trace.jsonl", shipped_rate_limit=True
        ):
            await crowd.bot_ready()
            seq = await crowd.last_call_seq()
            refused_before = await crowd.refused_by_flood_control()
            journeys = await _journeys(
                crowd, customers, options.think_ms / 1000, options.arrival_seconds
            )
            refused = await crowd.refused_by_flood_control() - refused_before
            telegram = await crowd.telegram_calls(after_seq=seq)
    finally:
        await crowd.fake.flood_control(enabled=False)
    results = journeys.results
    orders = len(results)
    chat_bound = sum(count for method, count in telegram.items() if limits_message(method))
    calls_per_order = chat_bound / orders
    limit = TELEGRAM_MESSAGES_PER_SECOND / calls_per_order
    orders_per_second = orders / journeys.seconds
    steps = {name: [r.step_seconds[name] for r in results] for name in results[0].step_seconds}
    return {
        "customers": customers,
        "confirm_to_pay_ms": figures.spread_ms([r.confirm_to_pay for r in results]),
        "step_wait_p99_ms": {
            name: figures.spread_ms(waits)["p99"] for name, waits in steps.items()
        },
        "orders_per_second": round(orders_per_second, 2),
        "chat_bound_calls_per_order": round(calls_per_order, 2),
        "physical_limit_orders_per_second": round(limit, 2),
        "ratio_to_physical_limit": round(orders_per_second / limit, 3),
        "telegram_429s": refused,
        "journeys_failed": len(journeys.failures),
        "telegram_calls_per_order": figures.per_order(telegram, orders),
        **({"first_failure": journeys.failures[0]} if journeys.failures else {}),
    }


def _fresh_store(options: Options, stand: StandIns, name: str) -> None:
    """With --database postgresql, the next bot gets an empty database of its own."""
    if options.postgres is not None:
        stand.bot_env["DATABASE_URL"] = options.postgres.new_database(name.replace("-", "_"))


async def journeys_and_ceiling(options: Options, stand: StandIns, crowd: Crowd) -> dict[str, Any]:
    """Phases 1 and 2 on one bot: figures 1-5 at the given latency, then figure 7."""
    data_dir = _bot_dir(options, "bot-concurrent")
    _fresh_store(options, stand, "bot-concurrent")
    trace = data_dir / "trace.jsonl"
    await crowd.set_latency(options.latency_ms)
    await crowd.clear_oneentry_log()
    async with bot_process(stand, data_dir, None, trace) as bot:
        await crowd.bot_ready()
        seq = await crowd.last_call_seq()
        before, wall_start = procfs.sample(bot.pid), time.time()
        harness_before = _harness_cpu(stand)
        journeys = await _journeys(crowd, options.customers, options.think_ms / 1000)
        after, wall_end = procfs.sample(bot.pid), time.time()
        harness = _harness_cpu(stand) - harness_before
        oneentry = await crowd.oneentry_calls()
        telegram = await crowd.telegram_calls(after_seq=seq)
        results = journeys.results
        orders = len(results)
        own = figures.own_latency_seconds(figures.read_trace(trace, wall_start, wall_end))
        phase1 = {
            "1_orders_per_second": round(orders / journeys.seconds, 2),
            "1_confirm_to_pay_ms": figures.spread_ms([r.confirm_to_pay for r in results]),
            "2_bot_own_latency_per_update_ms": {
                k: v for k, v in figures.spread_ms(own).items() if k in ("p50", "p99")
            },
            "3_oneentry_calls_per_order": figures.per_order(oneentry, orders),
            "3_oneentry_calls_total": dict(oneentry.most_common()),
            "4_telegram_calls_per_order": figures.per_order(telegram, orders),
            "5_bot_cpu_seconds_per_order": round(
                (after.cpu_seconds - before.cpu_seconds) / orders, 4
            ),
            "5_bot_peak_memory_mb": round(after.peak_rss_bytes / 2**20, 1),
            "5_harness_cpu_seconds_per_order": figures.per_order(harness, orders, digits=4),
            "orders_completed": orders,
            "updates_traced": len(own),
            **journeys.figures("1"),
        }
        phase2 = await _ceiling(crowd, stand, bot, options.customers)
    return {**phase1, **phase2}


def _harness_cpu(stand: StandIns) -> Counter[str]:
    """CPU seconds used so far by the processes that stand in for the world: the Telegram
    fake, the OneEntry emulator and this crowd. They share the machine with the bot."""
    return Counter(
        {
            "telegram_fake": procfs.sample(stand.telegram.pid).cpu_seconds,
            "oneentry_emulator": procfs.sample(stand.oneentry.pid).cpu_seconds,
            "crowd": procfs.sample(os.getpid()).cpu_seconds,
        }
    )


async def _ceiling(crowd: Crowd, stand: StandIns, bot: Child, customers: int) -> dict[str, Any]:
    """Figure 7: the same journeys as fast as the crowd can go, OneEntry answering instantly."""
    await crowd.set_latency(0)
    before, harness_before = procfs.sample(bot.pid), _harness_cpu(stand)
    journeys = await _journeys(crowd, customers, think_seconds=0)
    after, harness = procfs.sample(bot.pid), _harness_cpu(stand) - harness_before
    updates = sum(result.updates for result in journeys.results)
    cpu_per_update = (after.cpu_seconds - before.cpu_seconds) / updates
    return {
        "7_ceiling_updates_per_second_measured": round(updates / journeys.seconds, 1),
        "7_ceiling_updates_per_bot_cpu_second": (
            round(1 / cpu_per_update, 1) if cpu_per_update > 0 else None
        ),
        "7_bot_cpu_ms_per_update": round(cpu_per_update * 1000, 3),
        "7_harness_cpu_ms_per_update": figures.per_order(harness, updates / 1000, digits=3),
        "7_ceiling_confirm_to_pay_ms": figures.spread_ms(
            [r.confirm_to_pay for r in journeys.results]
        ),
        **journeys.figures("7"),
    }


async def one_at_a_time(
    options: Options, stand: StandIns, crowd: Crowd, concurrent_p99_ms: float
) -> dict[str, Any]:
    """Figure 8: the phase-1 load on a bot that handles one update at a time."""
    data_dir = _bot_dir(options, "bot-sequential")
    _fresh_store(options, stand, "bot-sequential")
    await crowd.fake.reset()
    await crowd.set_latency(options.latency_ms)
    async with bot_process(stand, data_dir, 1, data_dir / "trace.jsonl"):
        await crowd.bot_ready()
        journeys = await _journeys(crowd, options.sequential_customers, options.think_ms / 1000)
    spread = figures.spread_ms([r.confirm_to_pay for r in journeys.results])
    return {
        **journeys.figures("8"),
        "8_one_at_a_time_orders_per_second": round(len(journeys.results) / journeys.seconds, 2),
        "8_one_at_a_time_confirm_to_pay_ms": spread,
        "8_ratio_p99_one_at_a_time_to_concurrent": round(spread["p99"] / concurrent_p99_ms, 1),
    }


async def idle_memory(options: Options, stand: StandIns, crowd: Crowd) -> dict[str, Any]:
    """Figure 6: the bot's resident memory growth per customer left at the email step."""
    data_dir = _bot_dir(options, "bot-idle")
    _fresh_store(options, stand, "bot-idle")
    await crowd.fake.reset()
    await crowd.set_latency(0)
    async with bot_process(stand, data_dir, None, data_dir / "trace.jsonl") as bot:
        await crowd.bot_ready()

        async def park(count: int) -> None:
            jobs = [
                functools.partial(idle_at_email_step, crowd.fake, user_id, crowd.form)
                for user_id in crowd.user_ids(count)
            ]
            await _bounded(jobs, IDLE_IN_FLIGHT)

        # Code paths, caches and pools warm before measuring; a small run (the test suite's
        # smoke run) warms up with as many customers as it measures.
        await park(min(IDLE_WARMUP, options.idle_customers))
        before = procfs.sample(bot.pid)
        await park(options.idle_customers)
        after = procfs.sample(bot.pid)
    grown = after.rss_bytes - before.rss_bytes
    return {
        "6_idle_customers": options.idle_customers,
        "6_memory_per_idle_customer_kb": round(grown / options.idle_customers / 1024, 2),
        "6_bot_rss_before_mb": round(before.rss_bytes / 2**20, 1),
        "6_bot_rss_after_mb": round(after.rss_bytes / 2**20, 1),
    }


async def run(options: Options) -> dict[str, Any]:
    """All four phases against one pair of stand-ins; the figures as one dict."""
    result: dict[str, Any] = {
        "machine": procfs.machine(),
        "customers": options.customers,
        "latency_ms": options.latency_ms,
        "think_ms": options.think_ms,
        "database": "postgresql" if options.postgres else "sqlite",
        **({} if options.shop == "tea" else {"shop": options.shop}),
    }
    async with stand_ins(options.workdir, options.shop) as stand:
        crowd = Crowd(stand, await read_checkout_form(stand.bot_env))
        try:
            if options.flash_sale:
                result["0_flash_sale"] = {
                    str(customers): await flash_sale(options, stand, crowd, customers)
                    for customers in options.flash_sale
                }
                await crowd.fake.reset()
            result |= await journeys_and_ceiling(options, stand, crowd)
            p99 = result["1_confirm_to_pay_ms"]["p99"]
            if options.sequential_customers:
                result |= await one_at_a_time(options, stand, crowd, p99)
            if options.idle_customers:
                result |= await idle_memory(options, stand, crowd)
        finally:
            await crowd.aclose()
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.checkout", description=__doc__)
    parser.add_argument("--customers", type=int, default=200, help="customers ordering at once")
    parser.add_argument(
        "--latency-ms", type=float, default=150.0, help="OneEntry's answer time per call"
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="a customer's mean pause before each tap in phases 1 and 3 (0: none)",
    )
    parser.add_argument(
        "--idle-customers", type=int, default=10_000, help="customers left mid-checkout (0: skip)"
    )
    parser.add_argument(
        "--sequential-customers",
        type=int,
        default=None,
        help="customers for the one-at-a-time phase (default: --customers; 0: skip)",
    )
    parser.add_argument(
        "--flash-sale",
        type=lambda text: tuple(int(n) for n in text.split(",") if n),
        default=(200, 1000),
        help="crowds for the flash-sale phase, comma-separated (empty: skip); default 200,1000",
    )
    parser.add_argument(
        "--arrival-seconds",
        type=float,
        default=3.0,
        help="the flash-sale crowd arrives within this many seconds",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the store: SQLite in the data directory, or a throwaway PostgreSQL server",
    )
    parser.add_argument(
        "--shop",
        default="tea",
        help="the shop the emulator plays (tea, market, or a shop definition's path); the "
        "journey answers the order form it finds",
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the bots' data and logs here"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.customers < 1 or args.idle_customers < 0 or args.think_ms < 0:
        print(
            "--customers must be at least 1, --idle-customers and --think-ms at least 0",
            file=sys.stderr,
        )
        return 2
    sequential = args.customers if args.sequential_customers is None else args.sequential_customers
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as temporary,
        ThrowawayPostgres(durable=True)
        if args.database == "postgresql"
        else contextlib.nullcontext() as postgres,
    ):
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        options = Options(
            args.customers,
            args.latency_ms,
            args.think_ms,
            args.idle_customers,
            sequential,
            workdir,
            args.flash_sale,
            args.arrival_seconds,
            postgres,
            args.shop,
        )
        result = asyncio.run(run(options))
    print(figures.render_table(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
