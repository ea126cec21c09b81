"""What the telegram_fake fixture's teardown fails a test on."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from tests.fixtures.telegram import TelegramFake, problems
from tests.telegram_fake.helpers import ptb_bot


async def test_unanswered_taps_double_answers_and_unfired_faults_are_problems(
    telegram_fake: TelegramFake,
):
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Pay", callback_data="pay:1")]])
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(1001, "Order #1", reply_markup=keyboard)
    await alice.tap("Pay")
    await telegram_fake.client.fail_next("sendMessage", error=429)

    found = problems(telegram_fake.state)
    assert len(found) == 2
    assert found[0].startswith("unanswered_callback_query: callback query")
    assert "'pay:1'" in found[0]
    assert found[1].startswith("injected fault never fired")

    # Clean up so this test's own teardown passes.
    for query in telegram_fake.state.callbacks.queries.values():
        query.answers = 1
    telegram_fake.state.faults.faults.clear()
    assert problems(telegram_fake.state) == []
