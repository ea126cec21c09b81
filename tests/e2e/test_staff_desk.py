"""The staff desk as shop staff use it, end to end (the real bot, the Telegram fake, the
OneEntry emulator), on the tea shop and on the market, in English and in Russian: everything
in the admin's language with the shop's own status titles; /find by any part of a phone, an
email or a name; /pending, /stats and /find over a year of orders; the staff's /help,
/start and /myorders; status changes in the shop's order, asked about first when they cannot
be taken back, a paid order cancelled said plainly to the customer and the refund left to
staff, and "told" only when the customer was; /stats labelled per currency; every field the
customer gave, with line totals as the customer saw them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import parse_decimal

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from shop.contact import ContactDetails
from tests.e2e import staff_shops
from tests.e2e.journeys import ADMIN_ID, PHONE, QUICK, command, shown_phone, tap
from tests.e2e.staff_shops import MARKET, TEA, Shop, order_in_chat, placed
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake

# What staff read, per language.
T = {
    "en": {
        "awaiting": "Awaiting payment",
        "status": "Status",
        "payment": "Payment",
        "session_waiting": "Payment session: open, not paid yet",
        "placed": "placed",
        "told": "The customer has been told in Telegram.",
        "not_here": "The customer is not told: the order was not placed through this bot.",
        "failed": "The customer could not be told",
        "same": "already has the status",
        "cancel_q": "Cancel order #",
        "yes_cancel": "✖ Yes, cancel it",
        "back": "⬅️ Back to the statuses",
        "will_cancel": "The customer is told in Telegram that the order is cancelled",
        "refund": "The bot refunds nothing",
        "refund_told": "the shop will contact them about the refund",
        "choose": "Choose the new status",
        "help": "Staff commands",
        "mine": "My orders",
        "menu_note": "You are on the shop's staff: /help lists your commands.",
        "matching": "Orders matching",
        "no_match": "No orders match",
        "orders_placed": "Orders placed: ",
        "paid_orders": "Paid orders: ",
        "revenue": "Revenue (paid orders): ",
        "average": "Average paid order: ",
        "older": "are not included: /pending 90 looks 90 days back.",
        "newest_matches": "newest matches; older orders may match too",
        "note_title": "Delivery note",
        "customer_cancelled": "has been cancelled. It was paid: the shop will contact you",
        "customer_thanks": "Thank you! Your order is paid.",
        "customer_message_cancelled": "This order is cancelled. It was paid:",
        "is_paid": "is paid",
        "pay_now": "Tap “💳 Pay”",
    },
    "ru": {
        "awaiting": "Ожидает оплаты",
        "status": "Статус",
        "payment": "Оплата",
        "session_waiting": "Платёжная сессия: открыта, ещё не оплачена",
        "placed": "оформлен",
        "told": "Покупатель уведомлён в Telegram.",
        "not_here": "Покупатель не уведомляется: заказ оформлен не через этого бота.",
        "failed": "Покупателя не удалось уведомить",
        "same": "уже в статусе",
        "cancel_q": "Отменить заказ №",
        "yes_cancel": "✖ Да, отменить",
        "back": "⬅️ Назад к статусам",
        "will_cancel": "Покупателю придёт сообщение в Telegram, что заказ отменён",
        "refund": "Бот ничего не возвращает",
        "refund_told": "магазин свяжется с ним насчёт возврата денег",
        "choose": "Выберите новый статус",
        "help": "Команды для сотрудников",
        "mine": "Мои заказы",
        "menu_note": "Вы сотрудник магазина: /help покажет ваши команды.",
        "matching": "Заказы по запросу",
        "no_match": "заказов не найдено",
        "orders_placed": "Оформлено заказов: ",
        "paid_orders": "Оплаченных заказов: ",
        "revenue": "Выручка (оплаченные заказы): ",
        "average": "Средний оплаченный заказ: ",
        "older": "не показаны: /pending 90 ищет на 90 дней назад.",
        "newest_matches": "самых новых совпадений",
        "note_title": "Комментарий к доставке",
        "customer_cancelled": "отменён. Он был оплачен: магазин свяжется с вами",
        "customer_thanks": "Спасибо! Заказ оплачен.",
        "customer_message_cancelled": "Заказ отменён. Он был оплачен:",
        "is_paid": "оплачен",
        "pay_now": "Нажмите «💳 Оплатить»",
    },
}
STAFF_CHAT = -100999
RAW_MARKERS = ("inProgress", "inProgress-payment", "payment-done", "waiting", "succeeded")


def shows_a_marker(text: str) -> bool:
    """A status marker as a word of its own (not "waiting" inside "Awaiting")."""
    return any(re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text) for m in RAW_MARKERS)


@pytest.fixture(params=[TEA, MARKET], ids=["tea", "market"])
def shop(request: pytest.FixtureRequest) -> Shop:
    return request.param  # type: ignore[no-any-return]  # pytest types params as Any


@pytest.fixture(params=["en", "ru"])
def language(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def oneentry_shop(shop: Shop) -> str:
    return shop.name


@pytest.fixture
async def sam(telegram_fake: TelegramFake, language: str) -> Customer:
    """The admin, who opened the bot before it started, in this test's language."""
    return await telegram_fake.client.customer(ADMIN_ID, "Sam", language_code=language)


