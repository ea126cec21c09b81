"""Confirm, end to end: the real bot, the Telegram fake and the OneEntry emulator.

What the customer sees after Confirm, and what OneEntry holds afterwards: one order per
confirmed checkout, whatever the double taps, failures and silences.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from sandbox.oneentry import RunningEmulator
from settings import Settings
from tests.e2e.journeys import (
    EMAIL,
    PHONE,
    QUICK,
    command,
    confirm,
    confirm_label,
    tap,
    walk_to_summary,
)
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


def orders_of(emulator: RunningEmulator) -> list[object]:
    return list(emulator.state.orders.values())


async def test_cash_order_from_start_to_the_result(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    summary = await walk_to_summary(shop_bot, alice, "Cash")
    result = await confirm(shop_bot, alice)

    [order] = orders_of(oneentry_emulator)
    assert result.message_id == summary.message_id  # the summary turned into the result
    assert f"Order #{order.id}" in result.text
    assert "Total: $34.90" in result.text
    assert "Payment: Awaiting payment" in result.text
    assert "You pay when you receive the order" in result.text
    assert "💳 Pay" not in result.labels
    assert order.total_sum == Decimal("34.90") and order.payment_account_identifier == "cash"
    values = {field["marker"]: field["value"] for field in order.form_data}
    assert values == {"guest_name": "Alice", "guest_phone": PHONE, "guest_email": EMAIL}


async def test_stripe_order_in_russian_ends_at_the_pay_button(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    await walk_to_summary(shop_bot, ivan, "Карта (Stripe)", language="ru")
    result = await confirm(shop_bot, ivan, language="ru")

    [order] = orders_of(oneentry_emulator)
    [session] = oneentry_emulator.state.sessions.values()
    assert f"Заказ №{order.id}" in result.text
    assert "Оплата: Ожидает оплаты" in result.text
    pay_url = await ivan.tap("💳 Оплатить", message_id=result.message_id)
    assert pay_url == session.payment_url
    assert order.payment_account_identifier == "stripe" and session.type == "session"


async def test_stripe_order_in_english_has_the_pay_button(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Card (Stripe)")
    result = await confirm(shop_bot, alice)
    [session] = oneentry_emulator.state.sessions.values()
    assert "Tap “💳 Pay”" in result.text
    assert await alice.tap("💳 Pay") == session.payment_url


@pytest.mark.parametrize("taps", [2, 3])
async def test_double_and_triple_confirm_make_one_order(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    taps: int,
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    summary = await walk_to_summary(shop_bot, alice, "Cash")
    data = next(b.callback_data for row in summary.buttons for b in row if b.text == "✅ Cash")
    assert data is not None
    await alice.tap(await confirm_label(alice))
    for _ in range(taps - 1):  # sent before the app showed the edited message
        await alice.forge_tap(data, message_id=summary.message_id)
    await shop_bot.settle()

    [order] = orders_of(oneentry_emulator)
    result = await alice.last_message()
    assert f"Order #{order.id}" in result.text
    assert len([r for r in oneentry_emulator.state.requests if r.endpoint == "orders.create"]) == 1


async def test_twenty_customers_at_once_each_get_their_own_order(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    customers = [
        await telegram_fake.client.customer(2000 + n, f"Customer{n}", language_code="en")
        for n in range(20)
    ]
    await asyncio.gather(*(walk_to_summary(shop_bot, c, "Cash") for c in customers))
    for customer in customers:
        await customer.tap(await confirm_label(customer))
    await shop_bot.settle()

    orders = orders_of(oneentry_emulator)
    assert len(orders) == 20
    by_name = {
        next(f["value"] for f in o.form_data if f["marker"] == "guest_name"): o for o in orders
    }
    for customer in customers:
        result = await customer.last_message()
        assert f"Order #{by_name[customer.first_name].id}" in result.text


async def test_a_refused_email_asks_for_it_again_then_places(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Cash")
    oneentry_emulator.state.add_fault(
        "orders.create", status=400, message="formData's marker 'guest_email' value is incorrect"
    )
    asked = await confirm(shop_bot, alice)
    assert "The shop did not accept your answer to “Email”" in asked.text
    assert "What is your email?" in asked.text
    assert not orders_of(oneentry_emulator)

    await alice.send("alice@example.org")
    await shop_bot.settle()
    result = await confirm(shop_bot, alice)
    [order] = orders_of(oneentry_emulator)
    assert f"Order #{order.id}" in result.text


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 503}])
async def test_oneentry_down_keeps_the_checkout_and_retry_places(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    fault: dict[str, int],
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Cash")
    oneentry_emulator.state.add_fault("orders.create", **fault)
    down = await confirm(shop_bot, alice)
    assert "The shop cannot take orders right now" in down.text
    assert "Nothing was ordered" in down.text and "🔄 Retry" in down.labels
    assert not orders_of(oneentry_emulator)

    await alice.tap("🔄 Retry")
    await shop_bot.settle()
    [order] = orders_of(oneentry_emulator)
    assert f"Order #{order.id}" in (await alice.last_message()).text


async def test_a_dropped_connection_after_store_still_gives_the_order_number(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Card (Stripe)")
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    result = await confirm(shop_bot, alice)

    [order] = orders_of(oneentry_emulator)
    assert f"Order #{order.id}" in result.text and "💳 Pay" in result.labels


async def test_a_timeout_is_checked_before_anything_is_created_again(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", oneentry_timeout=0.3, **QUICK
    )
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Cash")
        oneentry_emulator.state.add_fault("orders.create", kind="timeout")
        checking = await confirm(bot, alice)
        assert "We are checking your order" in checking.text
        assert not orders_of(oneentry_emulator)

        # At once: nothing is found, but the create may still land: nothing is created again.
        again = await tap(bot, alice, "🔄 Check again")
        assert "We are checking your order" in again.text
        assert not orders_of(oneentry_emulator)

        # Once the call's timeout has run out, the bot settles it by itself, in that message,
        # never ordering by itself: the create never landed, so nothing was ordered.
        shown = await alice.wait_until_shown("it was not placed", timeout=10)
        assert shown.message_id == checking.message_id
        assert not orders_of(oneentry_emulator)

        summary = await command(bot, alice, "checkout")  # the checkout is kept: confirm again
        assert "Please check your order" in summary.text
        placed = await confirm(bot, alice)
        [order] = orders_of(oneentry_emulator)
        assert f"Order #{order.id}" in placed.text


async def test_my_orders_shows_only_ones_own_and_a_forged_id_finds_nothing(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    bob = await telegram_fake.client.customer(1003, "Bob", language_code="en")
    await walk_to_summary(shop_bot, alice, "Card (Stripe)")
    await confirm(shop_bot, alice)
    await walk_to_summary(shop_bot, bob, "Cash")
    await confirm(shop_bot, bob)
    alice_order, bob_order = sorted(orders_of(oneentry_emulator), key=lambda o: o.id)

    await alice.command("orders")
    await shop_bot.settle()
    listing = await alice.last_message()
    assert f"Order #{alice_order.id}" in listing.text
    assert f"#{bob_order.id}" not in listing.text
    assert "💳 Pay" in listing.labels

    await alice.tap(f"Order #{alice_order.id}")
    await shop_bot.settle()
    detail = await alice.last_message()
    assert "Green tea" in detail.text or "× 2" in detail.text

    await alice.forge_tap(f"o:{bob_order.id}")
    await shop_bot.settle()
    forged = await alice.last_message()
    assert "Order not found." in forged.text
    assert "Bob" not in forged.text and f"#{bob_order.id}" not in forged.text


async def test_after_a_restart_an_unfinished_checkout_is_resolved_and_told(
    bot_settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Cash")
        oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
        oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
        assert "We are checking your order" in (await confirm(bot, alice)).text

    async with run_shop_bot(bot_settings, telegram_fake):  # post_init resolves
        [order] = orders_of(oneentry_emulator)
        told = await alice.last_message()
        assert "We have checked the order you confirmed earlier" in told.text
        assert f"Order #{order.id}" in told.text
