"""Failover: two real `bot.py run` processes on one PostgreSQL store. The first is active;
the second waits as a standby (it says so on its log) without polling Telegram. The active
one is killed with SIGKILL mid-checkout, at the moment the customer sees a screen (the fake
carries out the call that shows it and holds its answer, as in `test_kills.py`); the standby
takes over, and the customer carries on with it: exactly one order, the cart they confirmed.

- killed at the summary: the customer taps Confirm on the standby, which places the order.
- killed as "Your order is placed" is shown: the order exists; the same Confirm tapped again
  on the standby orders nothing more, and the customer's /orders lists the one order.

The first in webhook mode too: the standby's webhook server is up only once it has taken
over. And a process whose lease is cut stops (exit code 1) instead of serving beside another.

No update is lost in the hand-over: the active process is killed with the customer's updates
in hand — fetched, and confirmed to Telegram — before it has answered them (the fake holds the
call that would show the answer without carrying it out). The standby shows the question the
killed process was about to ask, or handles the answer that was waiting behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Until
from shop.ledger import Ledger
from shop.store import Store
from tests.e2e.journeys import EMAIL
from tests.faults.matrix import CONFIRM, DETAILS, FIRST_CART, ORDER_PLACED, cart_of
from tests.faults.test_kills import (
    STEPS,
    bot_environment,
    share_phone_with_the_next_question_held,
    walk_until,
)
from tests.fixtures.telegram import TelegramFake

pytestmark = pytest.mark.asyncio(loop_scope="package")

ROOT = Path(__file__).resolve().parents[2]
ACTIVE = "active: this process serves the bot"
STANDBY = "standby: another bot process is active"
SUMMARY = next(step for step in STEPS if step.name == "summary")
PHONE_STEP = next(step for step in STEPS if step.name == "phone")
EMAIL_STEP = next(step for step in STEPS if step.name == "email")
# Long enough for a loaded machine; the standby normally takes over within a second or two.
TAKEOVER_SECONDS = 30.0


@dataclass
class BotProcess:
    """A `bot.py run` process whose log lines are read as they come."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    _seen: asyncio.Condition = field(default_factory=asyncio.Condition)
    _reader: asyncio.Task[None] | None = None

    async def read_log(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            async with self._seen:
                self.lines.append(raw.decode(errors="replace"))
                self._seen.notify_all()

    async def logged(self, text: str, timeout: float = TAKEOVER_SECONDS) -> str:  # noqa: ASYNC109
        """The first log line containing `text`, once the process has written it."""

        def found() -> str | None:
            return next((line for line in self.lines if text in line), None)

        async with self._seen:
            await asyncio.wait_for(self._seen.wait_for(lambda: found() is not None), timeout)
        line = found()
        assert line is not None
        return line

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)


@contextlib.asynccontextmanager
async def bot_process(env: dict[str, str], cwd: Path) -> AsyncIterator[BotProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run",
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    bot = BotProcess(process)
    bot._reader = asyncio.create_task(bot.read_log())
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                bot.kill()
                await process.wait()
        await bot._reader


def environment(
    telegram: TelegramFake,
    oneentry: RunningEmulator,
    store: Store,
    data_dir: Path,
    webhook_port: int | None = None,
) -> dict[str, str]:
    """Each process on a host of its own (its own DATA_DIR), both on the one store; with a
    webhook port, both serve the one webhook address (a proxy in front would send Telegram's
    posts to whichever host listens)."""
    assert store.url is not None
    env = bot_environment(telegram, oneentry, data_dir)
    env |= {"DATABASE_URL": store.url, "LOG_LEVEL": "INFO"}
    if webhook_port is not None:
        env |= {
            "WEBHOOK_URL": f"http://127.0.0.1:{webhook_port}/telegram-hook",
            "WEBHOOK_SECRET": "failover_Secret-42",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(webhook_port),
        }
    return env


@contextlib.asynccontextmanager
async def two_hosts(
    telegram: TelegramFake, oneentry: RunningEmulator, store: Store, tmp_path: Path, mode: str
) -> AsyncIterator[tuple[BotProcess, BotProcess]]:
    """Two `bot.py run` processes on the one store, the first active, the second its standby
    (both already say so), in polling or webhook `mode`."""
    port = free_port() if mode == "webhook" else None
    env_a = environment(telegram, oneentry, store, tmp_path / "host-a", port)
    env_b = environment(telegram, oneentry, store, tmp_path / "host-b", port)
    async with bot_process(env_a, tmp_path) as active:
        await active.logged(ACTIVE)
        async with bot_process(env_b, tmp_path) as standby:
            await standby.logged(STANDBY)
            yield active, standby


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("killed_at", "mode"),
    [("summary", "polling"), ("order-placed", "polling"), ("summary", "webhook")],
)
async def test_the_standby_takes_over_mid_checkout_and_orders_once(
    killed_at: str,
    mode: str,
    postgres_store: Store,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
) -> None:
    state = oneentry_emulator.state
    baseline = set(state.orders)
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    hosts = two_hosts(telegram_fake, oneentry_emulator, postgres_store, tmp_path, mode)
    async with hosts as (active, standby):
        summary = None
        if killed_at == "summary":
            await telegram_fake.client.fail_next(
                SUMMARY.method, error="timeout_after", contains=SUMMARY.shows
            )
            await walk_until(alice, SUMMARY)
        else:
            await walk_until(alice, SUMMARY)
            await telegram_fake.client.fail_next("*", error="timeout_after", contains=ORDER_PLACED)
            summary = await alice.last_message()
            await alice.tap_on(summary, CONFIRM, until=Until(ORDER_PLACED, 20))
        assert not any(ACTIVE in line for line in standby.lines)  # it waited
        active.kill()
        await active.process.wait()
        # A tap the killed process was handling is never answered (its spinner clears
        # by itself in Telegram's apps); the standby answers the taps it handles.
        for query in telegram_fake.state.callbacks.unanswered():
            telegram_fake.state.callbacks.lose_answer(query.id)

        await standby.logged(ACTIVE)
        await standby.logged(f"starting mode={mode}")
        if summary is None:
            summary = await alice.last_message()
            placed = await alice.tap_on(summary, CONFIRM, until=Until(ORDER_PLACED, 20))
            assert not isinstance(placed, str) and placed is not None
        else:
            # The order was made and shown before the kill. The same Confirm once more
            # (its callback data, as a tap still in flight would arrive, now on the
            # standby) orders nothing more; the customer's orders list that one order.
            [order_id] = set(state.orders) - baseline
            [confirm] = [b for row in summary.buttons for b in row if b.text == CONFIRM]
            assert confirm.callback_data is not None
            await alice.forge_tap(confirm.callback_data, summary.message_id)
            await alice.command("orders", until=Until(f"#{order_id}", 20))
            callbacks = telegram_fake.state.callbacks
            answered = await telegram_fake.state.changes.wait_for(
                lambda: not callbacks.unanswered(), 20
            )
            assert answered, "the standby left the repeated Confirm unanswered"
        new_orders = [state.orders[i] for i in set(state.orders) - baseline]
        assert [cart_of(order) for order in new_orders] == [FIRST_CART]
        problems = [line for line in standby.lines if "Traceback" in line]
        assert not problems, "".join(standby.lines)

    async with Ledger(postgres_store.ledger_database()) as ledger:
        orders = await ledger.orders_of_user(1001)
    assert [o.order_id for o in orders] == [new_orders[0].id]