@pytest.fixture
async def bot(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    sam: Customer,
    language: str,
) -> AsyncIterator[RunningBot]:
    # The cards about new and paid orders go to a staff group, so that the admin's own chat
    # holds only the answers these tests read.
    await telegram_fake.client.group(
        STAFF_CHAT,
        "Staff",
        members=[{"user_id": ADMIN_ID, "first_name": "Sam", "language_code": language}],
    )
    settings = bot_settings_for(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        admin_ids=str(ADMIN_ID),
        staff_chat_id=STAFF_CHAT,
        **QUICK,
    )
    async with run_shop_bot(settings, telegram_fake) as running:
        yield running


ALICE = ContactDetails("Alice Smith", PHONE, "alice@example.com")
ZOE = ContactDetails("Zoë Núñez", "+79161234000", "zoe.nunez@example.fr")


# -- language and titles -----------------------------------------------------------------------


async def test_every_list_speaks_the_admins_language_with_the_shops_titles(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    sam: Customer,
    shop: Shop,
    language: str,
) -> None:
    _, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE, "en")
    t = T[language]
    line = f"{t['payment']}: {t['awaiting']} · {t['status']}: {shop.open[language]}"
    for name, payload in (("orders", None), ("pending", None), ("find", "Alice")):
        shown = await command(bot, sam, name, payload)
        assert f"#{order_id}" in shown.text and line in shown.text, shown.text
        assert not shows_a_marker(shown.text), shown.text
    detail = await command(bot, sam, "order", str(order_id))
    assert line in detail.text and t["session_waiting"] in detail.text
    assert f"· {t['placed']}" in detail.text  # the history in words, no status repeated
    assert not shows_a_marker(detail.text), detail.text
    choices = await command(bot, sam, "status", str(order_id))
    assert t["choose"] in choices.text and f"✓ {shop.open[language]}" in choices.labels


async def test_staff_dates_read_as_the_customers_do(
    bot: RunningBot, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    customer, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE, language)
    mine = await command(bot, customer, "orders", str(order_id))
    theirs = mine.text.split("\n")[0]  # "Order #1001 · Dec 1, 2026"
    detail = await command(bot, sam, "order", str(order_id))
    assert detail.text.split("\n")[0].startswith(f"{theirs}, ")  # the same date, then the time


# -- /find -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["example.fr", "nunez@", "ZOE", "zoë núñez", "núñez zoe", "+7 916 123 40", "9161234000"],
)
async def test_find_takes_any_part_of_a_phone_an_email_or_a_name(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    sam: Customer,
    shop: Shop,
    language: str,
    query: str,
) -> None:
    _, alice = await placed(bot, telegram_fake, shop, 1001, ALICE)
    _, zoe = await placed(bot, telegram_fake, shop, 1002, ZOE)
    found = await command(bot, sam, "find", query)
    assert T[language]["matching"] in found.text
    assert f"#{zoe}" in found.text and f"#{alice}" not in found.text
    nothing = await command(bot, sam, "find", "gmail")
    assert T[language]["no_match"] in nothing.text


# -- a year of orders --------------------------------------------------------------------------


@pytest.fixture
def year(tmp_path: Path, shop: Shop) -> Path:
    return staff_shops.with_a_year_of_orders(shop.name, tmp_path)


