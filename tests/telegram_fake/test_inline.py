"""Inline mode as Telegram runs it: `@bot words` reaches the bot as an `inline_query`, the
answer (`answerInlineQuery`, checked against the spec and Telegram's limits) is what the person
sees, a chosen result lands in the chat via the bot, and `chosen_inline_result` follows when
inline feedback is on; getMe says whether inline mode is on."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest

from sandbox.telegram.driver import Customer, InlineAnswer
from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import ptb_bot

GROUP = -100777
ALICE = 1001


def _article(result_id: str, title: str = "Green tea") -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=title,
        description="$12.50",
        thumbnail_url="https://shop.example/1.png",
        input_message_content=InputTextMessageContent(f"<b>{title}</b>\n$12.50", parse_mode="HTML"),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Order", url="https://t.me/oneentry_shop_bot?start=p_1")]]
        ),
    )


async def _next_update(bot: Bot, offset: int = 0) -> Update:
    updates = await bot.get_updates(offset=offset, timeout=5)
    assert updates, "no update came"
    return updates[0]


async def _ask(
    fake: TelegramFake, bot: Bot, alice: Customer, words: str
) -> tuple[Update, asyncio.Task[InlineAnswer]]:
    asking = asyncio.create_task(alice.inline_query(words))
    update = await _next_update(bot)
    await bot.get_updates(offset=update.update_id + 1, timeout=0)  # confirm it
    return update, asking


async def test_a_query_its_answer_and_the_chosen_card(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    await telegram_fake.client.group(
        GROUP, "Friends", members=[{"user_id": ALICE, "first_name": "A"}]
    )
    async with ptb_bot(telegram_fake) as bot:
        me = await bot.get_me()
        update, asking = await _ask(telegram_fake, bot, alice, "green")
        assert update.inline_query is not None
        assert update.inline_query.query == "green"
        assert update.inline_query.from_user.id == ALICE
        assert update.inline_query.chat_type == "supergroup"
        await update.inline_query.answer([_article("1")], cache_time=30, is_personal=True)
        answer = await asking
        card = await alice.choose(answer, "1", GROUP)
        chosen = await _next_update(bot, update.update_id + 1)
        later = await bot.get_updates(offset=chosen.update_id + 1, timeout=0)
    assert me.supports_inline_queries
    assert answer.titles == ["Green tea"]
    assert answer.results[0].text == "Green tea\n$12.50"  # parsed like a message's text
    assert answer.results[0].thumbnail_url == "https://shop.example/1.png"
    assert answer.options == {"cache_time": 30, "is_personal": True}
    assert card.text == "Green tea\n$12.50" and card.via_bot == "oneentry_shop_bot"
    assert not card.from_bot
    assert card.buttons[0][0].url == "https://t.me/oneentry_shop_bot?start=p_1"
    # the bot, a member of the group, sees the message sent via it; then the choice
    assert chosen.message is not None and chosen.message.via_bot is not None
    [feedback] = later
    assert feedback.chosen_inline_result is not None
    assert feedback.chosen_inline_result.result_id == "1"
    assert feedback.chosen_inline_result.inline_message_id  # the result had buttons
    assert not await telegram_fake.client.findings()


async def test_answers_telegram_refuses(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    async with ptb_bot(telegram_fake) as bot:
        update, asking = await _ask(telegram_fake, bot, alice, "tea")
        query = update.inline_query
        assert query is not None
        with pytest.raises(BadRequest, match=r"(?i)result_id_duplicate"):
            await query.answer([_article("1"), _article("1", "Black tea")])
        with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
            await query.answer([_article(str(n)) for n in range(51)])
        with pytest.raises(BadRequest, match=r"(?i)result_id_invalid"):
            await query.answer([_article("x" * 65)])
        await query.answer([])
        with pytest.raises(BadRequest, match="Query is too old"):
            await query.answer([_article("2")])
        answer = await asking
    assert answer.results == []
    await telegram_fake.client.findings(clear=True)


async def test_inline_mode_and_feedback_are_botfathers_switches(
    telegram_fake: TelegramFake,
) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    await telegram_fake.client.set_bot(inline_feedback=False)
    async with ptb_bot(telegram_fake) as bot:
        update, asking = await _ask(telegram_fake, bot, alice, "")
        assert update.inline_query is not None
        await update.inline_query.answer([_article("1")])
        await alice.choose(await asking, "1", ALICE)  # into the chat with the bot itself
        sent = await _next_update(bot, update.update_id + 1)
        after = await bot.get_updates(offset=sent.update_id + 1, timeout=0)
        await telegram_fake.client.set_bot(inline_mode=False)
        me = await bot.get_me()
    assert sent.message is not None and sent.message.via_bot is not None
    assert after == ()  # no chosen_inline_result without inline feedback
    assert not me.supports_inline_queries
    with pytest.raises(AssertionError, match="no inline mode"):
        await alice.inline_query("tea")
