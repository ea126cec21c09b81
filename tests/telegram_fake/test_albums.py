"""Albums as Telegram sends them (`sendMediaGroup`): 2-10 photos, one message each with the
same `media_group_id`, a caption parsed like sendPhoto's; a wrong count is refused."""

from __future__ import annotations

import pytest
from telegram import InputMediaPhoto
from telegram.error import BadRequest

from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import ptb_bot

ALICE = 1001
PHOTOS = [f"https://shop.example/{n}.png" for n in range(1, 4)]


async def test_an_album_is_one_message_per_photo(telegram_fake: TelegramFake) -> None:
    alice = await telegram_fake.client.customer(ALICE, "Alice")
    async with ptb_bot(telegram_fake) as bot:
        sent = await bot.send_media_group(
            ALICE,
            [
                InputMediaPhoto(url, caption="<b>Teapot</b>" if n == 0 else None, parse_mode="HTML")
                for n, url in enumerate(PHOTOS)
            ],
        )
    assert len(sent) == 3
    assert len({message.media_group_id for message in sent}) == 1
    assert sent[0].media_group_id is not None
    assert sent[0].caption == "Teapot" and sent[0].caption_entities[0].type == "bold"
    assert [message.caption for message in sent[1:]] == [None, None]
    chat = await alice.chat()
    assert [m.photo is not None for m in chat.bot_messages] == [True, True, True]
    assert not await telegram_fake.client.findings()


async def test_an_album_of_one_is_refused(telegram_fake: TelegramFake) -> None:
    await telegram_fake.client.customer(ALICE, "Alice")
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(BadRequest, match="2 to 10"):
            await bot.send_media_group(ALICE, [InputMediaPhoto(PHOTOS[0])])
