"""My orders, end to end: the customer's own orders, refreshed from OneEntry when opened,
titled with the storage's own statuses, and nothing of anyone else's, however asked."""

from __future__ import annotations

import pytest

from sandbox.oneentry import RunningEmulator
from tests.e2e.journeys import command, confirm, walk_to_summary
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_opening_my_orders_shows_what_oneentry_has_now(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    bob = await telegram_fake.client.customer(1003, "Bob", language_code="en")
    await walk_to_summary(shop_bot, alice, "Card (Stripe)")
    placed = await confirm(shop_bot, alice)
    await walk_to_summary(shop_bot, bob, "Cash")
    await confirm(shop_bot, bob)
    stripe_order, cash_order = sorted(oneentry_emulator.state.orders.values(), key=lambda o: o.id)
    [session, _] = sorted(oneentry_emulator.state.sessions.values(), key=lambda s: s.id)

    await alice.command("orders")
    await shop_bot.settle()
    assert "💳 Pay" in (await alice.last_message()).labels  # unpaid: the Pay button

    oneentry_emulator.state.pay_session(session.id)
    oneentry_emulator.state.set_order_status(cash_order.id, "shipped")
    await alice.command("orders")
    await shop_bot.settle()
    listing = await alice.last_message()
    assert f"Order #{stripe_order.id}" in listing.text and f"#{cash_order.id}" not in listing.text
    assert "Paid · In progress" in listing.text
    assert "💳 Pay" not in listing.labels
    texts = [m.text for m in (await alice.chat()).bot_messages]
    assert texts.count(f"✅ Order #{stripe_order.id} is paid. Thank you!") == 1  # told here
    redrawn = next(m for m in (await alice.chat()).messages if m.message_id == placed.message_id)
    assert "Payment: Paid" in redrawn.text

    await bob.command("orders")
    await shop_bot.settle()
    assert "Awaiting payment · Shipped" in (await bob.last_message()).text

    await alice.command("orders")
    await shop_bot.settle()
    again = [m.text for m in (await alice.chat()).bot_messages]
    assert again.count(f"✅ Order #{stripe_order.id} is paid. Thank you!") == 1


async def test_the_detail_refreshes_and_titles_in_the_customers_language(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    ivan = await telegram_fake.client.customer(1002, "Иван", language_code="ru")
    await walk_to_summary(shop_bot, ivan, "Карта (Stripe)", language="ru")
    await confirm(shop_bot, ivan, language="ru")
    [order] = oneentry_emulator.state.orders.values()

    await ivan.command("orders", payload=str(order.id))
    await shop_bot.settle()
    detail = await ivan.last_message()
    assert f"Заказ №{order.id}" in detail.text
    assert "Статус: В работе" in detail.text and "inProgress" not in detail.text
    assert "💳 Оплатить" in detail.labels

    oneentry_emulator.state.set_order_status(order.id, "paid_for")
    await ivan.command("orders")
    await shop_bot.settle()
    await ivan.tap(f"Заказ №{order.id}")
    await shop_bot.settle()
    assert "Статус: Оплачен" in (await ivan.last_message()).text


async def test_my_orders_from_the_order_message_leaves_that_message_alone(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Card (Stripe)")
    placed = await confirm(shop_bot, alice)

    await alice.tap("📦 My orders", message_id=placed.message_id)
    await shop_bot.settle()
    listing = await alice.last_message()
    assert listing.message_id != placed.message_id and "My orders" in listing.text
    kept = next(m for m in (await alice.chat()).messages if m.message_id == placed.message_id)
    assert "Your order is placed." in kept.text


async def test_another_customers_order_is_not_found_typed_or_forged(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    bob = await telegram_fake.client.customer(1003, "Bob", language_code="en")
    await walk_to_summary(shop_bot, bob, "Card (Stripe)")
    await confirm(shop_bot, bob)
    [bob_order] = oneentry_emulator.state.orders.values()
    requests_before = len(oneentry_emulator.state.requests)

    for ask in (
        alice.command("orders", payload=str(bob_order.id)),
        alice.command("orders", payload=f"#{bob_order.id}"),
        alice.forge_tap(f"o:{bob_order.id}"),
    ):
        await ask
        await shop_bot.settle()
        answer = await alice.last_message()
        assert "Order not found." in answer.text
        assert f"#{bob_order.id}" not in answer.text and "Bob" not in answer.text
        assert "Pay" not in " ".join(answer.labels)
    assert len(oneentry_emulator.state.requests) == requests_before  # nothing looked up


@pytest.mark.parametrize("payload", ["²", "١٢", "#³", "1²", "0x1f", "-3", "99999999999"])
async def test_an_order_number_in_other_digits_is_a_clear_answer(
    shop_bot: RunningBot, telegram_fake: TelegramFake, payload: str
) -> None:
    """`str.isdigit()` takes '²' and Arabic-Indic digits; the bot must not crash on them."""
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    answer = await command(shop_bot, alice, "orders", payload)
    assert "My orders" in answer.text
    assert "something went wrong" not in answer.text
