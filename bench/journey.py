"""One customer's whole order, as a person taps it: `/start`, the catalog, a product, "Add to
cart", `/checkout`, name, phone (shared with the button), email, Continue, card payment,
Confirm, and the Pay link. Each step waits (a long poll on the fake) until the chat shows the
bot's answer, new or edited in place; nothing sleeps."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sandbox.telegram.driver import ChatMessage, Customer, TelegramFakeClient

# How long one step may take before the journey fails. One-at-a-time processing needs more
# than a minute here: 200 customers reach ✅ Confirm together and each Confirm waits on
# OneEntry (2 × 150 ms) behind all the others. The fake holds one wait for at most a minute
# (`WAIT_PER_POLL`), so a step re-asks until its deadline.
STEP_TIMEOUT = 300.0
WAIT_PER_POLL = 60.0
PHONE = "+447911123456"
PAY_LABEL = "💳 Pay"
# Updates the bot receives per journey: 2 commands, 6 taps, 2 texts, 1 contact.
UPDATES_PER_JOURNEY = 11


@dataclass(frozen=True)
class JourneyResult:
    """When the journey started and ended, and Confirm tap → Pay button (time.monotonic())."""

    started: float
    confirm_tapped: float
    pay_shown: float
    pay_url: str

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


async def _tap(customer: Customer, label: str, then: str) -> ChatMessage:
    await customer.tap(label)
    return await _expect(customer, then)


async def order_journey(fake: TelegramFakeClient, user_id: int) -> JourneyResult:
    """Walk customer `user_id` (a new one) from `/start` to the payment link."""
    customer = await fake.customer(user_id, f"Customer {user_id}", language_code="en")
    started = time.monotonic()
    await customer.command("start")
    await _expect(customer, "What would you like to do?")
    catalog = await _tap(customer, "🛍 Catalog", "Tap a product to see it.")
    product = catalog.labels[0]  # "Green tea Sencha · $12.50"
    await _tap(customer, product, product.split(" · ")[0])
    await _tap(customer, "Add to cart", "In your cart: 1")
    await customer.command("checkout")
    await _expect(customer, "What is your name?")
    await customer.send(customer.first_name)
    await _expect(customer, "What is your phone number?")
    await customer.share_contact(PHONE)
    await _expect(customer, "What is your email?")
    await customer.send(f"customer{user_id}@example.com")
    await _expect(customer, "Is this right?")
    await _tap(customer, "Continue ▶️", "How would you like to pay?")
    await _tap(customer, "Card (Stripe)", "Please check your order")
    confirm_tapped = time.monotonic()
    result = await _tap(customer, "✅ Confirm", f"Tap “{PAY_LABEL}”")
    pay_shown = time.monotonic()
    pay_url = await customer.tap(PAY_LABEL, message_id=result.message_id)
    if not pay_url:
        raise JourneyFailed(f"customer {user_id}: the Pay button carries no link")
    return JourneyResult(started, confirm_tapped, pay_shown, pay_url)


async def idle_at_email_step(fake: TelegramFakeClient, user_id: int) -> None:
    """The cheapest way to a customer left mid-checkout: a product deep link, "Add to cart",
    `/checkout`, name and phone; the bot then waits for their email (5 updates)."""
    customer = await fake.customer(user_id, f"Idle {user_id}", language_code="en")
    await customer.command("start", payload="p_1")
    await customer.wait_for_message(timeout=WAIT_PER_POLL)
    await _tap(customer, "Add to cart", "In your cart: 1")
    await customer.command("checkout")
    await _expect(customer, "What is your name?")
    await customer.send(customer.first_name)
    await _expect(customer, "What is your phone number?")
    await customer.share_contact(PHONE)
    await _expect(customer, "What is your email?")
