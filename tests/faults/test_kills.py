"""The host dies: the bot is killed at a checkout step, or between two writes of the order
path, then started again on the same data directory.

At a checkout step (cart filled; asked for the name, the phone, the email, the payment; the
summary shown) the real `bot.py run` process is killed with SIGKILL once the customer sees the
step's screen: the fake carries out the call that shows it and holds its answer
("timeout_after"), so the kill lands, every time, at the first moment the step counts as
acknowledged (the customer saw it; the bot has not heard back). The restarted bot must still
have what the customer did: the customer answers the question they were asked and carries on
to an order.

Between two writes of the order path (checkout recorded PLACING → create call → order
recorded → session call → session recorded → order message shown) the kill is the in-process
one of `tests/e2e/test_exactly_once.py`: the ledger write at that point dies once (before it
is written, or right after) as a killed process never carries on, and the bot is started
again. Start-up must settle the checkout: exactly one order, the customer told once ("We have
checked the order you confirmed earlier…" with the order, or "…it was not placed, and nothing
was charged"), the cart and checkout of a placed order cleared; and a new checkout afterwards
makes a second, different order with exactly its own products.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import ChatMessage, Customer, Until
from shop.ledger import Ledger
from tests.e2e.journeys import EMAIL, PHONE, confirm, say, share, tap
from tests.faults.matrix import (
    CONFIRM,
    DETAILS,
    EARLIER,
    FIRST_CART,
    MATRIX_SETTINGS,
    NOT_PLACED,
    ORDER_PLACED,
    PAY,
    SECOND_CART,
    Outcome,
    bot_log_problems,
    cart_of,
    check_cart_cleared,
    check_no_failure_screen,
    check_orders,
    checkout_again,
    fill_and_summarise,
    look,
    matrix_settings,
)
from tests.fixtures.bot import process_environment, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake

pytestmark = pytest.mark.asyncio(loop_scope="package")

ROOT = Path(__file__).resolve().parents[2]


def marked(scenario_id: str) -> list[pytest.MarkDecorator]:
    """Every scenario meets the spec (a list of waiting ones used to mark xfails here)."""
    return []


# -- killed at a checkout step: a real process, SIGKILL -----------------------------------------


@dataclass(frozen=True)
class Step:
    """A checkout step: what the bot shows there, and the customer's answer to it (the bot's
    screen that answer leads to)."""

    name: str
    shows: str
    answer: Callable[[RunningBot, Customer], Awaitable[ChatMessage]]
    next_shows: str
    method: str = "*"  # the call that shows the step's screen (any, by its text)


STEPS = [
    Step(
        "cart",
        "Black tea Assam",  # the second product's card (a photo), edited to say it is in the cart
        lambda b, c: _command(b, c, "checkout"),
        "What is your name?",
        method="editMessageCaption",
    ),
    Step("name", "What is your name?", lambda b, c: say(b, c, c.first_name), "phone number?"),
    Step("phone", "phone number?", lambda b, c: share(b, c, PHONE), "What is your email?"),
    Step("email", "What is your email?", lambda b, c: say(b, c, EMAIL), "check your"),
    Step("summary", "Please check your order", lambda b, c: tap(b, c, CONFIRM), ORDER_PLACED),
]

# The bot in the other process waits this long for Telegram's answer: the held answer of the
# step's screen stays held until the kill.
HELD_TELEGRAM_TIMEOUT = 30.0


async def _command(bot: RunningBot, customer: Customer, name: str) -> ChatMessage:
    await customer.command(name)
    await bot.settle()
    return await customer.last_message()


def bot_environment(
    telegram: TelegramFake, oneentry: RunningEmulator, data_dir: Path
) -> dict[str, str]:
    """`bot.py run`'s environment: the stand-ins and the matrix's settings."""
    settings = {key.upper(): str(value) for key, value in MATRIX_SETTINGS.items()}
    settings |= {"LOG_LEVEL": "WARNING", "TELEGRAM_TIMEOUT": str(HELD_TELEGRAM_TIMEOUT)}
    return process_environment(telegram, oneentry, data_dir, **settings)


async def start_bot_process(
    telegram: TelegramFake, oneentry: RunningEmulator, data_dir: Path, cwd: Path
) -> asyncio.subprocess.Process:
    """`bot.py run` in a process of its own, to be killed."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run",
        env=bot_environment(telegram, oneentry, data_dir),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def share_phone_with_the_next_question_held(
    telegram: TelegramFake, customer: Customer, *, then_email: bool
) -> None:
    """At the phone step: share it; the bot saves it and asks for the email, but the fake
    holds that call without carrying it out (the question is never shown). With `then_email`
    the customer types it meanwhile. Returns once Telegram counts everything delivered."""
    email = next(step for step in STEPS if step.name == "email")
    await telegram.client.fail_next(email.method, error="timeout", contains=email.shows)
    await customer.share_contact(PHONE)
    fake = telegram.state
    held = await fake.changes.wait_for(lambda: not fake.faults.unconsumed(), 20)
    assert held, "the bot never tried to ask for the email"
    if then_email:
        await customer.send(EMAIL)
    await telegram.client.settle()


