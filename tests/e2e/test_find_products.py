"""Finding a product, end to end: categories from OneEntry's catalog pages (the market shop
nested two levels, page by page through OneEntry), search by typing and `/search` (found,
not found, in Russian), and no message in a private chat left unanswered."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sandbox.oneentry import RunningEmulator
from settings import Settings
from tests.e2e.journeys import ADD_TO_CART, command, say, tap
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake

# What each shop's owner chose to show on a product card.
CARD_ATTRIBUTES = {"tea": "weight_g,harvest_year", "market": "origin_code,net_weight_g"}


@pytest.fixture
def bot_settings(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    oneentry_shop: str,
) -> Settings:
    return bot_settings_for(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        catalog_card_attributes=CARD_ATTRIBUTES[oneentry_shop],
    )


def _requests(emulator: RunningEmulator, endpoint: str) -> list[str]:
    return [r.path for r in emulator.state.requests if r.endpoint == endpoint]


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_market_categories_two_levels_deep_in_russian(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    front = await command(shop_bot, ivan, "catalog")
    assert front.text.startswith("Каталог\nВыберите раздел.")
    assert front.labels == [
        "📂 Бакалея",
        "📂 Напитки",
        "📂 Сладости",
        "📂 Подарки",
        "🛒 Корзина",
        "⬅️ Меню",
    ]
    drinks = await tap(shop_bot, ivan, "📂 Напитки")
    assert drinks.text.startswith("Напитки\nВыберите раздел.")
    assert drinks.labels == ["📂 Кофе", "📂 Чай", "⬅️ Каталог", "🛒 Корзина"]
    tea = await tap(shop_bot, ivan, "📂 Чай")
    # Earl Grey has no Russian texts: its English title is shown
    assert tea.labels[0] == "Earl Grey loose tea, 200 g · 6,30\xa0€"
    assert tea.labels[1] == "Травяной чай № 1 · 3,20\xa0€"
    assert "1/13" in tea.labels  # 101 products, 8 a page
    second = await tap(shop_bot, ivan, "▶️")
    assert "2/13" in second.labels and second.labels[0] == "Травяной чай № 8 · 6,00\xa0€"
    last = await tap(shop_bot, ivan, "◀️")
    assert "1/13" in last.labels
    back = await tap(shop_bot, ivan, "⬅️ Напитки")
    assert back.text.startswith("Напитки")
    front_again = await tap(shop_bot, ivan, "⬅️ Каталог")
    assert front_again.labels[0] == "📂 Бакалея"
    # each category page asked of OneEntry with offset/limit, once per cache period
    pages = _requests(oneentry_emulator, "products.by_page_url")
    assert sorted(set(pages)) == [
        "/api/content/products/page/url/catalog",
        "/api/content/products/page/url/drinks",
        "/api/content/products/page/url/tea",
    ]
    assert _requests(oneentry_emulator, "products.list") == []


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_a_product_in_several_categories_is_in_each(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice")
    await command(shop_bot, alice, "catalog")
    sweets = await tap(shop_bot, alice, "📂 Sweets")
    await tap(shop_bot, alice, "⬅️ Catalog")
    gifts = await tap(shop_bot, alice, "📂 Gifts")
    honey = "Wildflower honey, 500 g · €9.80 ✖"
    assert honey in sweets.labels and honey in gifts.labels
    chocolate = "Dark chocolate 85%, 100 g · €3.60"
    assert chocolate in sweets.labels and chocolate in gifts.labels
    card = await tap(shop_bot, alice, chocolate)
    assert card.shown_text.startswith("Dark chocolate 85%, 100 g")
    await tap(shop_bot, alice, "Add to cart")
    back = await tap(shop_bot, alice, "⬅️ Catalog")  # back to the category it came from
    assert back.text.startswith("Gifts")


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
@pytest.mark.parametrize("language", ["en", "ru"])
async def test_typing_a_name_finds_it_and_it_can_be_ordered(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    oneentry_shop: str,
    language: str,
) -> None:
    words, title = {
        ("tea", "en"): ("sencha", "Green tea Sencha"),
        ("tea", "ru"): ("сенча", "Зелёный чай Сенча"),
        ("market", "en"): ("espresso", "Espresso beans, 1 kg"),
        ("market", "ru"): ("эспрессо", "Кофе в зёрнах для эспрессо, 1 кг"),
    }[(oneentry_shop, language)]
    customer = await telegram_fake.client.customer(1005, "Sam", language_code=language)
    found = await say(shop_bot, customer, words)
    heading = {"en": f"Found for “{words}”", "ru": f"Найдено по запросу «{words}»"}[language]
    assert found.text.startswith(heading)
    [button] = [label for label in found.labels if label.startswith(title)]
    card = await tap(shop_bot, customer, button)
    assert card.shown_text.startswith(title)
    added = await tap(shop_bot, customer, ADD_TO_CART[language])
    assert {"en": "In your cart: 1", "ru": "В корзине: 1"}[language] in added.shown_text
    searched = [
        r for r in oneentry_emulator.state.requests if r.endpoint == "products.quick_search"
    ]
    assert [r.query.get("name") for r in searched] == [words]


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
async def test_nothing_found_offers_the_catalog(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    answer = await say(shop_bot, ivan, "привет")
    assert answer.text.startswith("По запросу «привет» ничего не найдено.")
    assert answer.labels == ["🛍 Каталог", "⬅️ Меню"]
    catalog = await tap(shop_bot, ivan, "🛍 Каталог")
    assert catalog.text.startswith("Каталог")


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_many_matches_show_a_page_and_say_how_many(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    answer = await say(shop_bot, ivan, "шоколад")
    assert "Первые 8 из 101" in answer.text  # 100 bars and the dark chocolate
    assert len([label for label in answer.labels if " · " in label]) == 8


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_a_search_in_russian_finds_a_product_named_only_in_english(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    answer = await say(shop_bot, ivan, "Earl Grey")
    assert answer.labels[0] == "Earl Grey loose tea, 200 g · 6,30\xa0€"


async def test_search_command_and_its_hint(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice")
    hint = await command(shop_bot, alice, "search")
    assert hint.text == "Type what you are looking for, for example: green tea."
    found = await command(shop_bot, alice, "search", "oolong")
    assert found.labels[0] == "Oolong Tie Guan Yin · $18.00"
    html = await say(shop_bot, alice, "<b>tea</b> & co")
    assert html.text.startswith("Nothing found for “<b>tea</b> & co”.")  # escaped, shown as typed


async def test_unknown_commands_and_other_messages_get_an_answer(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice")
    unknown = await command(shop_bot, alice, "foo")
    assert (
        unknown.text == "There is no command /foo: see /help, or type a product's name to search."
    )
    assert "🛍 Catalog" in unknown.labels
    await alice.share_contact("+447911123456", own=False)  # a friend's, from the address book
    await shop_bot.settle()
    other = await alice.last_message()
    assert other.text == "I read text only: type a product's name to search, or use the menu."
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    russian = await command(shop_bot, ivan, "foo")
    assert russian.text.startswith("Команды /foo нет")


async def test_text_in_a_checkout_step_is_not_a_search(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice")
    await command(shop_bot, alice, "start", "p_1")
    await tap(shop_bot, alice, "Add to cart")
    await command(shop_bot, alice, "checkout")
    answer = await say(shop_bot, alice, "Green tea")  # her name, as the step asks
    assert "phone" in answer.text.lower()
    assert _requests(oneentry_emulator, "products.quick_search") == []


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_a_crowd_on_a_category_costs_one_listing_per_page(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.set_latency("products.by_page_url", 50)
    crowd = [await telegram_fake.client.customer(3000 + i, f"C{i}") for i in range(25)]
    await asyncio.gather(*(customer.command("catalog") for customer in crowd))
    await shop_bot.settle()
    await asyncio.gather(*(customer.tap("📂 Sweets") for customer in crowd))
    await shop_bot.settle()
    await asyncio.gather(*(customer.tap("▶️") for customer in crowd))
    await shop_bot.settle()
    for customer in crowd:
        assert "2/14" in (await customer.last_message()).labels
    pages = _requests(oneentry_emulator, "products.by_page_url")
    assert len(pages) == 3  # the catalog page, Sweets' first and second pages
    assert len(_requests(oneentry_emulator, "pages.list")) == 1


@pytest.mark.parametrize(
    ("oneentry_shop", "language", "product_id", "shown"),
    [
        ("tea", "en", 1, ["Weight, g: 100", "Harvest: 2025"]),
        ("tea", "ru", 1, ["Вес, г: 100", "Урожай: 2025"]),
        ("tea", "en", 4, ["Weight, g: 357"]),  # no harvest year: left out
        # no Russian title for the origin: the default language's
        ("market", "ru", 1, ["Country of origin: IT", "Вес нетто, г: 1000"]),
    ],
)
async def test_the_card_shows_the_attributes_the_shop_chose(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    language: str,
    product_id: int,
    shown: list[str],
) -> None:
    customer = await telegram_fake.client.customer(1007, "Kim", language_code=language)
    card = await command(shop_bot, customer, "start", f"p_{product_id}")
    caption = card.caption or ""
    lines = caption.split("\n")
    assert [line for line in lines if ": " in line and not line.startswith("http")][
        : len(shown)
    ] == shown
    assert "Picture" not in caption and "Картинка" not in caption  # an image is not a detail
    titles = _requests(oneentry_emulator, "attribute_sets.attributes")
    assert titles and all(path.endswith("/products/attributes") for path in titles)


@pytest.mark.parametrize(
    ("oneentry_shop", "language", "product_id", "button", "caption"),
    [
        ("tea", "en", 8, "🖼 Photos (4)", "Clay teapot"),
        ("tea", "ru", 13, "🖼 Фото (3)", "Подарочный набор"),
        ("market", "en", 7, "🖼 Photos (4)", "Arborio rice, 1 kg"),
    ],
)
async def test_a_product_with_several_pictures_shows_them_as_an_album(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    language: str,
    product_id: int,
    button: str,
    caption: str,
) -> None:
    customer = await telegram_fake.client.customer(1008, "Lee", language_code=language)
    card = await command(shop_bot, customer, "start", f"p_{product_id}")
    assert button in card.labels
    count = int(button.split("(")[1].rstrip(")"))
    await tap(shop_bot, customer, button)
    album = (await customer.chat()).bot_messages[-count:]
    assert [message.photo is not None for message in album] == [True] * count
    assert album[0].caption == caption
    assert album[0].message_id > card.message_id  # under the card, which stays as it was
    plain = await command(shop_bot, customer, "start", "p_1")  # one picture: no album
    assert not any(label.startswith("🖼") for label in plain.labels)


async def test_a_search_while_oneentry_is_down_says_so_and_keeps_the_cart(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice")
    await command(shop_bot, alice, "start", "p_1")
    await tap(shop_bot, alice, "Add to cart")
    oneentry_emulator.state.add_fault("products.quick_search", status=503, count=3)
    down = await say(shop_bot, alice, "oolong")
    assert down.text.startswith("The catalog cannot be loaded right now.")
    again = await say(shop_bot, alice, "oolong")
    assert again.labels[0] == "Oolong Tie Guan Yin · $18.00"
    cart = await command(shop_bot, alice, "cart")
    assert "Green tea Sencha" in cart.text


async def test_a_restricted_catalog_finds_only_what_it_sells(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", catalog_product_ids="12,3"
    )
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice")
        found = await say(bot, alice, "e")  # nearly every title has an "e"; two are sold
        inline = await alice.inline_query("oolong")
        hidden = await command(bot, alice, "start", "p_1")
    assert [label for label in found.labels if " · " in label] == [
        "Oolong Tie Guan Yin · $18.00",
        "Earl Grey · $11.30",
    ]
    assert inline.titles == ["Oolong Tie Guan Yin"]
    assert hidden.text == "This product is no longer available."
