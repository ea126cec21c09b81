"""The wire protocol as Telegram speaks it: routes, tokens, bodies, envelopes, findings."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, InputFile
from telegram.error import BadRequest, InvalidToken, NetworkError

from tests.fixtures.telegram import TelegramFake
from tests.telegram_fake.helpers import call, ptb_bot

ALICE = 1001
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_get_me_identifies_the_bot_by_its_token(telegram_fake: TelegramFake):
    async with ptb_bot(telegram_fake) as bot:
        me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "oneentry_shop_bot")


async def test_wrong_tokens_are_refused_as_telegram_does(telegram_fake: TelegramFake):
    async with ptb_bot(telegram_fake):
        pass  # the fake now knows the bot's token
    async with httpx.AsyncClient(base_url=telegram_fake.url) as http:
        other = await http.post("/bot123456789:another-token/getMe")
        malformed = await http.post("/botnot-a-token/getMe")
    assert (other.status_code, other.json()["description"]) == (401, "Unauthorized")
    assert malformed.status_code == 404
    with pytest.raises(InvalidToken):
        async with Bot("42:wrong", base_url=telegram_fake.base_url):
            pass


async def test_json_bodies_query_strings_and_any_method_case(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with httpx.AsyncClient(base_url=f"{telegram_fake.base_url}{telegram_fake.token}") as http:
        by_json = await http.post("/SENDMESSAGE", json={"chat_id": ALICE, "text": "json"})
        by_query = await http.get("/sendmessage", params={"chat_id": ALICE, "text": "query"})
    assert by_json.json()["result"]["text"] == "json"
    assert by_query.json()["result"]["message_id"] == 2
    methods = [c["method"] for c in await telegram_fake.client.calls(chat_id=ALICE)]
    assert methods == ["sendMessage", "sendMessage"]


async def test_spec_violations_are_answered_and_recorded(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    unknown = await call(telegram_fake, "sendMesage", chat_id=ALICE, text="hi")
    bad_html = await call(
        telegram_fake, "sendMessage", chat_id=ALICE, text="1 < 2", parse_mode="HTML"
    )
    assert (unknown.status_code, unknown.json()["description"]) == (
        404,
        "Not Found: method not found",
    )
    assert bad_html.status_code == 400
    assert bad_html.json()["description"].startswith("Bad Request: can't parse entities")
    findings = await telegram_fake.client.findings(clear=True)
    assert [f["kind"] for f in findings] == ["spec", "spec"]


async def test_an_unimplemented_method_is_a_500_and_a_finding(telegram_fake: TelegramFake):
    await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(NetworkError, match="sendDice is not implemented"):
            await bot.send_dice(ALICE)
    [finding] = await telegram_fake.client.findings(clear=True)
    assert (finding["kind"], finding["method"]) == ("unimplemented", "sendDice")


async def test_sending_to_an_unknown_chat_is_chat_not_found(telegram_fake: TelegramFake):
    async with ptb_bot(telegram_fake) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(777, "hello?")
    [finding] = await telegram_fake.client.findings(clear=True)
    assert finding["kind"] == "unknown_chat"


async def test_photos_by_upload_url_and_file_id_and_the_file_route(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    staff = await telegram_fake.client.group(chat_id=-100500, title="Staff")
    async with ptb_bot(telegram_fake) as bot:
        uploaded = await bot.send_photo(ALICE, InputFile(PNG, filename="tea.png"), caption="Tea")
        file_id = uploaded.photo[-1].file_id
        again = await bot.send_photo(ALICE, file_id)
        by_url = await bot.send_photo(ALICE, "https://shop.example.com/tea.jpg")
        downloaded = await (await bot.get_file(file_id)).download_as_bytearray()
        copied = await bot.copy_message(-100500, ALICE, uploaded.message_id)
        forwarded = await bot.forward_message(-100500, ALICE, by_url.message_id)
    assert bytes(downloaded) == PNG
    assert again.photo[-1].file_id == file_id
    assert [m.photo for m in (await alice.chat()).messages] == [
        file_id,
        file_id,
        by_url.photo[-1].file_id,
    ]
    assert copied.message_id == 1 and forwarded.forward_origin is not None
    assert (await staff.chat()).messages[0].caption == "Tea"


async def test_commands_are_kept_per_scope_and_language(telegram_fake: TelegramFake):
    private = BotCommandScopeAllPrivateChats()
    async with ptb_bot(telegram_fake) as bot:
        assert await bot.set_my_commands([BotCommand("start", "Start")])
        assert await bot.set_my_commands([BotCommand("start", "Начать")], private, "ru")
        assert [c.description for c in await bot.get_my_commands()] == ["Start"]
        assert [c.description for c in await bot.get_my_commands(private, "ru")] == ["Начать"]
        assert await bot.get_my_commands(private) == ()
        assert await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
        assert await bot.set_chat_menu_button()


async def test_chat_actions_show_in_the_chat(telegram_fake: TelegramFake):
    alice = await telegram_fake.client.customer(user_id=ALICE, first_name="Alice")
    async with ptb_bot(telegram_fake) as bot:
        assert await bot.send_chat_action(ALICE, "upload_photo")
    assert (await alice.chat()).last_action == "upload_photo"