async def walk_until(customer: Customer, step: Step) -> None:
    """Through the bot in the other process: each action waits until the bot shows its
    answer (the fake holds the wait), until the checkout is at `step`."""
    wait = 20.0  # the first answer waits for the process to start
    for product_id, title, times in ((1, "Green tea Sencha", 2), (2, "Black tea Assam", 1)):
        card = await customer.command("start", f"p_{product_id}", until=Until(title, wait))
        wait = 5.0
        for n in range(1, times + 1):
            shown = await customer.tap_on(card, "Add to cart", until=Until(f"In your cart: {n}"))
            assert isinstance(shown, ChatMessage)
            card = shown
    if step.name == "cart":
        return
    answers: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("name", lambda: customer.command("checkout", until=Until("What is your name?"))),
        ("phone", lambda: customer.send(customer.first_name, until=Until("phone number?"))),
        ("email", lambda: customer.share_contact(PHONE, until=Until("What is your email?"))),
        ("summary", lambda: customer.send(EMAIL, until=Until("Please check your order"))),
    ]
    for name, answer in answers:
        await answer()
        if name == step.name:
            return


@pytest.mark.parametrize(
    "step",
    [pytest.param(s, id=f"kill-at-{s.name}", marks=marked(f"kill-at-{s.name}")) for s in STEPS],
)
async def test_killed_at_a_checkout_step_the_restart_keeps_it(
    step: Step,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    caplog: pytest.LogCaptureFixture,
    outcome_report: Callable[[Outcome], Outcome],
) -> None:
    scenario = f"kill-at-{step.name}"
    outcome = outcome_report(Outcome(scenario, "kill", orders_expected=1))
    state = oneentry_emulator.state
    baseline = set(state.orders)
    data_dir = tmp_path / "data"
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await telegram_fake.client.fail_next(step.method, error="timeout_after", contains=step.shows)
    process = await start_bot_process(telegram_fake, oneentry_emulator, data_dir, tmp_path)
    try:
        await walk_until(alice, step)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()

    caplog.set_level(logging.WARNING)
    caplog.clear()  # the killed process's lines are not asked about; the restart's are
    settings = matrix_settings(telegram_fake, oneentry_emulator, data_dir)
    async with run_shop_bot(settings, telegram_fake) as bot:
        shown = await step.answer(bot, alice)
        outcome.check(
            step.next_shows in shown.shown_text,
            f"after the restart the customer's answer at the {step.name} step got "
            f"{shown.shown_text!r}, not {step.next_shows!r}: what they did before the kill "
            "is lost",
        )
        if step.next_shows in shown.shown_text:
            summary = shown if step.name == "summary" else await checkout_again(bot, alice, {})
            if CONFIRM in summary.labels:
                await confirm(bot, alice)
            await check_cart_cleared(bot, alice, outcome)

    await look(outcome, oneentry_emulator, alice, data_dir, baseline)
    check_orders(outcome, [FIRST_CART])
    check_no_failure_screen(outcome)
    outcome.problems += bot_log_problems(caplog.records)
    outcome.assert_met()


