"""Flood control, when switched on, refuses what real Telegram refuses: the 31st message in a
second, the 21st in a minute in one group — and nothing that is not a message."""

from __future__ import annotations

import pytest
from telegram.error import RetryAfter

from sandbox.telegram.flood import FloodControl, limits_message
from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot

ALICE = 1001


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(telegram_fake: TelegramFake) -> Clock:
    clock = Clock()
    telegram_fake.state.flood.clock = clock
    return clock


async def test_off_by_default(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        for n in range(40):
            await bot.send_message(ALICE, f"message {n}")
    assert (await telegram_fake.client.flood())["refused"] == 0


async def test_the_31st_message_in_a_second_gets_429_with_retry_after(
    telegram_fake: TelegramFake, clock: Clock
):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.flood_control()
    async with ptb_bot(telegram_fake) as bot:
        for n in range(30):
            await bot.send_message(ALICE, f"message {n}")
        response = await call(telegram_fake, "sendMessage", chat_id=ALICE, text="one too many")
        assert response.status_code == 429
        assert response.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
        with pytest.raises(RetryAfter):
            await bot.edit_message_text("edited", chat_id=ALICE, message_id=1)
        # Not messages: never limited.
        assert (await call(telegram_fake, "getMe")).status_code == 200
        assert (await call(telegram_fake, "getChat", chat_id=ALICE)).status_code == 200
        clock.now += 1.0  # the window has moved on
        assert (await bot.send_message(ALICE, "later")).text == "later"
    shown = [m.text for m in (await alice.chat()).messages]
    assert "one too many" not in shown  # a refused call delivers nothing
    assert (await telegram_fake.client.flood())["refused"] == 2


async def test_a_group_takes_20_a_minute_while_private_chats_go_on(
    telegram_fake: TelegramFake, clock: Clock
):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    staff = -100123
    await telegram_fake.client.group(staff, "Staff")
    await telegram_fake.client.flood_control()
    async with ptb_bot(telegram_fake) as bot:
        for n in range(20):
            clock.now += 0.5
            await bot.send_message(staff, f"card {n}")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(staff, "card 21")
        assert "Retry in 51 seconds" in str(refused.value)  # the first card leaves at 60.5 s
        await bot.send_message(ALICE, "a private chat is not held up")
        clock.now += 51
        await bot.send_message(staff, "card 21")


MESSAGES = (
    "sendMessage", "sendPhoto", "editMessageText", "editMessageCaption",
    "editMessageReplyMarkup", "deleteMessage", "copyMessage", "sendMediaGroup",
)  # fmt: skip
NOT_MESSAGES = (
    "getUpdates", "answerCallbackQuery", "getChatMember", "sendChatAction", "setMyCommands",
    "deleteWebhook", "getMe",
)  # fmt: skip


def test_what_counts_as_a_message():
    assert all(limits_message(method) for method in MESSAGES)
    assert not any(limits_message(method) for method in NOT_MESSAGES)


def test_the_window_slides():
    clock = Clock()
    flood = FloodControl(enabled=True, per_second=2, clock=clock)
    flood.admit("sendMessage", {"chat_id": 1})
    clock.now += 0.6
    flood.admit("sendMessage", {"chat_id": 1})
    clock.now += 0.5  # the first has left the window, the second has not
    flood.admit("sendMessage", {"chat_id": 1})
    with pytest.raises(Exception, match="retry after 1"):
        flood.admit("sendMessage", {"chat_id": 1})
    assert flood.refused == 1
