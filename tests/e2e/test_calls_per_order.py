"""What an order costs in Telegram's currency: every message the bot sends or edits counts
against Telegram's 30 a second, so a flash sale takes at most 30 ÷ (calls per order) orders a
second. The tea shop's order, as the benchmark walks it, takes 9: one message per answer the
customer types, edits in place for every tap, no message sent only to be deleted."""

from __future__ import annotations

from collections import Counter

from sandbox.telegram.flood import limits_message
from tests.e2e.journeys import EMAIL, PHONE, command, say, share, tap
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_the_benchmark_s_order_costs_nine_messages(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    before = len(await telegram_fake.client.calls())
    menu = await command(shop_bot, alice, "start")
    catalog = await tap(shop_bot, alice, "🛍 Catalog")
    product = next(label for label in catalog.labels if " · " in label)
    assert menu.message_id == catalog.message_id  # the menu became the catalog
    await tap(shop_bot, alice, product)
    await tap(shop_bot, alice, "Add to cart")
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    summary = await say(shop_bot, alice, EMAIL)
    placed = await tap(shop_bot, alice, "✅ Card (Stripe)")
    assert "Your order is placed." in placed.text and placed.message_id == summary.message_id
    calls = [c for c in (await telegram_fake.client.calls())[before:] if c["chat_id"] == 1001]
    sent = Counter(call["method"] for call in calls if limits_message(call["method"]))
    assert sent == {
        "sendMessage": 5,  # /start, and the name, phone, email prompts and the summary
        "editMessageText": 2,  # the catalog in the menu's place, the order in the summary's
        "sendPhoto": 1,  # the product's card (the list stays above it)
        "editMessageCaption": 1,  # "In your cart: 1" on the card
    }
    assert sum(sent.values()) == 9
