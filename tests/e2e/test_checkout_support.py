"""Steps the checkout tests share (no tests here): a customer filling the cart and walking the
checkout through the real bot, waiting on the fake's events, never on the clock."""

from __future__ import annotations

from sandbox.telegram.driver import ChatMessage, Customer
from tests.fixtures.telegram import RunningBot

PHONE = "+447911123456"
EMAIL = "alice@example.com"


async def say(bot: RunningBot, customer: Customer, text: str) -> ChatMessage:
    """Send a text and return the bot's latest message once it has answered."""
    await customer.send(text)
    await bot.settle()
    return await customer.last_message()


async def command(bot: RunningBot, customer: Customer, name: str) -> ChatMessage:
    await customer.command(name)
    await bot.settle()
    return await customer.last_message()


async def tap(bot: RunningBot, customer: Customer, label: str) -> ChatMessage:
    await customer.tap(label)
    await bot.settle()
    return await customer.last_message()


async def share(bot: RunningBot, customer: Customer, phone: str, own: bool = True) -> ChatMessage:
    await customer.share_contact(phone, own=own)
    await bot.settle()
    return await customer.last_message()


async def add_product(
    bot: RunningBot, customer: Customer, product_id: int, times: int = 1, label: str = "Add to cart"
) -> None:
    """Open the product by its deep link and tap "Add to cart" `times` times."""
    await customer.command("start", payload=f"p_{product_id}")
    await bot.settle()
    for _ in range(times):
        await tap(bot, customer, label)


async def to_summary(
    bot: RunningBot,
    customer: Customer,
    name: str = "Alice",
    payment: str = "Cash",
) -> ChatMessage:
    """From a filled cart: /checkout, the three details, Continue, the payment method."""
    await command(bot, customer, "checkout")
    await say(bot, customer, name)
    await share(bot, customer, PHONE)
    await say(bot, customer, EMAIL)
    await tap(bot, customer, "Continue ▶️")
    return await tap(bot, customer, payment)
