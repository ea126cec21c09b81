"""getUpdates as Telegram does it: offset confirmation, redelivery, 409s, allowed_updates."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from telegram.error import Conflict

from sandbox.telegram.updates import SUPERSEDED
from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot


async def update_ids(fake: TelegramFake, **params: object) -> list[int]:
    response = await call(fake, "getUpdates", **params)
    assert response.status_code == 200, response.text
    return [u["update_id"] for u in response.json()["result"]]


async def test_updates_stay_until_a_higher_offset_confirms_them(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    await alice.send("one")
    await alice.send("two")

    first = await update_ids(telegram_fake, timeout=0)
    assert len(first) == 2 and first[1] == first[0] + 1
    assert await update_ids(telegram_fake, timeout=0) == first  # returned, not yet confirmed
    assert await update_ids(telegram_fake, offset=first[0] + 1, timeout=0) == first[1:]
    assert await update_ids(telegram_fake, offset=first[1] + 1, timeout=0) == []
    await telegram_fake.client.settle(timeout=0)  # everything confirmed


async def test_a_cancelled_long_poll_loses_nothing(telegram_fake: TelegramFake):
    state = telegram_fake.state
    poll = asyncio.create_task(update_ids(telegram_fake, timeout=30))
    await state.changes.wait_for(lambda: state.updates.polls_started == 1, 5)
    poll.cancel()  # the bot shuts down mid-poll: the connection is dropped
    with contextlib.suppress(asyncio.CancelledError):
        await poll

    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    await alice.send("are you there?")
    delivered = await update_ids(telegram_fake, timeout=0)
    # The restarted bot gets it, and again until it confirms.
    assert len(delivered) == 1
    assert await update_ids(telegram_fake, timeout=0) == delivered


async def test_long_poll_answers_as_soon_as_an_update_arrives(telegram_fake: TelegramFake):
    state = telegram_fake.state
    poll = asyncio.create_task(update_ids(telegram_fake, timeout=30))
    await state.changes.wait_for(lambda: state.updates.polls_started == 1, 5)
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    await alice.send("hi")
    assert len(await asyncio.wait_for(poll, 5)) == 1


async def test_a_second_poll_terminates_the_first_with_409(telegram_fake: TelegramFake):
    state = telegram_fake.state
    # Two instances of the same bot, as when a second copy is started by mistake.
    async with ptb_bot(telegram_fake) as running, ptb_bot(telegram_fake) as second:
        first = asyncio.create_task(running.get_updates(timeout=30))
        await state.changes.wait_for(lambda: state.updates.polls_started == 1, 5)
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict) as superseded:
            await first
    assert "terminated by other getupdates request" in str(superseded.value).lower()
    raw = [c for c in await telegram_fake.client.calls("getUpdates") if c["error_code"]]
    assert raw[0]["description"] == f"Conflict: {SUPERSEDED}"


async def test_negative_offset_keeps_only_the_last_updates(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    for text in ("a", "b", "c"):
        await alice.send(text)
    all_ids = await update_ids(telegram_fake, timeout=0)
    assert await update_ids(telegram_fake, offset=-1, timeout=0) == all_ids[-1:]
    assert await update_ids(telegram_fake, timeout=0) == all_ids[-1:]  # the rest forgotten


async def test_allowed_updates_persist_and_filter_new_updates(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    assert await update_ids(telegram_fake, timeout=0, allowed_updates='["callback_query"]') == []
    await alice.send("ignored: the bot only wants button taps")
    assert await update_ids(telegram_fake, timeout=0) == []  # the setting persisted
    assert await update_ids(telegram_fake, timeout=0, allowed_updates="[]") == []
    await alice.send("now wanted")
    assert len(await update_ids(telegram_fake, timeout=0)) == 1


async def test_get_updates_is_refused_while_a_webhook_is_set(telegram_fake: TelegramFake):
    async with ptb_bot(telegram_fake) as bot:
        assert await bot.set_webhook("http://127.0.0.1:9/hook")
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates(timeout=0)
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
