"""The holes found by trying to break the order path, each closed and kept closed: a confirmed
order that left its checkout behind, a Confirm that ordered a cart the summary did not show,
and a second "order placed" message after a double tap."""

from __future__ import annotations

import pytest

from application.builder import store_of
from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from settings import Settings
from shop.ledger import Ledger
from shop.ledger_records import CheckoutState
from shop.store import Store
from tests.e2e.journeys import (
    QUICK,
    add_product,
    command,
    confirm,
    confirm_label,
    pay_with,
    tap,
    to_summary,
    walk_to_summary,
)
from tests.fixtures.bot import run_shop_bot, store_settings_for
from tests.fixtures.telegram import RunningBot, TelegramFake


@pytest.fixture
def bot_settings(store_bot_settings: Settings) -> Settings:
    """Every test here runs on both engines."""
    return store_bot_settings


def products_of(order: object) -> list[tuple[int, int]]:
    return [(line.product_id, line.quantity) for line in order.lines]  # type: ignore[attr-defined]  # the emulator's StoredOrder


async def summary_again(bot: RunningBot, customer: Customer) -> None:
    """A returning customer's checkout: the saved details, then the summary, to pay cash."""
    pay_with(customer, "Cash")
    await command(bot, customer, "checkout")
    await tap(bot, customer, "✅ Use these")


async def placed_messages(customer: Customer) -> list[int]:
    return [
        m.message_id
        for m in (await customer.chat()).bot_messages
        if "Your order is placed" in (m.text or "")
    ]


async def test_an_order_message_telegram_refuses_still_finishes_the_checkout(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """Telegram answered 403 to the order's message: the cart and the checkout stayed, and
    the next Confirm of another cart showed the first order again and ordered nothing."""
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await walk_to_summary(shop_bot, alice, "Cash")
    await telegram_fake.client.fail_next("editMessageText", error=403, contains="Order #")
    await alice.tap(await confirm_label(alice))
    await shop_bot.settle()
    [first] = oneentry_emulator.state.orders.values()

    cart = await command(shop_bot, alice, "cart")
    assert "Your cart is empty" in cart.text
    await add_product(shop_bot, alice, 3)
    await summary_again(shop_bot, alice)
    result = await confirm(shop_bot, alice)
    assert len(oneentry_emulator.state.orders) == 2
    second = max(oneentry_emulator.state.orders.values(), key=lambda order: order.id)
    assert products_of(second) == [(3, 1)] and second.id != first.id
    assert f"Order #{second.id}" in result.text


async def test_a_kill_mid_create_leaves_no_checkout_to_reorder_the_old_cart(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """Killed while orders.create was in flight: after the restart the customer is told of
    order A, its products are no longer in the cart, and a new Confirm orders only what was
    added since."""
    settings = store_settings_for(telegram_fake, oneentry_emulator, store, **QUICK)
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=6)
    async with run_shop_bot(settings, telegram_fake) as bot:
        await walk_to_summary(bot, alice, "Cash")
        checking = await confirm(bot, alice)  # the create landed; the bot does not know yet
        assert "We are checking your order" in checking.text
    oneentry_emulator.state.clear_faults()
    async with run_shop_bot(settings, telegram_fake) as bot:
        [first] = oneentry_emulator.state.orders.values()
        await alice.wait_for_message(contains=f"Order #{first.id}")
        cart = await command(bot, alice, "cart")
        assert "Your cart is empty" in cart.text
        await add_product(bot, alice, 3)
        await summary_again(bot, alice)
        result = await confirm(bot, alice)
    assert len(oneentry_emulator.state.orders) == 2
    second = max(oneentry_emulator.state.orders.values(), key=lambda order: order.id)
    assert products_of(second) == [(3, 1)] and f"Order #{second.id}" in result.text
    async with Ledger(store_of(settings).ledger_database()) as ledger:
        assert await ledger.unresolved_checkouts() == []
        for order in (first, second):
            recorded = await ledger.order("guest_orders", order.id)
            assert recorded is not None
            checkout = await ledger.checkout(recorded.checkout_id)
            assert checkout is not None and checkout.state is CheckoutState.PLACED


async def test_confirm_orders_only_the_cart_its_summary_showed(
    shop_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """With the summary on screen, ➕ on an older cart message changed the cart: Confirm used
    to order the changed cart ($25.00) with no warning."""
    alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
    await add_product(shop_bot, alice, 1)
    cart = await command(shop_bot, alice, "cart")
    summary = await to_summary(shop_bot, alice)
    assert "Total: $12.50" in summary.text
    await alice.tap("➕ 1", message_id=cart.message_id)  # an older cart message, still there
    await shop_bot.settle()

    await alice.tap(await confirm_label(alice), message_id=summary.message_id)
    await shop_bot.settle()
    assert not oneentry_emulator.state.orders
    redrawn = await alice.wait_until_shown("Your order changed since you last saw it")
    assert "Total: $25.00" in redrawn.text and "✅ Cash" in redrawn.labels

    result = await confirm(shop_bot, alice)
    [order] = oneentry_emulator.state.orders.values()
    assert products_of(order) == [(1, 2)] and f"Order #{order.id}" in result.text


async def test_a_double_tap_makes_one_order_and_one_order_message(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = store_settings_for(telegram_fake, oneentry_emulator, store, **QUICK)
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        summary = await walk_to_summary(bot, alice, "Card (Stripe)")
        await alice.tap_on(summary, "✅ Card (Stripe)")
        await alice.tap_on(summary, "✅ Card (Stripe)")  # the same button, before any answer
        await bot.settle()
        assert len(oneentry_emulator.state.orders) == 1
        assert await placed_messages(alice) == [summary.message_id]

        [session] = oneentry_emulator.state.sessions.values()
        oneentry_emulator.state.pay_session(session.id)
        paid = await alice.wait_until_shown("Payment: Paid")
        assert paid.message_id == summary.message_id  # the one message follows the payment


async def test_get_payment_link_fills_in_the_same_order_message(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings: Settings = store_settings_for(telegram_fake, oneentry_emulator, store)
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Card (Stripe)")
        oneentry_emulator.state.add_fault("payments.create_session", status=500)
        placed = await confirm(bot, alice)
        assert "🔄 Get payment link" in placed.labels
        link = await tap(bot, alice, "🔄 Get payment link")
        assert "💳 Pay" in link.labels and link.message_id == placed.message_id
        assert await placed_messages(alice) == [placed.message_id]
