"""A product shared into any chat, end to end: `@bot <words> #tag` lists matching products
(photo, title, price), the chosen one lands in another chat as a card with an "Order in the
bot" button, whose deep link (`p_<id>_<tag>`) opens the product in the bot for anyone, who
then orders it; the staff's card names the campaign."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import ChatMessage, Customer
from settings import Settings
from tests.e2e.journeys import (
    ADD_TO_CART,
    ADMIN_ID,
    answer_the_form,
    command,
    confirm_paying,
    tap,
)
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import RunningBot, TelegramFake

FRIENDS = -100900
ALICE, BOB = 1001, 1002
ORDER_BUTTON = {"en": "🛒 Order in the bot", "ru": "🛒 Заказать в боте"}
# The method the customers pay by, where the shop offers several (the tea shop).
PAYMENT = {"tea": {"en": "Cash", "ru": "Наличные"}}
WORDS = {
    ("tea", "en"): ("oolong", "Oolong Tie Guan Yin", "$18.00"),
    ("tea", "ru"): ("улун", "Улун Те Гуань Инь", "18,00\xa0$"),
    ("market", "en"): ("olive", "Extra virgin olive oil, 750 ml", "€12.50"),
    ("market", "ru"): ("оливковое", "Оливковое масло Extra Virgin, 750 мл", "12,50\xa0€"),
}


@pytest.fixture
async def bot_settings(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Settings:
    """The shop with a staff member, who gets a card for every new order."""
    await telegram_fake.client.customer(ADMIN_ID, "Sam")
    return bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", admin_ids=str(ADMIN_ID)
    )


def _start_payload(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", "/oneentry_shop_bot")
    return parse_qs(parts.query)["start"][0]


async def _order(bot: RunningBot, customer: Customer, shop: str, language: str) -> ChatMessage:
    await command(bot, customer, "checkout")
    summary = await answer_the_form(bot, customer, shop, customer.first_name, language)
    assert "× 1" in summary.text
    return await tap(bot, customer, confirm_paying(PAYMENT.get(shop), language))


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
@pytest.mark.parametrize("language", ["en", "ru"])
async def test_shared_into_a_group_and_ordered_from_its_card(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    oneentry_shop: str,
    language: str,
) -> None:
    words, title, price = WORDS[(oneentry_shop, language)]
    alice = await telegram_fake.client.customer(ALICE, "Alice", language_code=language)
    bob = await telegram_fake.client.customer(BOB, "Bob", language_code=language)
    await telegram_fake.client.group(
        FRIENDS,
        "Friends",
        members=[{"user_id": ALICE, "first_name": "Alice"}, {"user_id": BOB, "first_name": "Bob"}],
    )
    answer = await alice.inline_query(f"{words} #spring", chat_type="supergroup")
    [result] = [r for r in answer.results if r.title == title]
    assert result.description is not None and result.description.startswith(price)
    assert result.thumbnail_url is not None and result.thumbnail_url.endswith(".png")
    assert answer.options.get("is_personal") is True
    card = await alice.choose(answer, result.id, FRIENDS)
    await shop_bot.settle()
    assert card.via_bot == "oneentry_shop_bot"
    assert card.text is not None and card.text.startswith(f"{title}\n{price}")
    [[button]] = card.buttons
    assert button.text == ORDER_BUTTON[language] and button.url is not None
    payload = _start_payload(button.url)
    assert payload == f"p_{result.id}_spring"
    # Bob, another member, opens the link: the product, in the bot
    opened = await command(shop_bot, bob, "start", payload)
    assert opened.shown_text.startswith(title)
    await tap(shop_bot, bob, ADD_TO_CART[language])
    placed = await _order(shop_bot, bob, oneentry_shop, language)
    [order] = [o for o in oneentry_emulator.state.orders.values() if o.id >= 1000]
    assert [line["productId"] for line in order.requested_products] == [int(result.id)]
    assert str(order.id) in placed.text
    # the staff's card says which campaign the order came by, and so does /order
    sam = await telegram_fake.client.customer(ADMIN_ID, "Sam")
    staff_card = await sam.wait_for_message(contains=f"New order #{order.id}")
    assert "Campaign: spring" in staff_card.text
    detail = await command(shop_bot, sam, "order", str(order.id))
    assert "Campaign: spring" in detail.text
    # nothing the card was sent through was taken as a search in the group
    group = await telegram_fake.client.request("GET", f"/chats/{FRIENDS}")
    assert [m["from_bot"] for m in group["messages"]] == [False]
    assert not await telegram_fake.client.findings()


async def test_an_empty_inline_query_lists_the_catalogs_first_page(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    answer = await alice.inline_query("", chat_type="private")
    assert answer.titles[:2] == ["Green tea Sencha", "Black tea Assam"]
    [[button]] = answer.results[0].buttons
    assert button.url == "https://t.me/oneentry_shop_bot?start=p_1_shared"  # no #tag given
    nothing = await alice.inline_query("no such thing")
    assert nothing.results == []


async def test_a_card_sent_into_the_bots_own_chat_is_not_a_search(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    answer = await alice.inline_query("sencha", chat_type="sender")
    await alice.choose(answer, answer.results[0].id, ALICE)
    await shop_bot.settle()
    chat = await alice.chat()
    assert chat.bot_messages == []  # the card has its own button; no answer under it
    searches = [
        r for r in oneentry_emulator.state.requests if r.endpoint == "products.quick_search"
    ]
    assert len(searches) == 1  # the inline query's, not one for the card's text


async def test_a_campaign_link_tags_the_next_order_only(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    bob = await telegram_fake.client.customer(BOB, "Bob")
    sam = await telegram_fake.client.customer(ADMIN_ID, "Sam")
    opened = await command(shop_bot, bob, "start", "p_3_autumn-2026")
    assert opened.shown_text.startswith("Oolong Tie Guan Yin")
    await tap(shop_bot, bob, "Add to cart")
    await _order(shop_bot, bob, "tea", "en")
    first = await sam.wait_for_message(contains="New order #")
    assert "Campaign: autumn-2026" in first.text
    await command(shop_bot, bob, "start", "p_2")  # no tag this time
    await tap(shop_bot, bob, "Add to cart")
    await command(shop_bot, bob, "checkout")
    await tap(shop_bot, bob, "✅ Use these")  # the details saved by the first order
    await tap(shop_bot, bob, confirm_paying(PAYMENT["tea"]))
    second = await sam.wait_for_message(contains="New order #", after=first.message_id)
    assert "Campaign" not in second.text
    # a payload that is not a product link is the plain menu
    menu = await command(shop_bot, bob, "start", "p_3_" + "x" * 41)
    assert "Hello, Bob!" in menu.text
