"""What a customer told the bot is on disk as soon as the bot has answered, not on a timer: a
process killed right after an answer loses nothing the customer saw acknowledged. In SQLite and
PostgreSQL alike (`store_bot_settings`)."""

from __future__ import annotations

import pickle

import pytest

from application.builder import store_of
from settings import Settings
from shop.chat_state import ChatStateStore
from tests.e2e.journeys import PHONE, add_product, command, say, share, tap
from tests.fixtures.bot import run_shop_bot
from tests.fixtures.telegram import TelegramFake


@pytest.fixture
def bot_settings(store_bot_settings: Settings) -> Settings:
    return store_bot_settings


async def stored(settings: Settings, user_id: int) -> dict[str, object]:
    """The customer's data as another process would read it from the data directory now."""
    async with ChatStateStore(store_of(settings).chat_state_database()) as store:
        rows = await store.user_data()
    return pickle.loads(rows[user_id]) if user_id in rows else {}


async def test_each_answer_is_saved_before_the_next_update(
    bot_settings: Settings, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(user_id=5001, first_name="Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await add_product(bot, alice, 1, times=2)
        await bot.application.saved()
        cart = (await stored(bot_settings, 5001))["cart"]
        assert cart.quantity(1) == 2  # type: ignore[attr-defined]  # a shop.cart.Cart

        await command(bot, alice, "checkout")
        await say(bot, alice, "Alice")
        await bot.application.saved()
        draft = (await stored(bot_settings, 5001))["checkout"]  # a CheckoutDraft
        assert draft.values["guest_name"] == "Alice"  # type: ignore[attr-defined]

        await share(bot, alice, PHONE)
        await bot.application.saved()
        async with ChatStateStore(store_of(bot_settings).chat_state_database()) as store:
            [state] = (await store.conversations("checkout")).values()
        assert state == '"checkout.field"'  # the step the customer is at, not the one before
        draft = (await stored(bot_settings, 5001))["checkout"]
        assert draft.asking == "guest_email"  # type: ignore[attr-defined]  # the field asked now


async def test_a_cart_emptied_stays_empty_after_a_restart(
    bot_settings: Settings, telegram_fake: TelegramFake
) -> None:
    """PicklePersistence (PTB 22.8) skipped data that had become empty (PTB #5297)."""
    alice = await telegram_fake.client.customer(user_id=5002, first_name="Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await add_product(bot, alice, 1)
        await command(bot, alice, "cart")
        await tap(bot, alice, "✖ 1")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        cart = await command(bot, alice, "cart")
        assert "Your cart is empty" in cart.text
