"""The bot as shipped, paced within Telegram's limits: when a crowd is waiting, the answer to
✅ Confirm goes before everyone else's greetings, and Telegram (the fake's flood control,
held to the same rate) never has to refuse a message."""

from __future__ import annotations

from pathlib import Path

from sandbox.oneentry import RunningEmulator
from tests.e2e.journeys import confirm_label, walk_to_summary
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import TelegramFake

RATE = 5  # messages a second, for the bot and for the fake: a small crowd fills a queue
CROWD = 15
ORDER_PLACED = "Your order is placed"
GREETING = "What would you like to do?"


async def test_the_order_message_overtakes_a_queue_of_greetings(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", telegram_rate_limit=RATE
    )
    await telegram_fake.client.flood_control(per_second=RATE)
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(1001, "Alice")
        await walk_to_summary(bot, alice, "Cash")
        guests = [await telegram_fake.client.customer(2000 + n, f"Guest {n}") for n in range(CROWD)]
        for guest in guests:
            await guest.command("start")
        await guests[0].wait_for_message(GREETING, timeout=30)  # the bot is sending them
        await alice.tap(await confirm_label(alice))
        await alice.wait_until_shown(ORDER_PLACED, timeout=30)
        still_waiting = [guest for guest in guests if not (await guest.chat()).bot_messages]
        assert len(still_waiting) >= CROWD // 2, (
            f"only {len(still_waiting)} of {CROWD} greetings were still queued when the order "
            "was shown: it waited behind browsing"
        )
        await bot.settle()
    for guest in guests:  # nobody was starved
        assert GREETING in (await guest.last_message()).text
    assert (await telegram_fake.client.flood())["refused"] == 0