async def test_pending_stats_and_find_read_a_year_of_orders_as_far_as_they_need(
    tmp_path: Path, telegram_fake: TelegramFake, sam: Customer, year: Path, language: str
) -> None:
    from sandbox.oneentry import EmulatorState, serve_emulator

    t = T[language]
    async with serve_emulator(EmulatorState.from_shop(year)) as emulator:
        settings = bot_settings_for(
            telegram_fake, emulator, tmp_path / "data", admin_ids=str(ADMIN_ID)
        )
        async with run_shop_bot(settings, telegram_fake) as bot:
            stats = await command(bot, sam, "stats", "30d")
            pending = await command(bot, sam, "pending")
            found = await command(bot, sam, "find", staff_shops.OLDEST_EMAIL)
            many = await command(bot, sam, "find", "buyer")
    placed_count = int(stats.text.split(t["orders_placed"])[1].split("\n")[0])
    assert placed_count >= staff_shops.RECENT > 500
    unpaid = len(range(0, staff_shops.RECENT, staff_shops.UNPAID_EVERY))
    assert f"· {unpaid}," in pending.text or f"· {unpaid + 5}," in pending.text
    assert t["older"] in pending.text  # orders before the 30 days exist, and it says so
    assert "1/" in " ".join(pending.labels)
    assert staff_shops.OLDEST_NAME in found.text  # a year old, behind 600 newer orders
    assert t["newest_matches"] in many.text and len(many.labels) == 10


# -- the staff's own help ----------------------------------------------------------------------


async def test_admins_see_their_commands_and_their_own_orders(
    bot: RunningBot, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    t = T[language]
    help_text = (await command(bot, sam, "help")).text
    lines = help_text.split("\n")
    assert lines[0] == t["help"]
    for name in ("/orders", "/order", "/pending", "/stats", "/find", "/status", "/myorders"):
        [line] = [line for line in lines if line.split(" ")[0] == name]
        assert " — " in line  # one line each, /orders once: the shop's, never "your orders"
    start = await command(bot, sam, "start")
    assert t["menu_note"] in start.text
    _, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE)
    mine = await command(bot, sam, "myorders")
    assert t["mine"] in mine.text and f"#{order_id}" not in mine.text  # Alice's, not Sam's
    shops = await command(bot, sam, "orders")
    assert f"#{order_id}" in shops.text
    customer = await telegram_fake.client.customer(1003, "Eve", language_code=language)
    assert t["help"] not in (await command(bot, customer, "help")).text
    staff = await telegram_fake.client.group(STAFF_CHAT, "Staff")
    await staff.command(ADMIN_ID, "help")
    in_the_group = await staff.wait_for_message(contains=t["help"])
    assert "/myorders" not in in_the_group.text  # the staff commands alone there


# -- status changes ----------------------------------------------------------------------------


