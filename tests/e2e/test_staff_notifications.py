"""Staff notifications end to end: a card for each new and each paid order in the staff chat
(or the admin's own chat), a status change from a card reaching the customer, and a staff
chat that is rate-limited or has removed the bot never touching the customer's order."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from application.builder import build_application
from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer, Group
from settings import Settings
from tests.e2e import staff_shops
from tests.e2e.journeys import ADMIN_ID, PHONE, QUICK, confirm, journey_phone, walk_to_summary
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import RunningBot, TelegramFake, running

STAFF_CHAT = -1001234


def staff_settings(
    fake: TelegramFake, emulator: RunningEmulator, data_dir: Path, with_group: bool
) -> Settings:
    staff_chat = {"staff_chat_id": STAFF_CHAT} if with_group else {}
    return bot_settings_for(
        fake, emulator, data_dir, admin_ids=str(ADMIN_ID), **staff_chat, **QUICK
    )


@pytest.fixture
async def staff_group(telegram_fake: TelegramFake) -> Group:
    await telegram_fake.client.customer(ADMIN_ID, "Sam")
    return await telegram_fake.client.group(
        STAFF_CHAT, "Shop staff", members=[{"user_id": ADMIN_ID, "first_name": "Sam"}]
    )


@pytest.fixture
async def group_bot(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    staff_group: Group,
) -> AsyncIterator[RunningBot]:
    settings = staff_settings(telegram_fake, oneentry_emulator, tmp_path / "data", True)
    application = build_application(settings, staff_retry_backoff_seconds=0)
    async with running(application, telegram_fake) as bot:
        yield bot


async def order_by(
    bot: RunningBot, fake: TelegramFake, payment: str = "Card (Stripe)"
) -> tuple[Customer, int]:
    alice = await fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(bot, alice, payment)
    result = await confirm(bot, alice)
    assert "Order #" in result.text  # the customer's result, whatever happens to the staff
    return alice, int(result.text.split("Order #")[1].split("<")[0].split()[0])


async def cards(chat: Group | Customer, contains: str) -> list[str]:
    return [m.shown_text for m in (await chat.chat()).bot_messages if contains in m.shown_text]


async def test_a_new_and_a_paid_order_each_make_one_card(
    group_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    staff_group: Group,
) -> None:
    _, order_id = await order_by(group_bot, telegram_fake)
    card = await staff_group.wait_for_message(contains=f"New order #{order_id}")
    assert "Customer: Alice" in card.text and "Total: $34.90" in card.text
    assert card.labels == [f"🔎 Order #{order_id}", "🏷 Change status"]
    [session] = oneentry_emulator.state.sessions.values()
    oneentry_emulator.state.pay_session(session.id)
    paid = await staff_group.wait_for_message(contains=f"Order #{order_id} is paid")
    assert "Payment method: Card (Stripe)" in paid.text
    await group_bot.settle()
    assert len(await cards(staff_group, "New order")) == 1
    assert len(await cards(staff_group, "is paid")) == 1
    assert await cards(await telegram_fake.client.customer(ADMIN_ID, "Sam"), "order") == []


async def test_a_status_change_from_a_card_reaches_the_customer(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    sam = await telegram_fake.client.customer(ADMIN_ID, "Sam")
    settings = staff_settings(telegram_fake, oneentry_emulator, tmp_path / "data", False)
    async with running(build_application(settings), telegram_fake) as bot:
        alice, order_id = await order_by(bot, telegram_fake, payment="Cash")
        await sam.wait_for_message(contains=f"New order #{order_id}", after=0)
        await sam.tap("🏷 Change status")
        await bot.settle()
        await sam.tap("Shipped")
        await bot.settle()
        assert "status is now Shipped" in (await sam.last_message()).text
        told = await alice.wait_for_message(contains=f"Order #{order_id}: Shipped")
        assert told.text == f"📦 Order #{order_id}: Shipped"


async def test_a_rate_limited_staff_chat_still_gets_the_card(
    group_bot: RunningBot, telegram_fake: TelegramFake, staff_group: Group
) -> None:
    await telegram_fake.client.fail_next("sendMessage", 429, chat_id=STAFF_CHAT, retry_after=0)
    _, order_id = await order_by(group_bot, telegram_fake, payment="Cash")
    await staff_group.wait_for_message(contains=f"New order #{order_id}")
    assert len(await telegram_fake.client.calls("sendMessage", chat_id=STAFF_CHAT)) == 2


async def test_a_card_that_failed_once_is_sent_again(
    group_bot: RunningBot, telegram_fake: TelegramFake, staff_group: Group
) -> None:
    await telegram_fake.client.fail_next("sendMessage", 403, chat_id=STAFF_CHAT)
    _, order_id = await order_by(group_bot, telegram_fake, payment="Cash")
    await staff_group.wait_for_message(contains=f"New order #{order_id}")
    assert len(await cards(staff_group, "New order")) == 1


async def test_a_staff_chat_that_removed_the_bot_never_touches_the_order(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    staff_group: Group,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = staff_settings(telegram_fake, oneentry_emulator, tmp_path / "data", True)
    await telegram_fake.client.fail_next("sendMessage", 403, times=4, chat_id=STAFF_CHAT)
    caplog.set_level(logging.WARNING, logger="jobs.staff_notifications")
    async with running(
        build_application(settings, staff_retry_backoff_seconds=0), telegram_fake
    ) as bot:
        alice, order_id = await order_by(bot, telegram_fake, payment="Cash")
        assert f"Order #{order_id}" in (await alice.last_message()).text
    # stopping the bot waited for the card's task: it tried four times, then logged
    assert len(oneentry_emulator.state.orders) == 1
    assert await cards(staff_group, "New order") == []
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [f"order {order_id}: staff card not delivered after 4 attempts: Forbidden"]
    assert "Alice" not in caplog.text and "+44" not in caplog.text


async def test_staff_commands_answer_only_in_the_staff_chat_and_private_chats(
    group_bot: RunningBot, telegram_fake: TelegramFake, staff_group: Group
) -> None:
    """An admin typing /order in an unrelated group would post a customer's name, phone and
    email there: the staff commands keep to the staff chat and admins' private chats."""
    _, order_id = await order_by(group_bot, telegram_fake)
    await staff_group.wait_for_message(contains=f"New order #{order_id}")
    family = await telegram_fake.client.group(
        -100777, "Family", members=[{"user_id": ADMIN_ID, "first_name": "Sam"}]
    )
    for name in ("order", "find", "pending", "orders", "stats", "status"):
        await family.command(ADMIN_ID, name, str(order_id) if name != "find" else "Alice")
    await group_bot.settle()
    assert (await family.chat()).bot_messages == []

    await staff_group.command(ADMIN_ID, "order", str(order_id))
    detail = await staff_group.wait_for_message(contains="Phone:")
    assert f"Order #{order_id}" in detail.text and "Customer: Alice" in detail.text


