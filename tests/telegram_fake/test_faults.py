"""Every injected fault reaches PTB as the exception real Telegram's answer would raise."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot

ALICE = 1001


@pytest.mark.parametrize(
    ("error", "exception", "text"),
    [
        (429, RetryAfter, "flood control exceeded"),
        (403, Forbidden, "bot was blocked by the user"),
        (400, BadRequest, "chat not found"),
        (502, NetworkError, "bad gateway"),
    ],
)
async def test_injected_errors_raise_the_matching_ptb_exception(
    telegram_fake: TelegramFake, error: int, exception: type[Exception], text: str
):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("sendMessage", error=error, retry_after=3)
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(exception) as raised:
            await bot.send_message(ALICE, "Your order is placed")
        assert text in str(raised.value).lower()
        # Consumed: the next call goes through.
        assert (await bot.send_message(ALICE, "Your order is placed")).message_id == 1
    assert await telegram_fake.client.faults() == []


async def test_429_carries_retry_after_in_the_envelope(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("sendMessage", error=429, retry_after=7)
    response = await call(telegram_fake, "sendMessage", chat_id=ALICE, text="hi")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    async with ptb_bot(telegram_fake) as bot:
        await telegram_fake.client.fail_next("sendMessage", error=429, retry_after=7)
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(ALICE, "hi")
    assert raised.value.retry_after in (7, dt.timedelta(seconds=7))


async def test_injected_timeout_holds_the_request_until_the_client_gives_up(
    telegram_fake: TelegramFake,
):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("sendMessage", error="timeout")
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "hi", read_timeout=0.2)
        assert (await bot.send_message(ALICE, "hi")).text == "hi"


async def test_a_fault_for_one_chat_leaves_other_chats_alone(telegram_fake: TelegramFake):
    for user_id, name in ((ALICE, "Alice"), (1002, "Bob")):
        await telegram_fake.client.customer(user_id=user_id, first_name=name)
    await telegram_fake.client.fail_next("sendMessage", error=403, chat_id=1002, times=2)
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "hi Alice")
        assert len(await telegram_fake.client.faults()) == 1  # still armed for Bob
        for _ in range(2):
            with pytest.raises(Forbidden):
                await bot.send_message(1002, "hi Bob")
    assert await telegram_fake.client.faults() == []


async def test_unconsumed_faults_are_reported_for_the_teardown(telegram_fake: TelegramFake):
    await telegram_fake.client.fail_next("editMessageText", error=400)
    assert [f["method"] for f in await telegram_fake.client.faults()] == ["editMessageText"]
    telegram_fake.state.faults.faults.clear()  # this test wanted it left over; clean up


async def test_contains_picks_the_call_whose_text_has_it(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("editMessageText", error=502, contains="Order #7")
    async with ptb_bot(telegram_fake) as bot:
        summary = await bot.send_message(ALICE, "Summary")
        await bot.edit_message_text("⏳ Placing…", ALICE, summary.message_id)  # not this one
        with pytest.raises(NetworkError):
            await bot.edit_message_text(
                "<b>Order #7</b>", ALICE, summary.message_id, parse_mode="HTML"
            )
        assert (await bot.edit_message_text("Order #7", ALICE, summary.message_id)).text
    assert await telegram_fake.client.faults() == []


async def test_blocked_refuses_the_call_and_every_send_until_unblocked(
    telegram_fake: TelegramFake,
):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("sendMessage", error="blocked", contains="placed")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "Placing…")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(ALICE, "Your order is placed")
        assert (await alice.chat()).blocked
        with pytest.raises(Forbidden):
            await bot.send_message(ALICE, "Anything else")
        await alice.unblock()
        await bot.send_message(ALICE, "Welcome back")
        updates = (await call(telegram_fake, "getUpdates", timeout=0)).json()["result"]
    statuses = [u["my_chat_member"]["new_chat_member"]["status"] for u in updates]
    assert statuses == ["kicked", "member"]
    assert [m.text for m in (await alice.chat()).messages] == ["Placing…", "Welcome back"]


@pytest.mark.parametrize("error", ["blocked", "timeout"])
async def test_an_answer_a_fault_took_is_not_reported_as_missing(
    telegram_fake: TelegramFake, error: str
):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Confirm", callback_data="c")]])
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "Summary", reply_markup=keyboard)
        await alice.tap("Confirm")
        [update] = (await call(telegram_fake, "getUpdates", timeout=0)).json()["result"]
        await telegram_fake.client.fail_next("answerCallbackQuery", error=error)
        with pytest.raises((Forbidden, TimedOut)):
            await bot.answer_callback_query(update["callback_query"]["id"], read_timeout=0.2)
    assert await telegram_fake.client.findings() == []
    assert (await alice.chat()).blocked is (error == "blocked")


async def test_timeout_after_shows_the_message_and_loses_the_answer(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await telegram_fake.client.fail_next("*", error="timeout_after", contains="email")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "What is your name?")
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "What is your email?", read_timeout=0.2)
    assert [m.text for m in (await alice.chat()).messages] == [
        "What is your name?",
        "What is your email?",  # carried out: the customer sees it
    ]
    assert await telegram_fake.client.faults() == []


async def test_any_method_needs_the_text_it_is_about(telegram_fake: TelegramFake):
    with pytest.raises(AssertionError, match="contains"):
        await telegram_fake.client.fail_next("*", error=502)
