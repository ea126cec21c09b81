"""Edit and delete rules as Telegram applies them, and the chat as the customer then sees it."""

from __future__ import annotations

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest

from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import ptb_bot

ALICE = 1001
CART = InlineKeyboardMarkup([[InlineKeyboardButton("+1", callback_data="add:7")]])
PHOTO_URL = "https://shop.example.com/img/tea.jpg"


async def test_same_content_and_markup_is_not_modified(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        sent = await bot.send_message(ALICE, "<b>Cart</b>: 1 tea", "HTML", reply_markup=CART)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "<b>Cart</b>: 1 tea", ALICE, sent.message_id, parse_mode="HTML", reply_markup=CART
            )
        # Same text, other keyboard: a real change.
        other = InlineKeyboardMarkup([[InlineKeyboardButton("-1", callback_data="del:7")]])
        edited = await bot.edit_message_text(
            "<b>Cart</b>: 1 tea", ALICE, sent.message_id, parse_mode="HTML", reply_markup=other
        )
    assert edited.edit_date is not None
    assert edited.reply_markup == other


async def test_an_edit_without_reply_markup_drops_the_inline_keyboard(
    telegram_fake: TelegramFake,
):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        sent = await bot.send_message(ALICE, "Cart: 1 tea", reply_markup=CART)
        edited = await bot.edit_message_text("Cart: 2 tea", ALICE, sent.message_id)
    assert edited.reply_markup is None
    shown = await alice.last_message()
    assert (shown.text, shown.buttons, shown.edited) == ("Cart: 2 tea", [], True)


async def test_messages_that_cannot_be_edited(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    typed = await alice.send("hello")
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Share my phone", request_contact=True)]])
    async with ptb_bot(telegram_fake) as bot:
        asking = await bot.send_message(ALICE, "Your phone?", reply_markup=keyboard)
        photo = await bot.send_photo(ALICE, PHOTO_URL, caption="Tea")
        for message_id, reason in [
            (999, "message to edit not found"),
            (typed.message_id, "message can't be edited"),
            (asking.message_id, "message can't be edited"),
            (photo.message_id, "there is no text in the message to edit"),
        ]:
            with pytest.raises(BadRequest, match=rf"(?i){reason}"):
                await bot.edit_message_text("new", ALICE, message_id)
        assert asking.reply_markup is None  # a reply keyboard is never echoed back
        captioned = await bot.edit_message_caption(ALICE, photo.message_id, caption="Green tea")
    assert captioned.caption == "Green tea"


async def test_the_chat_as_seen_after_edits_and_deletes(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await alice.send("menu please")
    async with ptb_bot(telegram_fake) as bot:
        menu = await bot.send_message(ALICE, "Menu", reply_markup=CART)
        note = await bot.send_message(ALICE, "Loading…")
        await bot.edit_message_reply_markup(ALICE, menu.message_id)  # keyboard cleared
        assert await bot.delete_message(ALICE, note.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(ALICE, note.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("gone", ALICE, note.message_id)
        assert await bot.delete_messages(ALICE, [menu.message_id, 12345])
    view = await alice.chat()
    assert [(m.message_id, m.from_bot, m.text) for m in view.messages] == [
        (1, False, "menu please")
    ]
    # One counter per chat for both sides: the customer's message was 1, the bot's 2 and 3.
    assert (menu.message_id, note.message_id) == (2, 3)


async def test_user_links_become_text_mentions_of_known_users_only(telegram_fake) -> None:  # type: ignore[no-untyped-def]
    """`<a href="tg://user?id=N">` reaches the chat as a text_mention with the whole user;
    a user the bot never saw is not mentioned (plain text), as Telegram does."""
    from telegram import Bot

    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    async with Bot(telegram_fake.token, base_url=telegram_fake.base_url) as bot:
        known = await bot.send_message(
            1001, 'Order by <a href="tg://user?id=1001">Alice</a>', parse_mode="HTML"
        )
        unknown = await bot.send_message(
            1001, 'Order by <a href="tg://user?id=999">Ghost</a>', parse_mode="HTML"
        )
    assert known.entities[0].type == "text_mention"
    assert known.entities[0].user.first_name == "Alice"
    assert unknown.entities == ()
    assert (await alice.last_message()).text == "Order by Ghost"
