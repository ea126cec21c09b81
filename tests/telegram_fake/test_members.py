"""Who is in a chat and may post there, as Telegram answers it: getChat, getChatMember and
getChatAdministrators (validated against the spec like every call and parsed by PTB), the
bot's membership and rights in a group, and forum topics (message_thread_id)."""

from __future__ import annotations

import pytest
from telegram import ChatMemberAdministrator, ChatMemberLeft, ChatMemberMember, ChatMemberRestricted
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden

from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot

STAFF = -100555
SAM = 4242
BOT_ID = 123456789


async def test_a_group_and_the_bot_in_it(telegram_fake: TelegramFake) -> None:
    await telegram_fake.client.group(STAFF, "Staff", members=[{"user_id": SAM, "first_name": "S"}])
    async with ptb_bot(telegram_fake) as bot:
        chat = await bot.get_chat(STAFF)
        me = await bot.get_chat_member(STAFF, BOT_ID)
        sam = await bot.get_chat_member(STAFF, SAM)
        admins = await bot.get_chat_administrators(STAFF)
    assert (chat.title, chat.type, chat.is_forum) == ("Staff", "supergroup", None)
    assert chat.permissions is not None and chat.permissions.can_send_messages
    assert isinstance(me, ChatMemberMember) and me.user.id == BOT_ID
    assert isinstance(sam, ChatMemberMember) and sam.user.id == SAM
    assert admins == ()
    assert not await telegram_fake.client.findings()


async def test_the_bot_as_an_administrator_and_as_a_restricted_member(
    telegram_fake: TelegramFake,
) -> None:
    await telegram_fake.client.group(STAFF, "Staff", bot_status="administrator")
    await telegram_fake.client.group(-100556, "Muted", bot_status="restricted",
                                     bot_can_send_messages=False)  # fmt: skip
    async with ptb_bot(telegram_fake) as bot:
        admin = await bot.get_chat_member(STAFF, BOT_ID)
        [listed] = await bot.get_chat_administrators(STAFF)
        muted = await bot.get_chat_member(-100556, BOT_ID)
        with pytest.raises(BadRequest, match=r"(?i)not enough rights to send text messages"):
            await bot.send_message(-100556, "card")
    assert isinstance(admin, ChatMemberAdministrator) and admin.can_manage_chat
    assert listed.user.id == BOT_ID
    assert isinstance(muted, ChatMemberRestricted) and not muted.can_send_messages
    assert not await telegram_fake.client.findings()


async def test_a_group_whose_members_may_not_post(telegram_fake: TelegramFake) -> None:
    await telegram_fake.client.group(STAFF, "Announcements", members_can_send_messages=False)
    async with ptb_bot(telegram_fake) as bot:
        chat = await bot.get_chat(STAFF)
        with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
            await bot.send_message(STAFF, "card")
    assert chat.permissions is not None and chat.permissions.can_send_messages is False


async def test_a_group_the_bot_left_or_was_removed_from(telegram_fake: TelegramFake) -> None:
    await telegram_fake.client.group(STAFF, "Old staff", bot_status="left")
    await telegram_fake.client.group(-100556, "Gone", bot_status="kicked")
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.get_chat(STAFF)
        with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
            await bot.get_chat(-100556)
        with pytest.raises(Forbidden, match=r"(?i)kicked"):
            await bot.send_message(-100556, "card")
    found = await telegram_fake.client.findings(clear=True)
    assert [f["kind"] for f in found] == ["unknown_chat"]


async def test_a_person_who_never_opened_the_bot_has_no_chat(
    telegram_fake: TelegramFake,
) -> None:
    await telegram_fake.client.customer(SAM, "Sam")
    async with ptb_bot(telegram_fake) as bot:
        opened = await bot.get_chat(SAM)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.get_chat(4343)
        left = await bot.get_chat_member(SAM, BOT_ID)
    assert opened.first_name == "Sam" and opened.type == "private"
    assert isinstance(left, ChatMemberMember)
    await telegram_fake.client.findings(clear=True)


async def test_forum_topics_carry_their_thread_both_ways(telegram_fake: TelegramFake) -> None:
    staff = await telegram_fake.client.group(
        STAFF, "Staff", members=[{"user_id": SAM, "first_name": "Sam"}], topics=[7]
    )
    async with ptb_bot(telegram_fake) as bot:
        chat = await bot.get_chat(STAFF)
        card = await bot.send_message(STAFF, "card", message_thread_id=7)
        assert await bot.send_chat_action(STAFF, ChatAction.TYPING, message_thread_id=7)
        with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
            await bot.send_message(STAFF, "lost", message_thread_id=8)
        with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
            await bot.send_chat_action(STAFF, ChatAction.TYPING, message_thread_id=8)
        general = await bot.send_message(STAFF, "general")
    assert chat.is_forum
    assert (card.message_thread_id, card.is_topic_message) == (7, True)
    assert general.message_thread_id is None
    sent = await staff.command(SAM, "order", "1", thread_id=7)
    assert sent.thread_id == 7
    [update] = (await call(telegram_fake, "getUpdates")).json()["result"]
    message = update["message"]
    assert (message["message_thread_id"], message["is_topic_message"]) == (7, True)
    shown = {m.text: m.thread_id for m in (await staff.chat()).messages}
    assert shown == {"card": 7, "general": None, "/order 1": 7}


async def test_a_person_cannot_write_in_a_topic_the_group_lacks(
    telegram_fake: TelegramFake,
) -> None:
    staff = await telegram_fake.client.group(
        STAFF, "Staff", members=[{"user_id": SAM, "first_name": "Sam"}], topics=[7]
    )
    with pytest.raises(AssertionError, match="no topic 9"):
        await staff.send(SAM, "hello", thread_id=9)


async def test_a_non_member_is_left(telegram_fake: TelegramFake) -> None:
    await telegram_fake.client.customer(SAM, "Sam")
    await telegram_fake.client.group(STAFF, "Staff")
    async with ptb_bot(telegram_fake) as bot:
        sam = await bot.get_chat_member(STAFF, SAM)
        with pytest.raises(BadRequest, match=r"(?i)user not found"):
            await bot.get_chat_member(STAFF, 77)
    assert isinstance(sam, ChatMemberLeft)
