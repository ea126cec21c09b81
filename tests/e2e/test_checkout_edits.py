"""A customer who corrects an answer by editing their message: the checkout takes the edit as
the new value (it used to ignore it and order with the old one), or says clearly why not."""

from __future__ import annotations

from sandbox.telegram.driver import Customer
from tests.e2e.journeys import EMAIL, PHONE, command, say, share
from tests.fixtures.telegram import RunningBot, TelegramFake


async def edited(bot: RunningBot, customer: Customer, message_id: int, text: str) -> str:
    await customer.edit(message_id, text)
    await bot.settle()
    return (await customer.last_message()).text or ""


async def test_an_edited_name_is_the_name_the_order_gets(
    alice: Customer, shop_bot: RunningBot
) -> None:
    await command(shop_bot, alice, "checkout")
    typo = await alice.send("Alise")
    await shop_bot.settle()
    answer = await edited(shop_bot, alice, typo.message_id, "Alice Smith")
    assert "✏️ Name is now Alice Smith." in answer
    await share(shop_bot, alice, PHONE)
    summary = await say(shop_bot, alice, EMAIL)
    assert "Name: Alice Smith" in summary.text


async def test_a_refused_answer_edited_into_a_good_one_moves_the_checkout_on(
    alice: Customer, shop_bot: RunningBot
) -> None:
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    wrong = await alice.send("alice@")
    await shop_bot.settle()
    assert "not valid" in ((await alice.last_message()).text or "")
    answer = await edited(shop_bot, alice, wrong.message_id, EMAIL)
    assert "Please check your order" in answer  # the summary: the email was taken


async def test_an_edit_that_cannot_be_used_keeps_the_earlier_value(
    alice: Customer, shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    await command(shop_bot, alice, "checkout")
    name = await alice.send("Alice")
    await shop_bot.settle()
    answer = await edited(shop_bot, alice, name.message_id, "x" * 150)
    assert "The name is too long" in answer and "The value you gave before is kept." in answer
    await share(shop_bot, alice, PHONE)
    summary = await say(shop_bot, alice, EMAIL)
    assert "Name: Alice\n" in summary.text