async def test_moving_an_order_on_tells_its_customer_at_once(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    sam: Customer,
    shop: Shop,
    language: str,
) -> None:
    t = T[language]
    alice, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE, language)
    choices = await command(bot, sam, "status", str(order_id))
    titles = [label.removeprefix("✓ ") for label in choices.labels]
    assert titles.index(shop.open[language]) < titles.index(shop.moved[language])  # shop's order
    same = await tap(bot, sam, f"✓ {shop.open[language]}")
    assert t["same"] in same.text
    assert not [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.update"]
    await command(bot, sam, "status", str(order_id))
    moved = await tap(bot, sam, shop.moved[language])
    assert t["told"] in moved.text, moved.text
    told = await alice.wait_for_message(contains=f"{order_id}")
    assert shop.moved[language] in told.text


async def test_a_customer_who_blocked_the_bot_is_said_not_told(
    bot: RunningBot, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    alice, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE, language)
    await alice.block()
    await command(bot, sam, "status", str(order_id))
    moved = await tap(bot, sam, shop.moved[language])
    assert T[language]["failed"] in moved.text and T[language]["told"] not in moved.text


async def test_cancelling_asks_first_and_says_what_the_customer_will_be_told(
    bot: RunningBot, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    t = T[language]
    alice, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE, language)
    await command(bot, sam, "status", str(order_id))
    question = await tap(bot, sam, shop.cancelled[language])
    assert f"{t['cancel_q']}{order_id}?" in question.text
    assert t["will_cancel"] in question.text and t["refund"] not in question.text
    assert question.labels == [t["yes_cancel"], t["back"]]
    back = await tap(bot, sam, t["back"])
    assert t["choose"] in back.text and back.message_id == question.message_id
    await tap(bot, sam, shop.cancelled[language])
    done = await tap(bot, sam, t["yes_cancel"])
    assert t["told"] in done.text
    told = await alice.wait_for_message(contains=f"{order_id}")
    assert "✖" in told.text and T[language]["customer_cancelled"] not in told.text


async def test_an_order_placed_elsewhere_is_changed_without_promising_to_tell(
    tmp_path: Path, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    """An order the bot did not place (and whose form has a field more): nobody to tell."""
    from sandbox.oneentry import EmulatorState, serve_emulator

    path, order_id = staff_shops.with_a_delivery_note(shop.name, tmp_path, "Ring twice")
    t = T[language]
    async with serve_emulator(EmulatorState.from_shop(path)) as emulator:
        settings = bot_settings_for(
            telegram_fake, emulator, tmp_path / "data", admin_ids=str(ADMIN_ID)
        )
        async with run_shop_bot(settings, telegram_fake) as bot:
            await command(bot, sam, "status", str(order_id))
            moved = await tap(bot, sam, shop.moved[language])
            assert t["not_here"] in moved.text and t["told"] not in moved.text
            await command(bot, sam, "status", str(order_id))
            question = await tap(bot, sam, shop.cancelled[language])
            assert t["not_here"] in question.text
            detail = await command(bot, sam, "order", str(order_id))
    assert f"{t['note_title']}: Ring twice" in detail.text
    assert "dora@example.com" in detail.text


async def test_a_paid_order_cancelled_is_said_plainly_and_the_refund_left_to_staff(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    sam: Customer,
    shop: Shop,
    language: str,
) -> None:
    t = T[language]
    alice = await telegram_fake.client.customer(1001, "Alice", language_code=language)
    placed_message = await order_in_chat(bot, alice, shop, language)
    [order_id] = [o for o in oneentry_emulator.state.orders if o >= 1000]
    [session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == order_id]
    oneentry_emulator.state.publish_payment_link(session.id)
    await alice.wait_until_shown(t["pay_now"])
    oneentry_emulator.state.pay_session(session.id)
    await alice.wait_for_message(contains=t["is_paid"])
    await alice.wait_until_shown(t["customer_thanks"])

    await command(bot, sam, "status", str(order_id))
    question = await tap(bot, sam, shop.cancelled[language])
    assert t["refund"] in question.text and t["refund_told"] in question.text
    done = await tap(bot, sam, t["yes_cancel"])
    assert t["told"] in done.text and t["refund"] in done.text
    told = await alice.wait_for_message(contains=t["customer_cancelled"])
    assert f"{order_id}" in told.text
    message = await alice.wait_until_shown(t["customer_message_cancelled"])
    assert message.message_id == placed_message.message_id
    assert t["customer_thanks"] not in message.text and "💳" not in " ".join(message.labels)


# -- /stats and the order's details ------------------------------------------------------------


async def test_stats_say_what_each_figure_is_per_currency(
    bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    sam: Customer,
    shop: Shop,
    language: str,
) -> None:
    """Orders placed, paid orders, their revenue and the average *paid* order, under the
    currency they are in (the market has orders of its own today too)."""
    t = T[language]

    async def figures() -> tuple[int, int, Decimal, Decimal | None]:
        stats = (await command(bot, sam, "stats", "today")).text
        assert f"\n{shop.currency}\n" in stats
        average = figure(stats, t["average"])
        return (
            int(figure(stats, t["orders_placed"]) or 0),
            int(figure(stats, t["paid_orders"]) or 0),
            figure(stats, t["revenue"]) or Decimal("0"),
            average,
        )

    def figure(text: str, label: str) -> Decimal | None:
        if label not in text:
            return None
        shown = text.split(label)[1].split("\n")[0]
        number = "".join(ch for ch in shown if ch.isdigit() or ch in ".,")
        return parse_decimal(number, locale=language)

    await placed(bot, telegram_fake, shop, 1009, ALICE)  # so the currency shows before
    before = await figures()
    _, first = await placed(bot, telegram_fake, shop, 1001, ALICE)
    await placed(bot, telegram_fake, shop, 1002, ZOE)
    paid = {"tea": "paid", "market": "payment-done"}[shop.name]
    oneentry_emulator.state.set_order_payment_status(first, paid)
    orders, paid_orders, revenue, average = await figures()
    assert (orders - before[0], paid_orders - before[1]) == (2, 1)
    assert revenue > before[2] and average is not None
    assert average == (revenue / paid_orders).quantize(Decimal("0.01"))  # per paid order


async def test_an_order_shows_line_totals_as_the_customer_saw_them_and_the_email(
    bot: RunningBot, telegram_fake: TelegramFake, sam: Customer, shop: Shop, language: str
) -> None:
    _, order_id = await placed(bot, telegram_fake, shop, 1001, ALICE)
    detail = await command(bot, sam, "order", str(order_id))
    assert f"{shop.product[language]} × 2 — {shop.line_total[language]}" in detail.text
    assert "alice@example.com" in detail.text and shown_phone(shop.name) in detail.text