@pytest.mark.parametrize(
    ("left", "mode"),
    [("answer-unshown", "polling"), ("answer-waiting", "polling"), ("answer-waiting", "webhook")],
)
async def test_no_update_is_lost_in_the_hand_over(
    left: str,
    mode: str,
    postgres_store: Store,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
) -> None:
    """The customer shares their phone; the active process saves it and is killed while the
    email question is on its way (held, never shown).

    - answer-unshown: the standby asks the email question the customer never saw.
    - answer-waiting: the customer had typed their email meanwhile (Telegram has it as
      delivered); the standby handles it and shows the summary, without asking again.

    Either way the customer goes on to one order with every detail they gave."""
    state = oneentry_emulator.state
    baseline = set(state.orders)
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    hosts = two_hosts(telegram_fake, oneentry_emulator, postgres_store, tmp_path, mode)
    async with hosts as (active, standby):
        await walk_until(alice, PHONE_STEP)
        await share_phone_with_the_next_question_held(
            telegram_fake, alice, then_email=left == "answer-waiting"
        )
        active.kill()
        await active.process.wait()

        await standby.logged(ACTIVE)
        if left == "answer-unshown":
            await alice.wait_until_shown(EMAIL_STEP.shows, timeout=20)
            await alice.send(EMAIL)
        summary = await alice.wait_until_shown(SUMMARY.shows, timeout=20)
        if left == "answer-waiting":
            chat = await alice.chat()
            assert not any(EMAIL_STEP.shows in m.shown_text for m in chat.bot_messages), (
                "the standby asked for the email the customer had already typed"
            )
        placed = await alice.tap_on(summary, CONFIRM, until=Until(ORDER_PLACED, 20))
        assert not isinstance(placed, str) and placed is not None
        problems = [line for line in standby.lines if "Traceback" in line]
        assert not problems, "".join(standby.lines)

    new_orders = [state.orders[i] for i in set(state.orders) - baseline]
    assert [cart_of(order) for order in new_orders] == [FIRST_CART]
    [order] = new_orders
    assert {field["marker"]: field.get("value") for field in order.form_data} == DETAILS


async def test_a_process_that_loses_the_lease_stops_so_a_standby_can_serve(
    postgres_store: Store,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
) -> None:
    """The lease's connection cut (a network split, the server restarted): the active
    process cannot know it is still the only one, so it stops, with exit code 1 for a
    service manager to start it again (as a standby, or the active one)."""
    assert postgres_store.url is not None
    env = environment(telegram_fake, oneentry_emulator, postgres_store, tmp_path / "host-a")
    async with bot_process(env, tmp_path) as active:
        await active.logged(ACTIVE)
        with psycopg.connect(postgres_store.url, autocommit=True) as db:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted"
            )
        await active.logged("lost the lease on the store")
        assert await asyncio.wait_for(active.process.wait(), TAKEOVER_SECONDS) == 1
