"""The cart screen end to end: lines, − / + / ✖, totals, unavailable products, long carts."""

from __future__ import annotations

from sandbox.oneentry import RunningEmulator
from settings import Settings
from shop.cart import Cart
from tests.e2e.journeys import add_product, command, tap
from tests.fixtures.bot import run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_an_empty_cart_says_so_and_offers_the_catalog(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    cart = await command(shop_bot, alice, "cart")
    assert "Your cart is empty" in cart.text
    assert cart.labels == ["🛍 Catalog", "⬅️ Menu"]
    catalog = await tap(shop_bot, alice, "🛍 Catalog")
    assert catalog.text.startswith("Catalog")


async def test_plus_minus_and_remove_change_the_lines_and_the_total(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    await add_product(shop_bot, alice, 1)  # Green tea Sencha, $12.50
    await add_product(shop_bot, alice, 2)  # Black tea Assam, $9.90
    cart = await tap(shop_bot, alice, "🛒 Cart")
    assert "1. Green tea Sencha × 1 — $12.50\n2. Black tea Assam × 1 — $9.90" in cart.text
    assert "Total: $22.40" in cart.text
    assert cart.labels == [
        "➖ 1", "➕ 1", "✖ 1", "➖ 2", "➕ 2", "✖ 2", "✅ Checkout", "🛍 Catalog", "⬅️ Menu"
    ]  # fmt: skip
    cart = await tap(shop_bot, alice, "➕ 1")
    assert "Green tea Sencha × 2 — $25.00" in cart.text and "Total: $34.90" in cart.text
    cart = await tap(shop_bot, alice, "➖ 2")  # at one, minus removes the line
    assert "Black tea Assam" not in cart.text and "Total: $25.00" in cart.text
    cart = await tap(shop_bot, alice, "✖ 1")
    assert "Your cart is empty" in cart.text


async def test_titles_with_html_and_emoji_are_escaped(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    product = oneentry_emulator.state.data["products"][0]
    product["localizeInfos"]["en_US"]["title"] = 'Tea <b>&</b> 🍵 "best"'
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    await add_product(shop_bot, alice, 1)
    cart = await command(shop_bot, alice, "cart")
    assert '1. Tea <b>&</b> 🍵 "best" × 1 — $12.50' in cart.text


async def test_products_no_longer_sold_must_be_removed_before_checkout(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    await add_product(shop_bot, alice, 1)
    # The cart also holds a product out of stock and one the shop stopped selling.
    shop_bot.application.user_data[3001]["cart"].lines.update({5: 1, 15: 2})
    cart = await command(shop_bot, alice, "cart")
    assert "2. White tea Bai Mu Dan × 1 — not available" in cart.text
    assert "3. A product no longer sold × 2" in cart.text
    assert "Total: $12.50" in cart.text
    assert "Remove the products that are not available" in cart.text
    assert "✅ Checkout" not in cart.labels
    assert {"✖ 2", "✖ 3"} <= set(cart.labels) and "➕ 2" not in cart.labels
    await tap(shop_bot, alice, "✖ 2")
    cart = await tap(shop_bot, alice, "✖ 2")  # the former line 3 is now line 2
    assert "✅ Checkout" in cart.labels


async def test_a_cart_over_the_message_limit_is_shortened_and_the_total_stays_right(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    products = oneentry_emulator.state.data["products"]
    template = products[0]
    for index in range(30):
        products.append(
            {
                **template,
                "id": 100 + index,
                "price": 1,
                "localizeInfos": {"en_US": {"title": f"Tea {index} " + "&<long> " * 600}},
            }
        )
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    shop_bot.application.user_data[3001]["cart"] = Cart({100 + index: 2 for index in range(30)})
    cart = await command(shop_bot, alice, "cart")
    assert len(cart.text) <= 4096
    assert "Total: $60.00" in cart.text
    shown = cart.text.count(" × 2 — $2.00")
    assert 0 < shown < 30
    assert f"…and {30 - shown} more items" in cart.text
    assert f"✖ {shown}" in cart.labels and f"✖ {shown + 1}" not in cart.labels
    assert "✅ Checkout" in cart.labels


async def test_the_cart_survives_a_restart(
    bot_settings: Settings, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(user_id=3001, first_name="Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await add_product(bot, alice, 3, times=2)
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        cart = await command(bot, alice, "cart")
        assert "Oolong Tie Guan Yin × 2 — $36.00" in cart.text
        cart = await tap(bot, alice, "➕ 1")  # and its buttons work in the new bot
        assert "Oolong Tie Guan Yin × 3" in cart.text
