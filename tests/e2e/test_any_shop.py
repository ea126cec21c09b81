"""The journeys that matter, on the tea shop and on the market shop: a full order in English
and in Russian, exactly once after an unknown outcome and across a restart, the follow-up's
paid / cancelled / new-status messages, the staff's lists and a cash payment recorded by
status. The market differs from the tea shop wherever real OneEntry projects can (its order
list runs oldest first, half its prices sit in an attribute, part of it is not translated, its
statuses and its payment account are its own), and the bot is told only what its owner would
paste from the emulator's banner."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox.oneentry import EmulatorState, RunningEmulator, serve_emulator
from sandbox.oneentry.shop import SHOPS_DIR
from sandbox.telegram.driver import ChatMessage, Customer
from settings import Settings
from tests.e2e.journeys import (
    ADD_TO_CART,
    ADMIN_ID,
    EMAIL,
    MARKET_ADDRESS,
    MARKET_PHONE_SHOWN,
    PHONE,
    QUICK,
    answer_the_form,
    command,
    confirm_paying,
    journey_phone,
    tap,
)
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


@dataclass(frozen=True)
class Shop:
    """What a test needs to know of a shop: a product to order and how it shows, the payment
    method's button (None: the only one, taken without asking), the status titles."""

    name: str
    product_id: int
    product: dict[str, str]  # title per bot language, as the catalog shows it
    categories: dict[str, list[str]]  # the category buttons to the product, per bot language
    payment: dict[str, str] | None  # the button per bot language
    paid_status: str  # the title of the order status that means "paid"
    cancelled_status: str
    moved_status: str
    pays_on_a_page: bool  # a payment session comes with a page to pay on


TEA = Shop(
    "tea",
    product_id=1,
    product={"en": "Green tea Sencha", "ru": "Зелёный чай Сенча"},
    categories={"en": ["📂 Tea"], "ru": ["📂 Чай"]},
    payment={"en": "Card (Stripe)", "ru": "Карта (Stripe)"},
    paid_status="Paid for",
    cancelled_status="Cancelled",
    moved_status="Shipped",
    pays_on_a_page=True,
)
MARKET = Shop(
    "market",
    product_id=10,  # no Russian texts, and its price only in the shop's price attribute
    product={"en": "Earl Grey loose tea, 200 g", "ru": "Earl Grey loose tea, 200 g"},
    categories={"en": ["📂 Drinks", "📂 Tea"], "ru": ["📂 Напитки", "📂 Чай"]},  # two levels
    payment=None,
    paid_status="Paid for",
    cancelled_status="Cancelled by the shop",
    moved_status="Packed",
    pays_on_a_page=True,
)


@pytest.fixture(params=[TEA, MARKET], ids=["tea", "market"])
def shop(request: pytest.FixtureRequest) -> Shop:
    return request.param  # type: ignore[no-any-return]  # pytest types params as Any


@pytest.fixture
def oneentry_shop(shop: Shop) -> str:
    """The emulator fixtures play this module's shop."""
    return shop.name