async def test_killed_with_an_answer_in_hand_the_restart_handles_it(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """Killed after Telegram counted the customer's answers delivered, before the bot showed
    what they lead to: the shared phone is saved and the email question held on its way
    (never shown), and the email the customer typed meanwhile waits behind it. The bot
    started again on the same data directory (SQLite) handles the email from its inbox and
    shows the summary, without asking for anything again."""
    state = oneentry_emulator.state
    baseline = set(state.orders)
    data_dir = tmp_path / "data"
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    process = await start_bot_process(telegram_fake, oneentry_emulator, data_dir, tmp_path)
    try:
        await walk_until(alice, next(step for step in STEPS if step.name == "phone"))
        await share_phone_with_the_next_question_held(telegram_fake, alice, then_email=True)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()

    settings = matrix_settings(telegram_fake, oneentry_emulator, data_dir)
    async with run_shop_bot(settings, telegram_fake):
        summary = await alice.wait_until_shown("Please check your order")
        chat = await alice.chat()
        assert not any("What is your email?" in m.shown_text for m in chat.bot_messages)
        await alice.tap_on(summary, CONFIRM, until=Until(ORDER_PLACED))
    [order] = [state.orders[i] for i in set(state.orders) - baseline]
    assert cart_of(order) == FIRST_CART
    assert {f["marker"]: f.get("value") for f in order.form_data} == DETAILS


# -- killed between two writes of the order path: in-process ------------------------------------


@dataclass(frozen=True)
class Gap:
    """Between two writes: the ledger method at the gap, and whether it dies before writing
    (the step before it happened, the write did not) or right after it."""

    label: str
    method: str
    after_write: bool
    order_exists: bool


GAPS = [
    Gap("placing-and-create", "begin_placing", after_write=True, order_exists=False),
    Gap("create-and-order", "record_order", after_write=False, order_exists=True),
    Gap("order-and-session", "record_order", after_write=True, order_exists=True),
    Gap(
        "session-and-session-recorded", "set_payment_session", after_write=False, order_exists=True
    ),
    Gap("session-recorded-and-message", "set_payment_session", after_write=True, order_exists=True),
]


def dies_once(monkeypatch: pytest.MonkeyPatch, gap: Gap) -> asyncio.Event:
    """`Ledger.<method>` dies once, as if the process were killed there; the event is set
    when it did. After the write, the write is on disk (each write is fsynced before its
    method returns), and nothing after it runs."""
    original: Callable[..., Awaitable[Any]] = getattr(Ledger, gap.method)
    died = asyncio.Event()

    async def dying(self: Ledger, *args: Any, **kwargs: Any) -> Any:
        if died.is_set():
            return await original(self, *args, **kwargs)
        died.set()
        if gap.after_write:
            await original(self, *args, **kwargs)
        raise asyncio.CancelledError  # the process is gone: nothing after this runs

    monkeypatch.setattr(Ledger, gap.method, dying)
    return died


@pytest.mark.parametrize(
    "gap",
    [
        pytest.param(g, id=f"kill-between-{g.label}", marks=marked(f"kill-between-{g.label}"))
        for g in GAPS
    ],
)
async def test_killed_between_two_writes_the_restart_settles_it(
    gap: Gap,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    outcome_report: Callable[[Outcome], Outcome],
) -> None:
    scenario = f"kill-between-{gap.label}"
    expected = 2 if gap.order_exists else 1
    outcome = outcome_report(Outcome(scenario, "kill", orders_expected=expected))
    state = oneentry_emulator.state
    baseline = set(state.orders)
    data_dir = tmp_path / "data"
    settings = matrix_settings(telegram_fake, oneentry_emulator, data_dir)

    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        summary = await fill_and_summarise(bot, alice)
        died = dies_once(monkeypatch, gap)
        await alice.tap(CONFIRM)
        await died.wait()
        await bot.settle()
    monkeypatch.undo()
    made_before = [o for o in state.orders if o not in baseline]
    outcome.check(
        len(made_before) == (1 if gap.order_exists else 0),
        f"before the restart OneEntry holds {made_before}",
    )

    caplog.set_level(logging.WARNING)
    caplog.clear()  # the killed bot's lines are not asked about; the restart's are
    async with run_shop_bot(settings, telegram_fake) as bot:
        try:
            told = await alice.wait_for_message(contains=EARLIER, after=summary.message_id)
        except AssertionError as silence:
            outcome.problems.append(f"at start-up the customer is not told: {silence}")
            told = await alice.last_message()
        await bot.settle()
        if gap.order_exists:
            [order_id] = made_before or [None]
            outcome.check(
                ORDER_PLACED in told.shown_text
                and f"Order #{order_id} " in told.shown_text
                and PAY in told.labels,
                f"at start-up the customer is told {told.shown_text!r} {told.labels}, not "
                f"order #{order_id} with Pay",
            )
            await check_cart_cleared(bot, alice, outcome)
            summary = await checkout_again(bot, alice, SECOND_CART)
            carts = [FIRST_CART, SECOND_CART]
        else:
            outcome.check(
                NOT_PLACED in told.shown_text,
                f"at start-up the customer is told {told.shown_text!r}, not that nothing was "
                "placed",
            )
            summary = await checkout_again(bot, alice, {})  # the cart is kept
            carts = [FIRST_CART]
        outcome.check(CONFIRM in summary.labels, f"the new checkout ends at {summary.shown_text!r}")
        if CONFIRM in summary.labels:
            result = await confirm(bot, alice)
            outcome.check(
                ORDER_PLACED in result.shown_text and PAY in result.labels,
                f"the new checkout's Confirm shows {result.shown_text!r} {result.labels}",
            )
        await check_cart_cleared(bot, alice, outcome)

    await look(outcome, oneentry_emulator, alice, data_dir, baseline)
    told_times = sum(EARLIER in m.shown_text for m in outcome.chat if m.from_bot)
    outcome.check(told_times == 1, f"the customer was told {told_times} times at start-up")
    check_orders(outcome, carts)
    check_no_failure_screen(outcome)
    outcome.problems += bot_log_problems(caplog.records)
    outcome.assert_met()
