"""The customer driver does what a person's Telegram app allows, and nothing more."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import Forbidden

from sandbox.telegram.driver import ChatMessage, NotShown, Until
from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot

ALICE = 1001
PHONE_KEYBOARD = ReplyKeyboardMarkup(
    [[KeyboardButton("Share my phone", request_contact=True)], ["Cancel"]],
    one_time_keyboard=True,
)


async def fetch_updates(fake: TelegramFake) -> list[dict]:
    """Take everything queued, confirming it, as a polling bot would."""
    updates = (await call(fake, "getUpdates", timeout=0)).json()["result"]
    if updates:
        await call(fake, "getUpdates", offset=updates[-1]["update_id"] + 1, timeout=0)
    return updates


async def test_a_command_carries_its_entity_and_deep_link_payload(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await alice.command("start", payload="p_12")
    [update] = await fetch_updates(telegram_fake)
    message = update["message"]
    assert message["text"] == "/start p_12"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"]["language_code"] == "en"
    assert message["chat"] == {"id": ALICE, "type": "private", "first_name": "Alice"}


async def test_tap_by_label_sends_the_callback_of_the_latest_message(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    pay = InlineKeyboardButton("Pay", url="https://pay.example.com/s/1")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(
            ALICE,
            "Tea",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Add", callback_data="a:1")]]),
        )
        latest = await bot.send_message(
            ALICE,
            "Coffee",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Add", callback_data="a:2")], [pay]]
            ),
        )
        assert await alice.tap("Pay") == "https://pay.example.com/s/1"  # sends nothing
        assert await alice.tap("Add") is None
        [update] = await fetch_updates(telegram_fake)
        query = update["callback_query"]
        assert (query["data"], query["message"]["message_id"]) == ("a:2", latest.message_id)
        assert await bot.answer_callback_query(query["id"], text="Added")

        with pytest.raises(AssertionError, match="Add"):  # lists what exists
            await alice.tap("Remove")


async def test_reply_keyboard_and_contact_follow_the_client_rules(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    with pytest.raises(AssertionError, match="request_contact"):
        await alice.share_contact("+79991234567")
    with pytest.raises(AssertionError, match="Cancel"):
        await alice.tap_reply("Cancel")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "Your phone?", reply_markup=PHONE_KEYBOARD)
        assert (await alice.chat()).reply_keyboard.labels == ["Share my phone", "Cancel"]
        shared = await alice.share_contact("79991234567")  # some apps drop the '+'
        assert shared.contact == {
            "phone_number": "79991234567",
            "first_name": "Alice",
            "user_id": ALICE,
        }
        assert (await alice.chat()).reply_keyboard is None  # one-time keyboard hidden after use
        # Someone else's card needs no button, and carries their id (or none).
        other = await alice.share_contact("+15550001", own=False, first_name="Bob")
        assert "user_id" not in other.contact

        await bot.send_message(ALICE, "Again?", reply_markup=PHONE_KEYBOARD)
        await bot.send_message(ALICE, "Never mind", reply_markup=ReplyKeyboardRemove())
        assert (await alice.chat()).reply_keyboard is None
    updates = await fetch_updates(telegram_fake)
    assert [u["message"].get("text") for u in updates] == [None, None]
    assert updates[0]["message"]["contact"]["user_id"] == ALICE


async def test_blocking_the_bot_makes_sends_fail_with_403(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await alice.block()
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(ALICE, "Your order shipped")
        await alice.unblock()
        await bot.send_message(ALICE, "Your order shipped")
    statuses = [
        u["my_chat_member"]["new_chat_member"]["status"] for u in await fetch_updates(telegram_fake)
    ]
    assert statuses == ["kicked", "member"]


async def test_wait_for_message_wakes_on_the_bots_reply(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    staff = await telegram_fake.client.group(chat_id=-100500, title="Staff")
    await alice.send("order please")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "Thinking…")
        await bot.send_message(ALICE, "Order <b>#42</b> placed", parse_mode="HTML")
        await bot.send_message(-100500, "New order #42")
    reply = await alice.wait_for_message(contains="Order", timeout=2)
    assert (reply.text, reply.entities[0]["type"]) == ("Order #42 placed", "bold")
    assert (await staff.last_message()).text == "New order #42"
    with pytest.raises(AssertionError, match="Thinking"):
        await alice.wait_for_message(contains="Refund", timeout=0)


async def test_an_action_can_wait_in_the_same_request_until_the_bot_shows_a_text(
    telegram_fake: TelegramFake,
):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Add", callback_data="a:1")]])
    async with ptb_bot(telegram_fake) as bot:
        card = await bot.send_message(ALICE, "Green tea", reply_markup=keyboard)
        shown = await alice.wait_for_message(contains="Green tea", timeout=2)
        tapping = asyncio.create_task(alice.tap_on(shown, "Add", Until("In your cart: 1")))
        [update] = await fetch_updates(telegram_fake)
        assert update["callback_query"]["data"] == "a:1"
        await bot.answer_callback_query(update["callback_query"]["id"])
        await bot.edit_message_text("Green tea\nIn your cart: 1", ALICE, card.message_id)
        edited = await tapping
    assert isinstance(edited, ChatMessage) and edited.message_id == card.message_id
    assert edited.text == "Green tea\nIn your cart: 1"

    with pytest.raises(NotShown, match="In your cart: 2"):
        await alice.send("hello?", until=Until("In your cart: 2", timeout=0))


async def test_a_photo_and_a_sticker_arrive_as_telegram_shapes_them(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    photo = await alice.send_photo("my tea")
    sticker = await alice.send_sticker("🍵")
    assert (photo.photo is not None, photo.caption) == (True, "my tea")
    assert sticker.sticker == "🍵"
    first, second = [update["message"] for update in await fetch_updates(telegram_fake)]
    assert first["caption"] == "my tea" and "text" not in first
    assert {"file_id", "file_unique_id", "width", "height"} <= set(first["photo"][-1])
    assert second["sticker"]["emoji"] == "🍵" and second["sticker"]["type"] == "regular"
    async with ptb_bot(telegram_fake) as bot:  # the photo downloads as any file does
        file = await bot.get_file(first["photo"][-1]["file_id"])
        assert await file.download_as_bytearray()


async def test_the_answer_to_a_tap_is_read_back_once_given(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Add", callback_data="a:1")]])
        await bot.send_message(ALICE, "Tea", reply_markup=keyboard)
        await alice.tap("Add")
        query_id = alice.last_query_id
        assert query_id is not None
        assert await telegram_fake.client.callback_answer(query_id) is None
        await bot.answer_callback_query(query_id, "Sold out", show_alert=True)
    answer = await telegram_fake.client.callback_answer(query_id)
    assert answer == {"text": "Sold out", "show_alert": True}
