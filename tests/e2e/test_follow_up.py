"""The payment follow-up, end to end: the real bot looks at its orders in the emulator on a
tiny backoff, redraws the customer's order message and tells them once what happened."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Job

from jobs.follow_up import job_name, schedule_follow_up
from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import ChatMessage, Customer
from settings import Settings
from shop.ledger import LEDGER_FILE, Ledger
from shop.ledger_records import Notice
from tests.e2e.journeys import QUICK, confirm, walk_to_summary
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


@pytest.fixture
def quick_settings(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Settings:
    return bot_settings_for(telegram_fake, oneentry_emulator, tmp_path / "data", **QUICK)


@pytest.fixture
async def quick_bot(
    quick_settings: Settings, telegram_fake: TelegramFake
) -> AsyncIterator[RunningBot]:
    async with run_shop_bot(quick_settings, telegram_fake) as bot:
        yield bot


async def place(
    bot: RunningBot, customer: Customer, payment: str = "Card (Stripe)", language: str = "en"
) -> ChatMessage:
    await walk_to_summary(bot, customer, payment, language=language)
    return await confirm(bot, customer, language=language)


async def notices(customer: Customer, after: int) -> list[ChatMessage]:
    """The bot's messages after message `after` (the order message's later notifications)."""
    return [m for m in (await customer.chat()).bot_messages if m.message_id > after]


async def test_paying_on_the_payment_page_redraws_the_order_and_tells_once(
    quick_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    placed = await place(quick_bot, alice)
    [order] = oneentry_emulator.state.orders.values()
    [session] = oneentry_emulator.state.sessions.values()

    oneentry_emulator.state.pay_session(session.id)
    told = await alice.wait_for_message(contains="is paid", after=placed.message_id)
    assert told.text == f"✅ Order #{order.id} is paid. Thank you!"
    redrawn = next(m for m in (await alice.chat()).messages if m.message_id == placed.message_id)
    assert redrawn.edited and "Payment: Paid" in redrawn.text
    assert "Thank you! Your order is paid." in redrawn.text and "💳 Pay" not in redrawn.labels

    oneentry_emulator.state.set_order_status(order.id, "shipped")  # a later change, as a fence
    await alice.wait_for_message(contains="Shipped", after=told.message_id)
    texts = [m.text for m in await notices(alice, placed.message_id)]
    assert texts == [
        f"✅ Order #{order.id} is paid. Thank you!",
        f"📦 Order #{order.id}: Shipped",
    ]


async def test_staff_status_change_reaches_the_customer_once_with_the_storage_title(
    quick_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    placed = await place(quick_bot, ivan, "Наличные", language="ru")
    [order] = oneentry_emulator.state.orders.values()
    assert "Статус: В работе" in placed.text  # the storage's title, never `inProgress`

    oneentry_emulator.state.set_order_status(order.id, "shipped")
    told = await ivan.wait_for_message(contains="Отправлен", after=placed.message_id)
    assert told.text == f"📦 Заказ №{order.id}: Отправлен"
    oneentry_emulator.state.set_order_status(order.id, "cancelled")
    await ivan.wait_for_message(contains="отменён", after=told.message_id)
    assert len(await notices(ivan, placed.message_id)) == 2
    redrawn = next(m for m in (await ivan.chat()).messages if m.message_id == placed.message_id)
    assert "Статус: Отменён" in redrawn.text


async def test_an_expired_session_gets_a_fresh_payment_link(
    quick_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    placed = await place(quick_bot, alice)
    [first] = oneentry_emulator.state.sessions.values()

    oneentry_emulator.state.set_session_status(first.id, "expired")
    told = await alice.wait_for_message(contains="did not go through", after=placed.message_id)
    sessions = sorted(oneentry_emulator.state.sessions.values(), key=lambda s: s.id)
    assert [s.status for s in sessions] == ["expired", "waiting"]  # one live session only
    assert await alice.tap("💳 Pay", message_id=told.message_id) == sessions[1].payment_url
    redrawn = next(m for m in (await alice.chat()).messages if m.message_id == placed.message_id)
    assert await alice.tap("💳 Pay", message_id=redrawn.message_id) == sessions[1].payment_url

    oneentry_emulator.state.pay_session(sessions[1].id)
    await alice.wait_for_message(contains="is paid", after=told.message_id)
    assert len(oneentry_emulator.state.sessions) == 2


async def test_a_blocked_customer_stops_nothing_else(
    quick_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    bob = await telegram_fake.client.customer(1003, "Bob", language_code="en")
    await place(quick_bot, alice)
    bob_placed = await place(quick_bot, bob)
    alice_order, bob_order = sorted(oneentry_emulator.state.orders.values(), key=lambda o: o.id)
    await alice.block()

    oneentry_emulator.state.set_order_status(alice_order.id, "shipped")
    oneentry_emulator.state.set_order_status(bob_order.id, "shipped")
    await bob.wait_for_message(contains="Shipped", after=bob_placed.message_id)
    await quick_bot.settle()


async def test_the_history_records_each_change_and_its_notice(
    quick_settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    async with run_shop_bot(quick_settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        placed = await place(bot, alice)
        [order] = oneentry_emulator.state.orders.values()
        [session] = oneentry_emulator.state.sessions.values()
        oneentry_emulator.state.pay_session(session.id)
        await alice.wait_for_message(contains="is paid", after=placed.message_id)
    async with Ledger(quick_settings.data_dir / LEDGER_FILE) as ledger:
        history = await ledger.order_history("guest_orders", order.id)
    assert [(e.kind, e.notice) for e in history] == [
        ("placed", Notice.NONE),
        ("paid", Notice.SENT),
    ]
    assert history[1].payment_status == "paid"  # the bot's word for the shop's "completed"


async def test_an_order_is_followed_by_one_job_the_soonest(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await place(shop_bot, alice)
    application = shop_bot.application
    [order] = await application.shop.ledger.orders_of_user(1001)
    name = job_name(order.storage, order.order_id)

    def jobs() -> list[Job]:  # type: ignore[type-arg]
        return [job for job in application.job_queue.jobs() if job.name == name]

    [first] = jobs()  # placing the order started following it
    assert schedule_follow_up(application, order, attempt=6) is None  # later: the first stays
    assert jobs() == [first]

    first.schedule_removal()
    later = schedule_follow_up(application, order, attempt=6)
    sooner = schedule_follow_up(application, order, attempt=0)  # replaces the later one
    assert later is not None and sooner is not None
    [job] = jobs()
    assert job.next_t == sooner.next_t and job.next_t < later.next_t
