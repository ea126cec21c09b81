"""The way in and browsing, end to end: the real bot, the Telegram fake, the OneEntry emulator."""

from __future__ import annotations

from sandbox.oneentry import RunningEmulator
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_start_greets_in_english_with_the_menu(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(
        user_id=1001, first_name="Alice", language_code="en"
    )
    await alice.command("start")
    await shop_bot.settle()
    message = await alice.last_message()
    assert "Hello, Alice!" in message.text
    assert message.labels == ["🛍 Catalog", "🛒 Cart", "📦 My orders", "❓ Help"]


async def test_start_greets_in_russian(shop_bot: RunningBot, telegram_fake: TelegramFake) -> None:
    ivan = await telegram_fake.client.customer(user_id=1002, first_name="Иван", language_code="ru")
    await ivan.command("start")
    await shop_bot.settle()
    message = await ivan.last_message()
    assert "Здравствуйте, Иван!" in message.text
    assert message.labels == ["🛍 Каталог", "🛒 Корзина", "📦 Мои заказы", "❓ Помощь"]


async def test_names_with_html_are_escaped(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    mallory = await telegram_fake.client.customer(
        user_id=1003, first_name="<b>&Mal", language_code="en"
    )
    await mallory.command("start")
    await shop_bot.settle()
    assert "Hello, <b>&Mal!" in (await mallory.last_message()).text


async def test_catalog_pages_and_product_card(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(
        user_id=1001, first_name="Alice", language_code="en"
    )
    await alice.command("start")
    await shop_bot.settle()
    await alice.tap("🛍 Catalog")
    await shop_bot.settle()
    catalog = await alice.last_message()
    assert catalog.text.startswith("Catalog")
    assert "1/2" in catalog.labels
    await alice.tap("▶️")
    await shop_bot.settle()
    assert "2/2" in (await alice.last_message()).labels
    listings = [r for r in oneentry_emulator.state.requests if r.endpoint == "products.list"]
    assert len(listings) == 1  # the second page came from the cache
