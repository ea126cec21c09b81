"""The way in and browsing, end to end: the real bot, the Telegram fake, the OneEntry emulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


async def _customer(fake: TelegramFake, user_id: int = 1001, name: str = "Alice", lang: str = "en"):
    return await fake.client.customer(user_id=user_id, first_name=name, language_code=lang)


async def _open_catalog(bot: RunningBot, customer: Customer) -> None:
    await customer.command("catalog")
    await bot.settle()


def _listings(emulator: RunningEmulator, endpoint: str = "products.by_page_url") -> int:
    return sum(1 for r in emulator.state.requests if r.endpoint == endpoint)


async def test_start_greets_in_english_with_the_menu(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("start")
    await shop_bot.settle()
    message = await alice.last_message()
    assert "Hello, Alice!" in message.text
    assert message.labels == ["🛍 Catalog", "🛒 Cart", "📦 My orders", "❓ Help"]


async def test_start_greets_in_russian(shop_bot: RunningBot, telegram_fake: TelegramFake) -> None:
    ivan = await _customer(telegram_fake, 1002, "Иван", "ru")
    await ivan.command("start")
    await shop_bot.settle()
    message = await ivan.last_message()
    assert "Здравствуйте, Иван!" in message.text
    assert message.labels == ["🛍 Каталог", "🛒 Корзина", "📦 Мои заказы", "❓ Помощь"]


async def test_language_command_switches_and_sticks(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("language")
    await shop_bot.settle()
    await alice.tap("🇷🇺 Русский")
    await shop_bot.settle()
    assert "Здравствуйте, Alice!" in (await alice.last_message()).text
    await alice.command("start")
    await shop_bot.settle()
    assert (await alice.last_message()).labels[0] == "🛍 Каталог"


async def test_command_menu_is_set_in_both_languages(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    calls = await telegram_fake.client.calls(method="setMyCommands")
    by_language = {c["params"].get("language_code", ""): c["params"]["commands"] for c in calls}
    assert {"start", "catalog", "cart", "cancel"} <= {c["command"] for c in by_language[""]}
    russian = {c["command"]: c["description"] for c in by_language["ru"]}
    assert russian["start"] == "Главное меню"


async def test_names_with_html_are_escaped(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    mallory = await _customer(telegram_fake, 1003, "<b>&Mal")
    await mallory.command("start")
    await shop_bot.settle()
    assert "Hello, <b>&Mal!" in (await mallory.last_message()).text


async def test_each_catalog_page_is_one_cached_listing(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("start")
    await shop_bot.settle()
    await alice.tap("🛍 Catalog")
    await shop_bot.settle()
    catalog = await alice.last_message()
    assert catalog.text.startswith("Catalog")
    assert catalog.labels[:4] == ["📂 Tea", "📂 Teaware", "📂 Gifts", "Green tea Sencha · $12.50"]
    assert "White tea Bai Mu Dan · $21.00 ✖" in catalog.labels  # out of stock, still shown
    assert "1/2" in catalog.labels
    assert not any("Discontinued" in label for label in catalog.labels)  # invisible product
    await alice.tap("▶️")
    await shop_bot.settle()
    assert "2/2" in (await alice.last_message()).labels
    await alice.tap("▶️")  # wraps around
    await shop_bot.settle()
    assert "1/2" in (await alice.last_message()).labels
    # each page asked of OneEntry once (offset/limit), the categories once
    assert _listings(oneentry_emulator) == 2
    assert _listings(oneentry_emulator, "pages.list") == 1
    assert _listings(oneentry_emulator, "products.list") == 0


async def test_many_customers_browsing_cost_one_listing(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.set_latency("products.by_page_url", 50)
    customers = [await _customer(telegram_fake, 2000 + i, f"C{i}") for i in range(30)]
    await asyncio.gather(*(c.command("catalog") for c in customers))
    await shop_bot.settle()
    for customer in customers:
        assert (await customer.last_message()).text.startswith("Catalog")
    assert _listings(oneentry_emulator) == 1


async def test_product_card_quantity_and_add_to_cart(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await _open_catalog(shop_bot, alice)
    await alice.tap("▶️")
    await shop_bot.settle()
    await alice.tap("Earl Grey · $11.30")
    await shop_bot.settle()
    card = await alice.last_message()
    assert card.photo is not None
    assert card.caption.startswith("Earl Grey\n$11.30")
    assert "bergamot" in card.caption
    assert card.labels[:4] == ["➖", "1", "➕", "Add to cart"]
    await alice.tap("➕")
    await shop_bot.settle()
    await alice.tap("➕")
    await shop_bot.settle()
    assert (await alice.last_message()).labels[1] == "3"
    await alice.tap("Add to cart")
    await shop_bot.settle()
    assert "In your cart: 3" in (await alice.last_message()).caption


async def test_quantity_cannot_go_below_one(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("start", payload="p_12")
    await shop_bot.settle()
    await alice.tap("➖")
    await shop_bot.settle()
    assert (await alice.last_message()).labels[1] == "1"


async def test_out_of_stock_product_cannot_be_added(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("start", payload="p_5")
    await shop_bot.settle()
    card = await alice.last_message()
    assert "Out of stock" in card.caption
    assert "Add to cart" not in card.labels


async def test_deep_link_opens_the_product_in_russian(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ivan = await _customer(telegram_fake, 1002, "Иван", "ru")
    await ivan.command("start", payload="p_12")
    await shop_bot.settle()
    card = await ivan.last_message()
    assert card.labels[3] == "В корзину"


async def test_deep_link_to_a_hidden_or_unknown_product(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    for payload in ("p_15", "p_999"):
        await alice.command("start", payload=payload)
        await shop_bot.settle()
        assert (await alice.last_message()).text == "This product is no longer available."


async def test_catalog_titles_are_escaped_and_long_ones_shortened(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    product = oneentry_emulator.state.data["products"][0]
    product["localizeInfos"]["en_US"]["title"] = "Tea <b>&</b> 🍵 " + "x" * 5000
    category = oneentry_emulator.state.data["pages"][1]
    category["localizeInfos"]["en_US"]["title"] = "<i>Teas</i> & " + "y" * 500
    alice = await _customer(telegram_fake)
    await _open_catalog(shop_bot, alice)
    labels = (await alice.last_message()).labels
    assert labels[0].startswith("📂 <i>Teas</i> & yyy") and len(labels[0]) < 64
    first = labels[3]
    assert first.startswith("Tea <b>&</b> 🍵 ")
    assert len(first) < 64
    await alice.tap(first)
    await shop_bot.settle()
    card = await alice.last_message()
    assert card.caption.startswith("Tea <b>&</b> 🍵 xxx")
    await alice.tap("⬅️ Catalog")
    await shop_bot.settle()
    await alice.tap(labels[0])
    await shop_bot.settle()
    assert (await alice.last_message()).text.startswith("<i>Teas</i> & yyy")


async def test_catalog_can_be_restricted_to_product_ids(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", catalog_product_ids="12,3,15"
    )
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await _customer(telegram_fake)
        await _open_catalog(bot, alice)
        labels = (await alice.last_message()).labels
    assert [label.split(" · ")[0] for label in labels[:2]] == ["Earl Grey", "Oolong Tie Guan Yin"]
    assert labels[2:] == ["🛒 Cart", "⬅️ Menu"]  # 15 is invisible; one page, no arrows


async def test_catalog_down_offers_a_retry(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("products.by_page_url", status=503, count=3)
    alice = await _customer(telegram_fake)
    await _open_catalog(shop_bot, alice)
    message = await alice.last_message()
    assert message.text.startswith("The catalog cannot be loaded right now.")
    await alice.tap("🔄 Try again")
    await shop_bot.settle()
    assert (await alice.last_message()).text.startswith("Catalog")


async def test_a_stale_or_forged_button_says_it_expired(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await _customer(telegram_fake)
    await alice.command("start")
    await shop_bot.settle()
    await alice.forge_tap("zz:1")
    await shop_bot.settle()
    assert (await alice.last_message()).text == "This menu has expired. Here is a fresh one:"