@pytest.fixture
async def settings(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Settings:
    await telegram_fake.client.customer(ADMIN_ID, "Sam")  # staff opened the bot first
    return bot_settings_for(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        admin_ids=str(ADMIN_ID),
        oneentry_timeout=0.5,
        **QUICK,
    )


@pytest.fixture
async def bot(settings: Settings, telegram_fake: TelegramFake) -> AsyncIterator[RunningBot]:
    async with run_shop_bot(settings, telegram_fake) as running:
        yield running


async def order_by(
    bot: RunningBot,
    customer: Customer,
    shop: Shop,
    language: str = "en",
    comment: str | None = None,
) -> ChatMessage:
    """Browse the categories to the shop's product, add it twice, check out (the market's
    comment given when `comment` is), confirm; the order message."""
    catalog = await command(bot, customer, "catalog")
    for category in shop.categories[language]:
        catalog = await tap(bot, customer, category)
    for _ in range(5):  # page on until the product shows
        labels = [label for label in catalog.labels if label.startswith(shop.product[language])]
        if labels:
            break
        catalog = await tap(bot, customer, "▶️")
    card = await tap(bot, customer, labels[0])
    assert card.shown_text.startswith(shop.product[language])
    await tap(bot, customer, ADD_TO_CART[language])
    await tap(bot, customer, ADD_TO_CART[language])
    await command(bot, customer, "checkout")
    summary = await answer_the_form(
        bot, customer, shop.name, customer.first_name, language, comment
    )
    assert f"{shop.product[language]} × 2" in summary.text
    return await tap(bot, customer, confirm_paying(shop.payment, language))


def the_order(emulator: RunningEmulator) -> int:
    """The one order the bot placed (past orders of the shop have small ids)."""
    [order_id] = [order_id for order_id in emulator.state.orders if order_id >= 1000]
    return order_id


def new_orders(emulator: RunningEmulator) -> list[int]:
    return [order_id for order_id in emulator.state.orders if order_id >= 1000]


PAY_NOW = {"en": "Tap “💳 Pay”", "ru": "Нажмите «💳 Оплатить»"}
IS_PAID = {"en": "is paid", "ru": "оплачен"}


async def pay(
    emulator: RunningEmulator, customer: Customer, order_id: int, language: str = "en"
) -> ChatMessage:
    """The customer pays on the payment page once its link is in the order's message."""
    [session] = [s for s in emulator.state.sessions.values() if s.order_id == order_id]
    emulator.state.publish_payment_link(session.id)  # PayPal's link comes later by itself
    await customer.wait_until_shown(PAY_NOW[language])
    emulator.state.pay_session(session.id)
    return await customer.wait_for_message(contains=IS_PAID[language])


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_a_full_order_and_its_payment(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    shop: Shop,
    language: str,
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code=language)
    placed = await order_by(bot, alice, shop, language)
    order_id = the_order(oneentry_emulator)
    heading = {"en": "Your order is placed.", "ru": "Заказ оформлен."}[language]
    assert heading in placed.text and f"{order_id}" in placed.text
    assert f"{shop.product[language]} × 2" in placed.text
    told = await pay(oneentry_emulator, alice, order_id, language)
    assert f"{order_id}" in told.text
    shown = await alice.wait_until_shown({"en": "Payment: Paid", "ru": "Оплата: Оплачен"}[language])
    assert shown.message_id == placed.message_id


COMMENT = "Ring twice <please> & wait"
# What the customer gave, as the order message shows it: the form's titles in the customer's
# language, a choice by its localized title, the date with its month's name (HTML-escaped:
# the fake parses it back to the text typed).
GIVEN = {
    ("tea", "en"): ["Name: Alice", f"Phone: {PHONE}", f"Email: {EMAIL}"],
    ("tea", "ru"): ["Имя: Alice", f"Телефон: {PHONE}", f"Электронная почта: {EMAIL}"],
    ("market", "en"): [
        "Your name: Alice",
        f"Phone number: {MARKET_PHONE_SHOWN}",
        f"Email: {EMAIL}",
        "Delivery: Courier to the door",
        f"Delivery address: {MARKET_ADDRESS}",
        "Preferred delivery date: 31 December 2030",
        f"Comment for the shop: {COMMENT}",
    ],
    ("market", "ru"): [
        "Ваше имя: Alice",
        f"Номер телефона: {MARKET_PHONE_SHOWN}",
        f"Эл. почта: {EMAIL}",
        "Доставка: Курьером до двери",
        f"Адрес доставки: {MARKET_ADDRESS}",
        "Желаемая дата доставки: 31 декабря 2030\u202fг.",  # Babel's narrow space
        f"Comment for the shop: {COMMENT}",  # no Russian title
    ],
}


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_the_order_message_shows_every_field_the_customer_gave(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    shop: Shop,
    language: str,
) -> None:
    """In the placed message, again once the follow-up redraws it (paid), and in the order
    opened from My orders; the list stays one entry per order."""
    alice = await telegram_fake.client.customer(1001, "Alice", language_code=language)
    placed = await order_by(bot, alice, shop, language, comment=COMMENT)
    given = "\n".join(GIVEN[shop.name, language])
    assert given in placed.text
    total = {"en": "Total:", "ru": "Итого:"}[language]
    assert placed.text.index(total) < placed.text.index(given)
    order_id = the_order(oneentry_emulator)

    await pay(oneentry_emulator, alice, order_id, language)
    redrawn = await alice.wait_until_shown(
        {"en": "Payment: Paid", "ru": "Оплата: Оплачен"}[language]
    )
    assert redrawn.message_id == placed.message_id and given in redrawn.text

    listing = await tap(bot, alice, {"en": "📦 My orders", "ru": "📦 Мои заказы"}[language])
    assert GIVEN[shop.name, language][-1] not in listing.text  # one entry per order
    opened = await tap(
        bot, alice, {"en": f"Order #{order_id}", "ru": f"Заказ №{order_id}"}[language]
    )
    assert given in opened.text
    by_number = await command(bot, alice, "orders", str(order_id))
    assert given in by_number.text


async def test_an_unknown_outcome_makes_one_order(
    bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator, shop: Shop
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    placed = await order_by(bot, alice, shop)
    order_id = the_order(oneentry_emulator)
    assert f"Order #{order_id}" in placed.text  # found by the look-up, whichever way it lists
    again = await tap(bot, alice, "📦 My orders")
    assert f"Order #{order_id}" in again.text
    assert new_orders(oneentry_emulator) == [order_id]


async def test_a_restart_mid_create_makes_one_order_and_says_so(
    settings: Settings,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    shop: Shop,
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=6)
    async with run_shop_bot(settings, telegram_fake) as bot:
        checking = await order_by(bot, alice, shop)
        assert "We are checking your order" in checking.text
    oneentry_emulator.state.clear_faults()
    async with run_shop_bot(settings, telegram_fake) as bot:
        order_id = the_order(oneentry_emulator)
        told = await alice.wait_for_message(contains=f"Order #{order_id}")
        assert "We have checked the order you confirmed earlier" in told.text
        assert "\n".join(GIVEN[shop.name, "en"][:3]) in told.text  # kept with the checkout
        assert "Your cart is empty" in (await command(bot, alice, "cart")).text
    assert new_orders(oneentry_emulator) == [order_id]


async def test_status_changes_reach_the_customer(
    bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator, shop: Shop
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await order_by(bot, alice, shop)
    order_id = the_order(oneentry_emulator)
    sam = await telegram_fake.client.customer(ADMIN_ID, "Sam")
    await command(bot, sam, "status", str(order_id))
    await tap(bot, sam, shop.moved_status)
    moved = await alice.wait_for_message(contains=f"Order #{order_id}: {shop.moved_status}")
    assert "📦" in moved.text
    await command(bot, sam, "status", str(order_id))
    await tap(bot, sam, shop.cancelled_status)
    await tap(bot, sam, "✖ Yes, cancel it")  # cancelling is asked about first
    cancelled = await alice.wait_for_message(contains="has been cancelled")
    assert f"#{order_id}" in cancelled.text


async def test_staff_lists_and_a_cash_payment_recorded_by_status(
    bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator, shop: Shop
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await order_by(bot, alice, shop)
    order_id = the_order(oneentry_emulator)
    sam = await telegram_fake.client.customer(ADMIN_ID, "Sam")

    orders = await command(bot, sam, "orders")
    assert orders.text.split("\n\n")[1].startswith(f"#{order_id}")  # newest first, both shops
    pending = await command(bot, sam, "pending")
    assert f"#{order_id}" in pending.text
    found = await command(bot, sam, "find", "Alice")
    assert f"#{order_id}" in found.text
    detail = await command(bot, sam, "order", str(order_id))
    assert "Customer: Alice" in detail.text and journey_phone(shop.name) in detail.text

    await command(bot, sam, "status", str(order_id))
    await tap(bot, sam, shop.paid_status)  # staff took the money in the shop
    await tap(bot, sam, f"✅ Yes, set {shop.paid_status}")  # marking it paid is asked first
    told = await alice.wait_for_message(contains="is paid")
    assert f"#{order_id}" in told.text
    await alice.wait_until_shown("Payment: Paid")
    pending = await command(bot, sam, "pending")
    assert f"#{order_id}" not in pending.text
    stats = await command(bot, sam, "stats", "today")
    assert "Paid orders: " in stats.text and "Paid orders: 0" not in stats.text


OWNERS_MARKERS = {
    "market_orders": "bakery_orders",
    "market_checkout": "bakery_form",
    "customer_name": "full_name",
    "customer_phone": "mobile",
    "customer_email": "mail",
    "cancelled_by_shop": "storniert",
    "paid_for": "bezahlt",
    "phone_auth": "bakery_login",
    "product_price": "preis",
    "currency_code": "waehrung",
}


async def test_a_shop_its_owner_describes_works_with_no_code_change(
    tmp_path: Path, telegram_fake: TelegramFake
) -> None:
    """A definition that is neither shipped shop, in the documented format (the market's,
    every marker renamed and its list newest first): the banner's lines are all the bot needs."""
    text = (Path(SHOPS_DIR) / "market.json").read_text(encoding="utf-8")
    for old, new in OWNERS_MARKERS.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    definition = json.loads(text)
    definition["behaviours"]["orderListOrder"] = "newest_first"
    path = tmp_path / "bakery.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    async with serve_emulator(EmulatorState.from_shop(path)) as emulator:
        settings = bot_settings_for(telegram_fake, emulator, tmp_path / "data", **QUICK)
        async with run_shop_bot(settings, telegram_fake) as bot:
            alice = await telegram_fake.client.customer(1001, "Alice", language_code="ru")
            placed = await order_by(bot, alice, MARKET, "ru")
            order_id = the_order(emulator)
            assert "Заказ оформлен." in placed.text and f"{order_id}" in placed.text
            [order] = [o for o in emulator.state.orders.values() if o.id == order_id]
            assert {field["marker"] for field in order.form_data} == {
                "full_name",
                "mobile",
                "mail",
                "delivery_method",
                "delivery_address",
                "delivery_date",
            }
            await pay(emulator, alice, order_id, "ru")
