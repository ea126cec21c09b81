"""Exactly once across restarts: one order per confirmed checkout and one notification per
change, whatever stops the bot and wherever. A "kill" is simulated in-process: the ledger
write after a OneEntry call is cancelled once (as a killed process never makes it), then the
bot is started again on the same data directory."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from settings import Settings
from shop.contact import ContactDetails
from shop.ledger import Ledger
from shop.ledger_records import OrderItem
from shop.placement_types import PlacementRequest
from shop.store import Store
from tests.e2e.journeys import QUICK, confirm, confirm_label, walk_to_summary
from tests.fixtures.bot import run_shop_bot, store_settings_for
from tests.fixtures.telegram import TelegramFake


def killed_once(monkeypatch: pytest.MonkeyPatch, method: str) -> asyncio.Event:
    """Make `Ledger.<method>` die once, as if the process were killed before the write; the
    event is set when it did."""
    original: Callable[..., Awaitable[Any]] = getattr(Ledger, method)
    died = asyncio.Event()

    async def dying(self: Ledger, *args: Any, **kwargs: Any) -> Any:
        if not died.is_set():
            died.set()
            raise asyncio.CancelledError  # the process is gone: nothing after this runs
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(Ledger, method, dying)
    return died


@pytest.fixture
def bot_settings(store_bot_settings: Settings) -> Settings:
    """Every test here runs on both engines."""
    return store_bot_settings


def quick(
    telegram: TelegramFake, oneentry: RunningEmulator, store: Store, **overrides: object
) -> Settings:
    return store_settings_for(telegram, oneentry, store, **{**QUICK, **overrides})


async def told(customer: Customer, text: str) -> int:
    return sum(text in (m.text or "") for m in (await customer.chat()).bot_messages)


async def test_killed_between_the_create_call_and_the_ledger_one_order_and_its_number(
    bot_settings: Settings,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Cash")
        died = killed_once(monkeypatch, "record_order")
        await alice.tap(await confirm_label(alice))
        await died.wait()
        await bot.settle()
    monkeypatch.undo()

    async with run_shop_bot(bot_settings, telegram_fake):
        [order] = oneentry_emulator.state.orders.values()
        message = await alice.wait_for_message(contains="confirmed earlier")
        assert f"Order #{order.id}" in message.text
    creates = [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.create"]
    assert len(creates) == 1


async def test_killed_between_the_session_call_and_the_ledger_one_session_and_the_link(
    bot_settings: Settings,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Card (Stripe)")
        died = killed_once(monkeypatch, "set_payment_session")
        await alice.tap(await confirm_label(alice))
        await died.wait()
        await bot.settle()
    monkeypatch.undo()

    async with run_shop_bot(bot_settings, telegram_fake):
        [order] = oneentry_emulator.state.orders.values()
        [session] = oneentry_emulator.state.sessions.values()  # found, not opened again
        message = await alice.wait_for_message(contains="confirmed earlier")
        assert f"Order #{order.id}" in message.text
        assert await alice.tap("💳 Pay", message_id=message.message_id) == session.payment_url


async def test_a_dropped_connection_after_store_one_order_and_its_number(
    bot_settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice", language_code="en")
        await walk_to_summary(bot, alice, "Card (Stripe)")
        oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
        result = await confirm(bot, alice)
        [order] = oneentry_emulator.state.orders.values()
        assert f"Order #{order.id}" in result.text and "💳 Pay" in result.labels
    async with run_shop_bot(bot_settings, telegram_fake) as bot:  # a restart changes nothing
        await bot.settle()
    assert len(oneentry_emulator.state.orders) == 1
    assert len(oneentry_emulator.state.sessions) == 1


async def test_restart_with_five_open_orders_resumes_all_and_sends_nothing_twice(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    data = store
    state = oneentry_emulator.state
    customers = [
        await telegram_fake.client.customer(3000 + n, f"Customer{n}", language_code="en")
        for n in range(5)
    ]
    async with run_shop_bot(quick(telegram_fake, oneentry_emulator, data), telegram_fake) as bot:
        await asyncio.gather(*(walk_to_summary(bot, c, "Card (Stripe)") for c in customers))
        for customer in customers:
            await customer.tap(await confirm_label(customer))
        await bot.settle()
        # The five Confirms are placed concurrently, so ids need not follow the taps: each
        # customer's order is the one carrying their name.
        orders = [
            next(
                order
                for order in state.orders.values()
                if any(field.get("value") == customer.first_name for field in order.form_data)
            )
            for customer in customers
        ]
        assert len({order.id for order in orders}) == len(state.orders) == 5
        sessions = {s.order_id: s for s in state.sessions.values()}
        state.pay_session(sessions[orders[0].id].id)  # told before the restart
        await customers[0].wait_for_message(contains="is paid")

    for order in orders[1:]:  # paid while the bot was down
        state.pay_session(sessions[order.id].id)
    async with run_shop_bot(quick(telegram_fake, oneentry_emulator, data), telegram_fake):
        for customer, order in zip(customers[1:], orders[1:], strict=True):
            await customer.wait_for_message(contains=f"Order #{order.id} is paid")

    async with run_shop_bot(quick(telegram_fake, oneentry_emulator, data), telegram_fake):
        for order in orders:
            state.set_order_status(order.id, "shipped")
        for customer, order in zip(customers, orders, strict=True):
            await customer.wait_for_message(contains=f"Order #{order.id}: Shipped")
    for customer, order in zip(customers, orders, strict=True):
        assert await told(customer, f"Order #{order.id} is paid") == 1
        assert await told(customer, f"Order #{order.id}: Shipped") == 1


async def test_a_hundred_customers_confirming_at_once_each_see_only_their_own(
    store: Store, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    """The hundred Confirms go straight to the running bot's `shop.placement` at the same
    moment (walking a hundred chats to their summaries through the fake costs half a minute;
    `test_placing` walks twenty); what each customer then sees is asked through Telegram."""
    settings = store_settings_for(telegram_fake, oneentry_emulator, store)
    async with run_shop_bot(settings, telegram_fake) as bot:
        customers = [
            await telegram_fake.client.customer(4000 + n, f"Customer{n}", language_code="en")
            for n in range(100)
        ]
        placement = bot.application.shop.placement  # type: ignore[attr-defined]
        results = await asyncio.gather(
            *(placement.place(hundred_request(n, c.user_id)) for n, c in enumerate(customers))
        )
        assert all(result.is_placed for result in results)
        orders = list(oneentry_emulator.state.orders.values())
        assert len(orders) == 100 == len({result.order.order_id for result in results})

        await asyncio.gather(*(c.command("orders") for c in customers))
        await bot.settle(timeout=30)
        for customer, result in zip(customers, results, strict=True):
            assert result.order is not None
            listing = await customer.last_message()
            assert [label for label in listing.labels if label.startswith("Order #")] == [
                f"Order #{result.order.order_id}"
            ]


def hundred_request(n: int, user_id: int) -> PlacementRequest:
    return PlacementRequest(
        checkout_id=f"{n:012x}",
        user_id=user_id,
        chat_id=user_id,
        contact=ContactDetails(f"Customer{n}", "+447911123456", f"c{n}@example.com"),
        items=(OrderItem(1, 1 + n % 3, "Green tea"),),
        payment_account="cash",
        content_lang="en_US",
    )
