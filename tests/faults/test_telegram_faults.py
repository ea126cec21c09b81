"""Telegram fails on one send of the order path while a customer confirms their checkout.

The sends: the answer to the Confirm tap, the "placing" edit (made only while OneEntry is
slow, so those scenarios make it slow), and the edit that turns the summary into the order
message. The faults: 429 with retry_after (the bot's rate limiter
must wait and send again), the customer blocking the bot as the call arrives (403 for it and
every later send until they unblock), and a timeout (the request held until the bot's client
gives up). Then the customer does what a customer would: waits, taps Confirm again if the
summary still offers it, unblocks and opens /orders; the outcome is checked against the spec
(`tests.faults.matrix`): the order exists once, the ledger has it, the customer sees it, and
the cart and checkout are finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.placing import PLACING_NOTICE_AFTER
from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from tests.e2e.journeys import command, confirm, tap
from tests.faults.matrix import (
    CONFIRM,
    FIRST_CART,
    ORDER_PLACED,
    PAY,
    PLACING,
    USE_SAVED,
    Outcome,
    bot_log_problems,
    check_cart_cleared,
    check_no_failure_screen,
    check_orders,
    fill_and_summarise,
    look,
    matrix_settings,
    order_messages,
)
from tests.fixtures.bot import run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake

pytestmark = pytest.mark.asyncio(loop_scope="package")


@dataclass(frozen=True)
class Send:
    label: str
    method: str
    contains: str | None = None


PLACING_EDIT = Send("placing-edit", "editMessageText", PLACING)
SENDS = (
    Send("confirm-answer", "answerCallbackQuery"),
    PLACING_EDIT,
    Send("order-message", "editMessageText", ORDER_PLACED),
)
ERRORS = {"429": 429, "403": "blocked", "timeout": "timeout"}


@dataclass(frozen=True)
class Scenario:
    send: Send
    error: str

    @property
    def id(self) -> str:
        return f"telegram-{self.send.label}-{self.error}"


SCENARIOS = [Scenario(send, error) for send in SENDS for error in ERRORS]


def params() -> list[object]:
    return [pytest.param(scenario, id=scenario.id) for scenario in SCENARIOS]


async def orders_listed(bot: RunningBot, customer: Customer) -> list[str]:
    """The order buttons /orders shows the customer."""
    listing = await command(bot, customer, "orders")
    return [label for label in listing.labels if label.startswith("Order #")]


@pytest.mark.parametrize("scenario", params())
async def test_telegram_fault_on_the_order_path(
    scenario: Scenario,
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    caplog: pytest.LogCaptureFixture,
    outcome_report: Callable[[Outcome], Outcome],
) -> None:
    caplog.set_level(logging.WARNING)
    state = oneentry_emulator.state
    baseline = set(state.orders)
    data_dir = tmp_path / "data"
    outcome = outcome_report(Outcome(scenario.id, "telegram", orders_expected=1))
    settings = matrix_settings(telegram_fake, oneentry_emulator, data_dir)
    slow_create = (PLACING_NOTICE_AFTER + 1.0) * 1000 if scenario.send is PLACING_EDIT else 0
    if slow_create:  # the placing notice shows only while OneEntry is slow; slow, not silent
        settings = settings.model_copy(update={"oneentry_timeout": slow_create / 1000 + 3})
    error = ERRORS[scenario.error]
    shown_in_chat = error == 429

    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        summary = await fill_and_summarise(bot, alice)
        await telegram_fake.client.fail_next(
            scenario.send.method, error=error, contains=scenario.send.contains
        )
        state.set_latency("orders.create", slow_create)
        first = await confirm(bot, alice)
        state.set_latency("orders.create", 0)

        if error == 429:  # the rate limiter waits retry_after and sends again
            outcome.check(
                ORDER_PLACED in first.shown_text and PAY in first.labels,
                f"after Confirm the customer sees {first.shown_text!r} {first.labels}, not the "
                "order with Pay",
            )
            outcome.check(
                first.message_id == summary.message_id,
                f"the order came in message #{first.message_id}, not in the summary's "
                f"#{summary.message_id}",
            )
            await check_cart_cleared(bot, alice, outcome)
        elif error == "blocked":  # they unblock later and look
            outcome.check((await alice.chat()).blocked, "the fault did not block the chat")
            await alice.unblock()
            await bot.settle()
            listed = await orders_listed(bot, alice)
            made = [o for o in state.orders if o not in baseline]
            outcome.check(
                listed == [f"Order #{o}" for o in made] and len(made) == 1,
                f"after unblocking, /orders lists {listed}; OneEntry holds {made}",
            )
            await check_cart_cleared(bot, alice, outcome)
            checkout = await command(bot, alice, "checkout")
            if USE_SAVED in checkout.labels:  # the details of the order just placed
                checkout = await tap(bot, alice, USE_SAVED)
            outcome.check(
                CONFIRM not in checkout.labels and "Green tea" not in checkout.shown_text,
                f"after unblocking, a new /checkout shows {checkout.shown_text!r} "
                f"{checkout.labels}: the placed checkout is not finished",
            )
        else:  # a timeout: the customer sees no order, so they try again or look for it
            chat = (await alice.chat()).messages
            if not any(ORDER_PLACED in m.shown_text for m in chat if m.from_bot):
                latest_summary = next(
                    (m for m in reversed(chat) if m.from_bot and CONFIRM in m.labels), None
                )
                if latest_summary is not None:
                    await alice.tap(CONFIRM, message_id=latest_summary.message_id)
                    await bot.settle()
                    outcome.notes.append("the customer tapped Confirm again")
            chat = (await alice.chat()).messages
            shown_in_chat = any(ORDER_PLACED in m.shown_text for m in chat if m.from_bot)
            if not shown_in_chat:
                listed = await orders_listed(bot, alice)
                made = [o for o in state.orders if o not in baseline]
                outcome.notes.append(f"no order message in the chat; /orders lists {listed}")
                outcome.check(
                    len(made) == 1 and listed == [f"Order #{made[0]}"],
                    f"the customer sees no order: /orders lists {listed}; OneEntry holds {made}",
                )
            await check_cart_cleared(bot, alice, outcome)

    await look(outcome, oneentry_emulator, alice, data_dir, baseline)
    check_orders(outcome, [FIRST_CART], shown=shown_in_chat)
    if not shown_in_chat:
        for order in outcome.orders:
            outcome.check(
                len(order_messages(outcome.chat, order.id)) <= 1,
                f"order #{order.id} is shown in more than one order message",
            )
    check_no_failure_screen(outcome)
    outcome.problems += bot_log_problems(caplog.records)
    outcome.assert_met()
