"""What every fault scenario shares: the bot's settings, the customer's way through a fault
(retry, check again, restart, as a customer would), and one look at the outcome in OneEntry,
in the chat and in the ledger, checked against the spec.

The spec (what the bot must show, whatever fails):
- one confirmed checkout makes at most one OneEntry order, and an order that exists is never
  lost: the ledger has it, the customer sees it in one order message (or under /orders once
  they unblock the bot), with one payment session and the Pay button;
- a create that certainly failed shows "The shop cannot take orders right now. Nothing was
  ordered…" with Retry (the cart and details kept); an unknown outcome shows "We are checking
  your order" with Check again; an order without a payment session shows "Get payment link",
  whose tap fills the Pay button in that same message;
- the cart and checkout of a placed order are cleared; nothing is left PLACING or UNKNOWN;
- no ERROR line or traceback in the bot's log.
Each check adds a readable problem rather than stopping at the first, so a failing scenario
says everything it got wrong (and the report can quote it).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sandbox.oneentry import EmulatorState, RunningEmulator
from sandbox.telegram.driver import ChatMessage, Customer
from settings import Settings
from shop.ledger import LEDGER_FILE, Ledger
from shop.ledger_records import CheckoutRecord, OrderRecord
from tests.e2e.journeys import (
    EMAIL,
    PHONE,
    add_product,
    command,
    pay_with,
    say,
    share,
    tap,
    walk_to_summary,
)
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import RunningBot, TelegramFake

# -- what the customer sees --------------------------------------------------------------------

STRIPE = "Card (Stripe)"
CONFIRM = f"✅ {STRIPE}"  # the summary's Confirm that pays by card, as every scenario does
PLACING = "Placing your order"
ORDER_PLACED = "Your order is placed"
UNAVAILABLE = "The shop cannot take orders right now"
NOTHING_ORDERED = "Nothing was ordered"
CHECKING = "We are checking your order"
EARLIER = "We have checked the order you confirmed earlier"
NOT_PLACED = "it was not placed, and nothing was charged"
EMPTY_CART = "Your cart is empty"
RETRY = "🔄 Retry"
CHECK_AGAIN = "🔄 Check again"
GET_LINK = "🔄 Get payment link"
PAY = "💳 Pay"
USE_SAVED = "✅ Use these"
# The details every scenario's customer gives (and keeps across a failed create).
DETAILS = {"guest_name": "Alice", "guest_phone": PHONE, "guest_email": EMAIL}

# The cart every scenario checks out, and the product of the second checkout after a restart.
FIRST_CART = {1: 2, 2: 1}
SECOND_PRODUCT = 4
SECOND_CART = {SECOND_PRODUCT: 1}

# The bot's settings for the matrix: OneEntry and Telegram give up quickly, so a timeout costs
# a fraction of a second; a latency "timeout" outlasts the OneEntry one. The payment follow-up
# is pushed out of every scenario: it would race the customer's taps for the payment link and
# take injected faults meant for the order path.
ONEENTRY_TIMEOUT = 0.4
TELEGRAM_TIMEOUT = 0.5
LATENCY_MS = 900
MATRIX_SETTINGS: dict[str, object] = {
    "oneentry_timeout": ONEENTRY_TIMEOUT,
    "oneentry_connect_timeout": 1.0,
    "telegram_timeout": TELEGRAM_TIMEOUT,
    "follow_up_first_seconds": 3600.0,
    "follow_up_max_seconds": 3600.0,
}

# Loggers of the stand-ins, not of the bot: their lines are not the bot's log.
STAND_IN_LOGGERS = ("sandbox", "uvicorn")


def matrix_settings(telegram: TelegramFake, oneentry: RunningEmulator, data_dir: Path) -> Settings:
    return bot_settings_for(telegram, oneentry, data_dir, **MATRIX_SETTINGS)


# -- waiting on the emulator ---------------------------------------------------------------------


class EmulatorWatch:
    """Wakes a test when the emulator stores an order or a payment session, and when a call
    gets past the emulator's latency and fault gate.

    The emulator has no change feed to wait on (the Telegram fake has). A latency "timeout"
    stores its order or session after the bot gave up, so a scenario waits for that before
    the customer checks again; and a call still sleeping in the latency would take the fault
    of a later scenario when it wakes (the gate takes a fault after the latency), so a
    scenario lets its slow calls go (`FaultPlan.release_held`, which stopping the emulator
    uses too) and waits until each has passed the gate. This wraps the state's two store
    methods and its fault plan's `take` on the instances (the behaviour is unchanged) and
    sets an event on each call.
    """

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._changed = asyncio.Event()
        self._gated: dict[str, int] = {}
        self._wrap(state, "store_order")
        self._wrap(state, "store_session")
        self._wrap(state.faults, "take", counted=True)

    def close(self) -> None:
        """Back to the instances' own methods."""
        for owner, name in ((self.state, "store_order"), (self.state, "store_session")):
            owner.__dict__.pop(name, None)
        self.state.faults.__dict__.pop("take", None)

    def _wrap(self, owner: object, name: str, counted: bool = False) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if counted and args:
                self._gated[args[0]] = self._gated.get(args[0], 0) + 1
            self._changed.set()
            return result

        setattr(owner, name, watched)

    async def until(self, ready: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while not ready():
                self._changed.clear()
                await self._changed.wait()

    async def let_slow_calls_go(self, endpoint: str) -> None:
        """Remove the endpoint's latency, wake the calls still sleeping in it and wait until
        every call of it the emulator logged has passed the gate."""
        self.state.set_latency(endpoint, 0)
        self.state.faults.release_held()
        try:
            await self.until(
                lambda: (
                    self._gated.get(endpoint, 0)
                    >= sum(1 for r in self.state.requests if r.endpoint == endpoint)
                )
            )
        finally:
            self.state.faults.rearm()


# -- the customer's way ------------------------------------------------------------------------


async def fill_and_summarise(bot: RunningBot, customer: Customer) -> ChatMessage:
    """Product 1 twice and product 2 once, then the checkout to its summary, paying by card."""
    return await walk_to_summary(bot, customer, STRIPE)


async def checkout_again(bot: RunningBot, customer: Customer, cart: dict[int, int]) -> ChatMessage:
    """A later checkout, to its summary: the products of `cart` added (none: the cart kept
    from before), then /checkout and whatever each screen asks: the saved details (used),
    the details themselves."""
    for product_id, quantity in cart.items():
        await add_product(bot, customer, product_id, quantity)
    pay_with(customer, STRIPE)
    shown = await command(bot, customer, "checkout")
    for _ in range(8):
        text = shown.shown_text
        if CONFIRM in shown.labels:
            return shown
        if USE_SAVED in shown.labels:
            shown = await tap(bot, customer, USE_SAVED)
        elif "What is your name?" in text:
            shown = await say(bot, customer, customer.first_name)
        elif "What is your phone number?" in text:
            shown = await share(bot, customer, PHONE)
        elif "What is your email?" in text:
            shown = await say(bot, customer, EMAIL)
        else:
            break
    return shown


# What a customer taps when the bot offers it after a fault, and how often at most.
RECOVERY_BUTTONS = (RETRY, CHECK_AGAIN, GET_LINK)
MAX_TAPS = 4
# "Tap Check again in a moment": the bot decides an unknown outcome only once the create's
# timeout has run out since it was sent (a create still in flight may land after a search),
# so a customer who finds the same screen again pauses that long before the next tap. The
# one wait on the clock in the suite, because the bot's rule is about the clock.
CUSTOMER_PAUSE = ONEENTRY_TIMEOUT


async def recover(bot: RunningBot, customer: Customer, outcome: Outcome) -> ChatMessage:
    """Tap what the latest bot message offers (Retry, Check again, Get payment link) until it
    offers none; the same screen again means "not yet": pause, tap again. Returns the
    latest bot message."""
    taps = 0
    latest = await customer.last_message()
    while taps < MAX_TAPS:
        label = next((b for b in RECOVERY_BUTTONS if b in latest.labels), None)
        if label is None:
            break
        await customer.tap(label, message_id=latest.message_id)
        await bot.settle()
        taps += 1
        shown = await customer.last_message()
        if (shown.message_id, shown.shown_text, shown.labels) == (
            latest.message_id,
            latest.shown_text,
            latest.labels,
        ):
            await asyncio.sleep(CUSTOMER_PAUSE)
        latest = shown
    if taps:
        outcome.notes.append(f"the customer tapped {taps} recovery button(s)")
    return latest


# -- the outcome --------------------------------------------------------------------------------


@dataclass
class LedgerView:
    """The ledger of the data dir, read after the bot stopped."""

    checkouts: list[CheckoutRecord]
    orders: list[OrderRecord]

    def describe(self) -> dict[str, Any]:
        return {
            "checkouts": {c.checkout_id: c.state.value for c in self.checkouts},
            "orders": [
                {
                    "order_id": o.order_id,
                    "checkout_id": o.checkout_id,
                    "message_id": o.message_id,
                    "payment_session_id": o.payment_session_id,
                    "has_payment_url": bool(o.payment_url),
                }
                for o in self.orders
            ],
        }


async def read_ledger(data_dir: Path, user_id: int) -> LedgerView:
    path = data_dir / LEDGER_FILE
    if not path.exists():
        return LedgerView([], [])
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        ids = [
            row[0]
            for row in db.execute(
                "SELECT checkout_id FROM checkouts WHERE user_id = ? ORDER BY created_at",
                (user_id,),
            )
        ]
    async with Ledger(path) as ledger:
        checkouts = [c for c in [await ledger.checkout(i) for i in ids] if c is not None]
        orders = await ledger.orders_of_user(user_id, limit=100)
    return LedgerView(checkouts, sorted(orders, key=lambda o: o.order_id))


def bot_log_problems(records: Iterable[logging.LogRecord]) -> list[str]:
    """ERROR lines and tracebacks the bot logged (the stand-ins' own lines left out)."""
    found = []
    for record in records:
        if record.name.startswith(STAND_IN_LOGGERS):
            continue
        if record.levelno >= logging.ERROR or (
            record.levelno >= logging.WARNING and record.exc_info
        ):
            kind = "traceback" if record.exc_info else record.levelname
            found.append(f"bot log {kind}: {record.name}: {record.getMessage()}")
    return found


@dataclass
class Outcome:
    """What a scenario ended with; `problems` are the spec's checks it failed."""

    scenario: str
    kind: str
    orders_expected: int
    orders: list[Any] = field(default_factory=list)
    sessions: dict[int, list[Any]] = field(default_factory=dict)
    chat: list[ChatMessage] = field(default_factory=list)
    ledger: LedgerView | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)

    @property
    def duplicates(self) -> int:
        return max(0, len(self.orders) - self.orders_expected)

    @property
    def missing(self) -> int:
        """Orders the spec expects that OneEntry does not hold (never placed)."""
        return max(0, self.orders_expected - len(self.orders))

    @property
    def lost(self) -> int:
        """Orders OneEntry holds that the ledger does not know: nobody will tell the customer
        of them, follow their payment or show them under /orders."""
        recorded = {o.order_id for o in self.ledger.orders} if self.ledger else set()
        return sum(1 for o in self.orders if o.id not in recorded)

    def customer_saw(self, last: int = 4) -> list[dict[str, Any]]:
        return [
            {"message_id": m.message_id, "text": m.shown_text, "buttons": m.labels}
            for m in [m for m in self.chat if m.from_bot][-last:]
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "class": self.kind,
            "orders_expected": self.orders_expected,
            "orders_found": len(self.orders),
            "duplicates": self.duplicates,
            "missing": self.missing,
            "lost": self.lost,
            "customer_saw": self.customer_saw(),
            "ledger": self.ledger.describe() if self.ledger else None,
            "problems": list(self.problems),
            "notes": list(self.notes),
        }

    def explain(self) -> str:
        saw = "\n".join(
            f"    #{m['message_id']}: {m['text']!r} {m['buttons']}" for m in self.customer_saw()
        )
        ledger = self.ledger.describe() if self.ledger else None
        return (
            f"{self.scenario}: {len(self.problems)} problem(s)\n  - "
            + "\n  - ".join(self.problems)
            + f"\n  orders in OneEntry: {[o.id for o in self.orders]} "
            f"(expected {self.orders_expected})\n  ledger: {ledger}\n  the customer saw:\n{saw}"
        )

    def assert_met(self) -> None:
        if self.problems:
            pytest.fail(self.explain(), pytrace=False)


