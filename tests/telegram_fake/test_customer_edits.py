"""A person edits a text message they sent: the chat shows the new text, and the bot gets an
`edited_message` update (Bot API: Update.edited_message, Message.edit_date), filtered by
allowed_updates like every other kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Update
from telegram.constants import BOT_API_VERSION
from telegram.ext import MessageHandler, filters

from sandbox.telegram.driver import Until
from sandbox.telegram.spec import SPEC_DIR
from tests.fixtures.telegram import TelegramFake, fake_application_builder, running
from tests.telegram_fake.helpers import call, ptb_bot

ALICE = 1001
STAFF = -100500


async def take_updates(fake: TelegramFake, **params: Any) -> list[dict[str, Any]]:
    """Everything queued, confirmed at once, as a polling bot takes it."""
    response = await call(fake, "getUpdates", timeout=0, **params)
    updates: list[dict[str, Any]] = response.json()["result"]
    if updates:
        await call(fake, "getUpdates", offset=updates[-1]["update_id"] + 1, timeout=0)
    return updates


def spec_fields(type_name: str) -> set[str]:
    """The field names of a type in the vendored spec of the installed PTB's Bot API."""
    path = SPEC_DIR / f"api-{BOT_API_VERSION}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    return {field["name"] for field in document["types"][type_name]["fields"]}


async def test_an_edit_replaces_the_text_and_reaches_the_bot_as_edited_message(
    telegram_fake: TelegramFake,
) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    sent = await alice.send("Alice Smith")
    assert alice.last_sent_id == sent.message_id and not sent.edited

    edited = await alice.edit(sent.message_id, "Alice Smyth")
    assert (edited.message_id, edited.text, edited.edited) == (sent.message_id, "Alice Smyth", True)
    [shown] = (await alice.chat()).messages
    assert (shown.text, shown.edited) == ("Alice Smyth", True)

    original, edit = await take_updates(telegram_fake)
    assert original["message"]["text"] == "Alice Smith"  # queued before the edit, as it was
    message = edit["edited_message"]
    assert set(edit) == {"update_id", "edited_message"}
    assert message["message_id"] == sent.message_id
    assert message["text"] == "Alice Smyth"
    assert message["date"] == original["message"]["date"]  # the date stays the sending time
    assert message["edit_date"] >= message["date"]
    assert message["from"]["id"] == ALICE and message["chat"]["id"] == ALICE
    # Only what the spec's Update and Message types have.
    assert set(edit) <= spec_fields("Update")
    assert set(message) <= spec_fields("Message")


async def test_ptb_reads_the_edit_as_an_edited_message_update(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    seen: list[tuple[str, bool]] = []

    async def on_edit(update: Update, _: Any) -> None:
        message = update.edited_message
        assert message is not None and message.text is not None
        seen.append((message.text, message.edit_date is not None))

    application = fake_application_builder(telegram_fake).build()
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    async with running(application, telegram_fake) as bot:
        sent = await alice.send("one green tea")
        await alice.edit(sent.message_id, "two green teas")
        await bot.settle()
    assert seen == [("two green teas", True)]


@pytest.mark.parametrize(
    ("allowed", "delivered"),
    [
        ('["message"]', False),  # the bot asked for new messages only
        ('["message", "edited_message"]', True),
        ("[]", True),  # all kinds but the few never sent by default
    ],
)
async def test_allowed_updates_decide_whether_the_edit_is_delivered(
    telegram_fake: TelegramFake, allowed: str, delivered: bool
) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    assert await take_updates(telegram_fake, allowed_updates=allowed) == []
    sent = await alice.send("hello")
    await alice.edit(sent.message_id, "hello again")

    kinds = [next(k for k in u if k != "update_id") for u in await take_updates(telegram_fake)]
    assert kinds == (["message", "edited_message"] if delivered else ["message"])
    # The person's app shows the edit either way; only the bot's update is filtered.
    [shown] = (await alice.chat()).messages
    assert (shown.text, shown.edited) == ("hello again", True)


async def test_a_group_member_edits_their_own_message(telegram_fake: TelegramFake) -> None:
    staff = await telegram_fake.client.group(
        chat_id=STAFF,
        title="Staff",
        members=[{"user_id": 7, "first_name": "Kim"}, {"user_id": 8, "first_name": "Lee"}],
    )
    sent = await staff.send(7, "/stats today")
    await staff.edit(7, sent.message_id, "/stats week")
    with pytest.raises(AssertionError, match="not sent by user 8"):
        await staff.edit(8, sent.message_id, "/stats year")
    [_, edit] = await take_updates(telegram_fake)
    assert edit["edited_message"]["text"] == "/stats week"
    assert edit["edited_message"]["chat"] == {"id": STAFF, "type": "supergroup", "title": "Staff"}


async def test_what_a_telegram_app_does_not_let_one_edit(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        from_bot = await bot.send_message(ALICE, "Your cart is empty")
    typed = await alice.send("hello")
    for message_id, text, reason in [
        (from_bot.message_id, "edited", "was not sent by user"),
        (999, "edited", "message 999 is not in chat"),
        (typed.message_id, "hello", "unchanged"),
    ]:
        with pytest.raises(AssertionError, match=reason):
            await alice.edit(message_id, text)
    await alice.block()
    with pytest.raises(AssertionError, match="blocked the bot"):
        await alice.edit(typed.message_id, "hello?")
    await alice.unblock()
    updates = await take_updates(telegram_fake)
    assert not any("edited_message" in u for u in updates)


async def test_a_contact_has_no_text_to_edit(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    card = await alice.share_contact("+15550001", own=False, first_name="Bob")
    with pytest.raises(AssertionError, match="no text to edit"):
        await alice.edit(card.message_id, "+15550002")


async def test_send_with_until_still_tells_the_sent_messages_id(
    telegram_fake: TelegramFake,
) -> None:
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    await alice.send("first")
    async with ptb_bot(telegram_fake) as bot:
        await bot.send_message(ALICE, "Send your name")
        answer = await alice.send("Alice", until=Until("Send your name", timeout=0))
    assert answer.from_bot and answer.text == "Send your name"  # with `until`: the bot's
    assert alice.last_sent_id == 3  # "first" is 1, the bot's prompt 2, "Alice" 3
    edited = await alice.edit(3, "Alice Smith")
    assert (edited.from_bot, edited.text) == (False, "Alice Smith")