# -- the staff's language and the staff chat's topic, on both shops ------------------------------

HEADING = {"en": "New order #", "ru": "Новый заказ №"}
PAID_HEADING = {"en": "is paid", "ru": "оплачен"}
EMAIL_LINE = {"en": "Email: alice@example.com", "ru": "Эл. почта: alice@example.com"}
OTHER = {"en": "ru", "ru": "en"}
TOPIC = 7


async def forum_bot(
    fake: TelegramFake,
    emulator: RunningEmulator,
    data_dir: Path,
    admin_language: str,
    **staff: object,
) -> tuple[Group, Customer, Settings]:
    """The admin (in `admin_language`) and a forum staff group with topic TOPIC."""
    sam = await fake.client.customer(ADMIN_ID, "Sam", language_code=admin_language)
    group = await fake.client.group(
        STAFF_CHAT, "Shop staff", topics=[TOPIC],
        members=[{"user_id": ADMIN_ID, "first_name": "Sam", "language_code": admin_language}],
    )  # fmt: skip
    settings = bot_settings_for(
        fake, emulator, data_dir, admin_ids=str(ADMIN_ID), staff_chat_id=STAFF_CHAT,
        **staff, **QUICK,
    )  # fmt: skip
    return group, sam, settings


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
@pytest.mark.parametrize("staff_language", ["en", "ru"])
async def test_cards_go_to_the_staff_topic_in_the_staff_language(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    oneentry_shop: str,
    staff_language: str,
) -> None:
    """STAFF_LANGUAGE wins over the admin's own (the other one here); STAFF_THREAD_ID puts
    the cards in that topic; the card has the email and the lines as the customer saw them."""
    shop = staff_shops.TEA if oneentry_shop == "tea" else staff_shops.MARKET
    group, _, settings = await forum_bot(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        OTHER[staff_language],
        staff_thread_id=TOPIC,
        staff_language=staff_language,
    )
    application = build_application(settings, staff_retry_backoff_seconds=0)
    async with running(application, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await staff_shops.order_in_chat(bot, alice, shop, "en")
        [order_id] = [o for o in oneentry_emulator.state.orders if o >= 1000]
        card = await group.wait_for_message(contains=f"{HEADING[staff_language]}{order_id}")
        assert card.thread_id == TOPIC
        assert EMAIL_LINE[staff_language] in card.text and journey_phone(shop.name) in card.text
        assert f"{shop.product[staff_language]} × 2 — {shop.line_total[staff_language]}" in (
            card.text
        )
        [session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == order_id]
        oneentry_emulator.state.pay_session(session.id)
        paid = await group.wait_for_message(contains=PAID_HEADING[staff_language])
        assert paid.thread_id == TOPIC and f"{order_id}" in paid.text


@pytest.mark.parametrize("admin_language", ["en", "ru"])
async def test_without_a_staff_language_cards_speak_the_first_admins(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    admin_language: str,
) -> None:
    group, _, settings = await forum_bot(
        telegram_fake, oneentry_emulator, tmp_path / "data", admin_language
    )
    async with running(build_application(settings), telegram_fake) as bot:
        sam = await telegram_fake.client.customer(ADMIN_ID, "Sam", language_code=admin_language)
        await sam.command("orders")  # the bot learns the admin's language
        await bot.settle()
        _, order_id = await order_by(bot, telegram_fake, payment="Cash")
        card = await group.wait_for_message(contains=f"{HEADING[admin_language]}{order_id}")
        assert card.thread_id is None  # no STAFF_THREAD_ID: the group itself


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_commands_in_a_topic_are_answered_in_that_topic(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator, language: str
) -> None:
    group, _, settings = await forum_bot(
        telegram_fake,
        oneentry_emulator,
        tmp_path / "data",
        language,
        staff_thread_id=TOPIC,
        staff_language=language,
    )
    async with running(build_application(settings), telegram_fake) as bot:
        _, order_id = await order_by(bot, telegram_fake, payment="Cash")
        card = await group.wait_for_message(contains=f"{HEADING[language]}{order_id}")
        await group.command(ADMIN_ID, "order", str(order_id), thread_id=TOPIC)
        detail = await group.wait_for_message(contains=PHONE)
        assert detail.thread_id == TOPIC and f"{order_id}" in detail.text
        await group.command(ADMIN_ID, "pending", thread_id=TOPIC)
        pending = await group.wait_for_message(contains=f"#{order_id}")
        assert pending.thread_id == TOPIC
        await group.tap(ADMIN_ID, card.labels[1], message_id=card.message_id)  # Change status
        await bot.settle()
        choices = (await group.chat()).bot_messages[-1]
        assert choices.thread_id == TOPIC and len(choices.labels) == 5


async def test_a_topic_that_is_gone_still_gets_the_card_to_the_group(
    tmp_path: Path,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    group, _, settings = await forum_bot(
        telegram_fake, oneentry_emulator, tmp_path / "data", "en", staff_thread_id=TOPIC + 1
    )
    caplog.set_level(logging.WARNING, logger="jobs.staff_notifications")
    async with running(build_application(settings), telegram_fake) as bot:
        _, order_id = await order_by(bot, telegram_fake, payment="Cash")
        card = await group.wait_for_message(contains=f"New order #{order_id}")
        assert card.thread_id is None
    assert f"no topic {TOPIC + 1} in the staff chat" in caplog.text