def cart_of(order: Any) -> dict[int, int]:
    return {line.product_id: line.quantity for line in order.lines}


def order_messages(chat: list[ChatMessage], order_id: int) -> list[ChatMessage]:
    """The bot's messages that are the order's own message (number and "placed")."""
    return [
        m
        for m in chat
        if m.from_bot and f"Order #{order_id} " in m.shown_text and ORDER_PLACED in m.shown_text
    ]


async def look(
    outcome: Outcome,
    oneentry: RunningEmulator,
    customer: Customer,
    data_dir: Path,
    baseline: set[int],
) -> None:
    """Fill in what OneEntry holds (orders made in the scenario), the chat and the ledger."""
    state = oneentry.state
    outcome.orders = sorted(
        (o for o in state.orders.values() if o.id not in baseline), key=lambda o: o.id
    )
    outcome.sessions = {
        o.id: [s for s in state.sessions.values() if s.order_id == o.id] for o in outcome.orders
    }
    outcome.chat = (await customer.chat()).messages
    outcome.ledger = await read_ledger(data_dir, customer.user_id)


def check_orders(outcome: Outcome, carts: list[dict[int, int]], *, shown: bool = True) -> None:
    """The spec's checks on the orders: how many, their products, one session and the Pay
    button each, in the ledger with the message that shows them, nothing left unsettled."""
    ledger = outcome.ledger
    assert ledger is not None
    outcome.check(
        len(outcome.orders) == outcome.orders_expected,
        f"{len(outcome.orders)} order(s) in OneEntry, expected {outcome.orders_expected}",
    )
    found_carts = [cart_of(o) for o in outcome.orders]
    outcome.check(
        sorted(map(sorted_items, found_carts)) == sorted(map(sorted_items, carts))
        or len(outcome.orders) != len(carts),
        f"the orders hold {found_carts}, expected {carts}",
    )
    recorded = {o.order_id: o for o in ledger.orders}
    states = {c.checkout_id: c.state.value for c in ledger.checkouts}
    for order in outcome.orders:
        details = {field["marker"]: field.get("value") for field in order.form_data}
        outcome.check(
            details == DETAILS,
            f"order #{order.id} carries the details {details}, not the customer's {DETAILS}",
        )
        record = recorded.get(order.id)
        outcome.check(record is not None, f"order #{order.id} is not in the ledger")
        sessions = outcome.sessions.get(order.id, [])
        outcome.check(len(sessions) == 1, f"order #{order.id} has {len(sessions)} payment sessions")
        if record is None:
            continue
        outcome.check(
            states.get(record.checkout_id) == "placed",
            f"checkout of order #{order.id} is {states.get(record.checkout_id)!r} in the ledger",
        )
        if not shown:
            continue
        messages = order_messages(outcome.chat, order.id)
        outcome.check(
            len(messages) == 1,
            f"order #{order.id} is shown in {len(messages)} order messages, expected one",
        )
        if len(messages) == 1:
            [message] = messages
            outcome.check(
                PAY in message.labels,
                f"order #{order.id}'s message has no Pay button: {message.labels}",
            )
            outcome.check(
                record.message_id == message.message_id,
                f"the ledger has message {record.message_id} for order #{order.id}, the chat "
                f"shows it in #{message.message_id}",
            )
    unsettled = [c for c in ledger.checkouts if c.state.value in ("placing", "unknown")]
    left = [(c.checkout_id, c.state.value) for c in unsettled]
    outcome.check(not unsettled, f"checkouts left unsettled in the ledger: {left}")


def sorted_items(cart: dict[int, int]) -> list[tuple[int, int]]:
    return sorted(cart.items())


async def check_cart_cleared(bot: RunningBot, customer: Customer, outcome: Outcome) -> None:
    """After the order: /cart is empty."""
    cart = await command(bot, customer, "cart")
    outcome.check(
        EMPTY_CART in cart.shown_text,
        f"the cart is not cleared after the order: /cart shows {cart.shown_text!r}",
    )


FAILURE_SCREEN = "something went wrong"


def check_no_failure_screen(outcome: Outcome) -> None:
    """The faults are the stand-ins', not the bot's: no "something went wrong" (which also
    tells the customer their cart is kept, whatever became of the order)."""
    for message in outcome.chat:
        if message.from_bot and FAILURE_SCREEN in message.shown_text.lower():
            outcome.problems.append(
                f"the customer got the failure screen #{message.message_id}: {message.shown_text!r}"
            )
