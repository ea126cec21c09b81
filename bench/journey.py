"""One customer's whole order, as a person taps it: `/start`, the catalog, a product, "Add to
cart", `/checkout`, each field of the shop's order form as the bot asks it (the tea shop's:
name, phone shared with the button, email; see `checkout_form.py`), the summary's Confirm
(the ✅ of the card payment where the shop offers a choice) and the Pay link. Each step waits
(a long poll on the fake) until the chat shows the bot's answer, new or edited in place.

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

from bench.checkout_form import SKIP_LABEL, Answer, CheckoutForm, FieldAnswer
from sandbox.telegram.driver import ChatMessage, Customer, NotShown, TelegramFakeClient, Until

# How long one step may take before the journey fails. One-at-a-time processing needs more
# than a minute here: 200 customers reach ✅ Confirm together and each Confirm waits on
# OneEntry (2 × 150 ms) behind all the others. The fake holds one wait for at most a minute
# (`WAIT_PER_POLL`), so a step re-asks until its deadline.
STEP_TIMEOUT = 300.0
WAIT_PER_POLL = 60.0
PAY_LABEL = "💳 Pay"
CONFIRM_LABEL = "✅ Confirm"  # the summary's one Confirm, where the payment method is settled
CARD_LABEL = "✅ Card (Stripe)"  # where the shop offers several: the one with a payment page
SUMMARY = "Please check your order"
CATEGORY = "📂 "  # a category button's mark
CATEGORIES_DEEP = 5  # how many category levels the journey opens, at most, to find a product


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
    def updates(self) -> int:
        """Updates the bot received: one per step (the Pay link opens in the browser). The tea
        shop's journey has 9: 2 commands, 4 taps, 2 texts and 1 contact."""
        return len(self.step_seconds)

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


async def _share_phone(customer: Customer, phone: str, then: str) -> ChatMessage:
    return await _then(customer, lambda until: customer.share_contact(phone, until=until), then)


def _asked(item: FieldAnswer | None) -> str:
    """What the bot's next screen shows: a field's title as its heading, or the summary."""
    return SUMMARY if item is None else f"{item.heading}\n"


async def _answer(
    customer: Customer, asking: ChatMessage, item: FieldAnswer, then: str
) -> ChatMessage:
    """Answer the field `asking` shows, as `item` says, and wait for the screen after it."""
    text = item.text_for(customer.first_name, customer.user_id)
    match item.answer:
        case Answer.SHARE_PHONE:
            return await _share_phone(customer, text, then)
        case Answer.TAP:
            return await _tap(customer, asking, text, then)
        case Answer.TAP_DEFAULT:
            default = next(label for label in asking.labels if label.startswith("✅ "))
            return await _tap(customer, asking, default, then)
        case Answer.SKIP if item.step == "phone":  # Skip is on the phone's reply keyboard
            return await _say(customer, SKIP_LABEL, then)
        case Answer.SKIP:
            return await _tap(customer, asking, SKIP_LABEL, then)
    return await _say(customer, text, then)


def _orderable_product(listing: ChatMessage) -> str | None:
    """The first product button that can be ordered ("Green tea · $12.50"; "… ✖" cannot)."""
    return next(
        (label for label in listing.labels if " · " in label and not label.endswith(" ✖")), None
    )


def _confirm_label(summary: ChatMessage) -> str:
    if CONFIRM_LABEL in summary.labels:
        return CONFIRM_LABEL
    if CARD_LABEL in summary.labels:
        return CARD_LABEL
    return next(label for label in summary.labels if label.startswith("✅ "))


class Thinking:
    """A customer's pauses: reading the bot's answer before the next tap."""

    def __init__(self, user_id: int, mean_seconds: float) -> None:
        self._random = random.Random(user_id)
        self._mean = mean_seconds

    async def __call__(self) -> None:
        if self._mean > 0:
            await asyncio.sleep(self._random.uniform(0.5, 1.5) * self._mean)


async def order_journey(
    fake: TelegramFakeClient,
    user_id: int,
    form: CheckoutForm,
    think_seconds: float = 0.0,
    arrive_after: float = 0.0,
) -> JourneyResult:
    """Walk customer `user_id` (a new one) from `/start` to the payment link, answering
    `form`'s fields, starting `arrive_after` seconds from now."""
    customer = await fake.customer(user_id, f"Customer {user_id}", language_code="en")
    think = Thinking(user_id, think_seconds)
    if arrive_after > 0:
        await asyncio.sleep(arrive_after)
    steps = Steps()
    started = time.monotonic()
    menu = await steps("start", _command(customer, "start", "What would you like to do?"))
    await think()
    # The catalog's first screen: the categories, then the catalog page's own products (the
    # tea shop's); where it has none, the first category's, and so on down.
    catalog = await steps("catalog", _tap(customer, menu, "🛍 Catalog", "Catalog\n"))
    for depth in range(1, CATEGORIES_DEEP + 1):
        product = _orderable_product(catalog)
        if product is not None:
            break
        category = next(label for label in catalog.labels if label.startswith(CATEGORY))
        await think()
        opened = _tap(customer, catalog, category, f"{category.removeprefix(CATEGORY)}\n")
        catalog = await steps(f"category_{depth}", opened)
    if product is None:
        raise JourneyFailed(f"customer {user_id}: no product to order in {CATEGORIES_DEEP} levels")
    await think()
    card = await steps("product", _tap(customer, catalog, product, product.split(" · ")[0]))
    await think()
    await steps("add_to_cart", _tap(customer, card, "Add to cart", "In your cart: 1"))
    await think()
    fields = form.fields
    shown = await steps("checkout", _command(customer, "checkout", _asked(fields[0])))
    for index, item in enumerate(fields):
        await think()
        after = fields[index + 1] if index + 1 < len(fields) else None
        shown = await steps(item.step, _answer(customer, shown, item, _asked(after)))
    await think()
    confirm_tapped = time.monotonic()
    result = await steps(
        "confirm", _tap(customer, shown, _confirm_label(shown), f"Tap “{PAY_LABEL}”")
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


async def idle_at_email_step(fake: TelegramFakeClient, user_id: int, form: CheckoutForm) -> None:
    """The cheapest way to a customer left mid-checkout: a product deep link, "Add to cart",
    `/checkout` and the form's fields before the email; the bot then waits for their email
    (the tea shop's: name and phone, 5 updates in all)."""
    customer = await fake.customer(user_id, f"Idle {user_id}", language_code="en")
    # The card of product 1, whatever its title: the message with the "Add to cart" button.
    card = await customer.command("start", "p_1", Until("", WAIT_PER_POLL, "Add to cart"))
    await _tap(customer, card, "Add to cart", "In your cart: 1")
    fields = form.fields
    shown = await _command(customer, "checkout", _asked(fields[0]))
    for index, item in enumerate(fields[:-1]):
        if item.step == "email":
            return
        shown = await _answer(customer, shown, item, _asked(fields[index + 1]))
