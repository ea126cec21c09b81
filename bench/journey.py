"""One customer's whole order, as a person taps it: `/start`, the catalog, a product, "Add to
cart", `/checkout`, name, phone (shared with the button), email, "✅ Card (Stripe)" (the
summary's Confirm that pays by card), and the Pay link. Each step waits (a long poll on the
fake) until the chat shows the bot's answer, new or edited in place.

Between an answer and the next action a person reads and taps: `think_seconds` on average
(each pause drawn from 0.5-1.5 times that, seeded by the customer's id, so every run is the
same). This pause is the customer's, not a wait for the bot: with none, the crowd is a closed
loop of scripts, and by Little's law each step then takes customers ÷ throughput whatever
the bot does; that is what the ceiling phase measures (`think_seconds=0`).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sandbox.telegram.driver import ChatMessage, Customer, NotShown, TelegramFakeClient, Until

# How long one step may take before the journey fails. One-at-a-time processing needs more
# than a minute here: 200 customers reach ✅ Confirm together and each Confirm waits on
# OneEntry (2 × 150 ms) behind all the others. The fake holds one wait for at most a minute
# (`WAIT_PER_POLL`), so a step re-asks until its deadline.
STEP_TIMEOUT = 300.0
WAIT_PER_POLL = 60.0
PHONE = "+447911123456"
PAY_LABEL = "💳 Pay"
# Updates the bot receives per journey: 2 commands, 4 taps, 2 texts, 1 contact.
UPDATES_PER_JOURNEY = 9


@dataclass(frozen=True)
class JourneyResult:
    """When the journey started and ended, Confirm tap → Pay button (time.monotonic()), and
    each step's wait for the bot."""

    started: float
    confirm_tapped: float
    pay_shown: float
    pay_url: str
    step_seconds: dict[str, float]

    @property
    def confirm_to_pay(self) -> float:
        return self.pay_shown - self.confirm_tapped


class JourneyFailed(AssertionError):
    """The bot did not show what a customer expects next."""


async def _expect(customer: Customer, text: str) -> ChatMessage:
    deadline = time.monotonic() + STEP_TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        try:
            return await customer.wait_until_shown(text, timeout=min(WAIT_PER_POLL, remaining))
        except AssertionError:
            if remaining <= WAIT_PER_POLL:
                raise


async def _then(
    customer: Customer, act: Callable[[Until], Awaitable[object]], text: str
) -> ChatMessage:
    """Act and wait for `text` in the same request; past a minute, wait on as `_expect`."""
    try:
        shown = await act(Until(text, WAIT_PER_POLL))
    except NotShown:
        return await _expect(customer, text)
    assert isinstance(shown, ChatMessage)
    return shown


async def _tap(customer: Customer, on: ChatMessage, label: str, then: str) -> ChatMessage:
    return await _then(customer, lambda until: customer.tap_on(on, label, until), then)


async def _say(customer: Customer, text: str, then: str) -> ChatMessage:
    return await _then(customer, lambda until: customer.send(text, until), then)


async def _command(
    customer: Customer, name: str, then: str, payload: str | None = None
) -> ChatMessage:
    return await _then(customer, lambda until: customer.command(name, payload, until), then)


async def _share_phone(customer: Customer, then: str) -> ChatMessage:
    return await _then(customer, lambda until: customer.share_contact(PHONE, until=until), then)


class Thinking:
    """A customer's pauses: reading the bot's answer before the next tap."""

    def __init__(self, user_id: int, mean_seconds: float) -> None:
        self._random = random.Random(user_id)
        self._mean = mean_seconds

    async def __call__(self) -> None:
        if self._mean > 0:
            await asyncio.sleep(self._random.uniform(0.5, 1.5) * self._mean)


async def order_journey(
    fake: TelegramFakeClient, user_id: int, think_seconds: float = 0.0, arrive_after: float = 0.0
) -> JourneyResult:
    """Walk customer `user_id` (a new one) from `/start` to the payment link, starting
    `arrive_after` seconds from now."""
    customer = await fake.customer(user_id, f"Customer {user_id}", language_code="en")
    think = Thinking(user_id, think_seconds)
    if arrive_after > 0:
        await asyncio.sleep(arrive_after)
    steps = Steps()
    started = time.monotonic()
    menu = await steps("start", _command(customer, "start", "What would you like to do?"))
    await think()
    # The catalog's first screen: the categories, then the catalog page's own products.
    catalog = await steps("catalog", _tap(customer, menu, "🛍 Catalog", "tap a product to see it."))
    product = next(label for label in catalog.labels if " · " in label)  # "Green tea · $12.50"
    await think()
    card = await steps("product", _tap(customer, catalog, product, product.split(" · ")[0]))
    await think()
    await steps("add_to_cart", _tap(customer, card, "Add to cart", "In your cart: 1"))
    await think()
    await steps("checkout", _command(customer, "checkout", "What is your name?"))
    await think()
    await steps("name", _say(customer, customer.first_name, "What is your phone number?"))
    await think()
    await steps("phone", _share_phone(customer, "What is your email?"))
    await think()
    email = f"customer{user_id}@example.com"
    summary = await steps("email", _say(customer, email, "Please check your order"))
    await think()
    confirm_tapped = time.monotonic()
    result = await steps(
        "confirm", _tap(customer, summary, "✅ Card (Stripe)", f"Tap “{PAY_LABEL}”")
    )
    pay_shown = time.monotonic()
    pay_url = await customer.tap_on(result, PAY_LABEL)
    assert isinstance(pay_url, str | None)
    if not pay_url:
        raise JourneyFailed(f"customer {user_id}: the Pay button carries no link")
    return JourneyResult(started, confirm_tapped, pay_shown, pay_url, steps.seconds)


class Steps:
    """How long each step waited for the bot's answer, by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    async def __call__(self, name: str, step: Awaitable[ChatMessage]) -> ChatMessage:
        began = time.monotonic()
        shown = await step
        self.seconds[name] = time.monotonic() - began
        return shown


async def idle_at_email_step(fake: TelegramFakeClient, user_id: int) -> None:
    """The cheapest way to a customer left mid-checkout: a product deep link, "Add to cart",
    `/checkout`, name and phone; the bot then waits for their email (5 updates)."""
    customer = await fake.customer(user_id, f"Idle {user_id}", language_code="en")
    card = await _command(customer, "start", "Green tea Sencha", payload="p_1")
    await _tap(customer, card, "Add to cart", "In your cart: 1")
    await _command(customer, "checkout", "What is your name?")
    await _say(customer, customer.first_name, "What is your phone number?")
    await _share_phone(customer, "What is your email?")
