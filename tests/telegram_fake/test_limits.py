"""The prose-only Bot API rules, each at its boundary, answered with Telegram's error."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.limits import check_request
from sandbox.telegram.spec import StricterThanTelegram


def send(text: str, **extra: Any) -> dict[str, Any]:
    return {"chat_id": 1, "text": text, **extra}


def inline(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


def commands(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"commands": [{"command": c, "description": d} for c, d in pairs]}


def test_html_text_is_stored_parsed() -> None:
    params = check_request("sendMessage", send("<b>Итого:</b> 5 &lt; 6", parse_mode="HTML"))
    assert params["text"] == "Итого: 5 < 6"
    assert params["entities"] == [{"type": "bold", "offset": 0, "length": 6}]


def test_plain_text_keeps_explicit_entities_and_trims() -> None:
    params = check_request(
        "sendMessage", send("  hi there \n", entities=[{"type": "bold", "offset": 2, "length": 2}])
    )
    assert params["text"] == "hi there"
    assert params["entities"] == [{"type": "bold", "offset": 0, "length": 2}]


def test_caption_is_parsed_into_caption_entities() -> None:
    photo = {"chat_id": 1, "photo": "id", "caption": "<i>x</i>", "parse_mode": "html"}
    params = check_request("sendPhoto", photo)
    assert (params["caption"], params["caption_entities"]) == (
        "x",
        [{"type": "italic", "offset": 0, "length": 1}],
    )


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("sendMessage", send("я" * 4096)),
        ("sendMessage", send("<b>" + "😀" * 4096 + "</b>", parse_mode="HTML")),  # code points
        ("sendMessage", send("x" * 4096 + "   ")),  # trailing spaces are trimmed first
        ("sendPhoto", {"chat_id": 1, "photo": "id", "caption": "ж" * 1024}),
        ("sendPhoto", {"chat_id": 1, "photo": "id", "caption": ""}),
        ("sendMessage", send("ok", reply_markup=inline({"text": "A", "callback_data": "я" * 32}))),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "https://shop.example/p"})),
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "tg://resolve?domain=x"})),
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "http://127.0.0.1:8/x"})),
        ),
        (
            "sendMessage",
            send("ok", reply_markup={"keyboard": [[{"text": "📞", "request_contact": True}]]}),
        ),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "ё" * 200}),
        ("setMyCommands", commands(("start", "Начать"), ("my_orders_2", "d" * 256))),
        ("setMyCommands", commands(*[(f"c{i}", "d") for i in range(100)])),
        ("setMyCommands", commands(("a" * 32, "d"))),
    ],
)
def test_values_at_the_limit_pass(method: str, params: dict[str, Any]) -> None:
    check_request(method, params)


@pytest.mark.parametrize(
    ("method", "params", "description"),
    [
        ("sendMessage", send("я" * 4097), "message is too long"),
        (
            "sendMessage",
            send("<b>" + "x" * 4097 + "</b>", parse_mode="HTML"),
            "message is too long",
        ),
        ("sendMessage", send("x" * 32769), "text is too long"),
        ("sendMessage", send("<b></b>", parse_mode="HTML"), "text must be non-empty"),
        ("sendMessage", send(" \n "), "text must be non-empty"),
        (
            "sendMessage",
            send("a < b", parse_mode="HTML"),
            'can\'t parse entities: Unsupported start tag "" at byte offset 2',
        ),
        ("sendMessage", send("hi", parse_mode="html5"), "unsupported parse_mode"),
        (
            "sendPhoto",
            {"chat_id": 1, "photo": "id", "caption": "ж" * 1025},
            "message caption is too long",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "callback_data": "я" * 32 + "1"})),
            "BUTTON_DATA_INVALID",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A"})),
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "callback_data": ""})),
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "http://localhost:8080/pay"})),
            "BUTTON_URL_INVALID",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "https:///pay"})),
            "BUTTON_URL_INVALID",
        ),
        (
            "sendMessage",
            send("ok", reply_markup=inline({"text": "A", "url": "shop.example/pay"})),
            "inline keyboard button URL 'shop.example/pay' is invalid: Unsupported URL protocol",
        ),
        (
            "sendMessage",
            send("ok", reply_markup={"keyboard": [[{"text": ""}]]}),
            "BUTTON_TEXT_INVALID",
        ),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "ё" * 201}, "MESSAGE_TOO_LONG"),
        ("setMyCommands", commands(("Start", "d")), "BOT_COMMAND_INVALID"),
        ("setMyCommands", commands(("/start", "d")), "BOT_COMMAND_INVALID"),
        ("setMyCommands", commands(("a" * 33, "d")), "BOT_COMMAND_INVALID"),
        ("setMyCommands", commands(("start", " ")), "command description must be non-empty"),
        ("setMyCommands", commands(("start", "d" * 257)), "BOT_COMMAND_DESCRIPTION_INVALID"),
        ("setMyCommands", commands(*[(f"c{i}", "d") for i in range(101)]), "BOT_COMMANDS_TOO_MUCH"),
    ],
)
def test_values_past_the_limit_get_telegrams_error(
    method: str, params: dict[str, Any], description: str
) -> None:
    with pytest.raises(BotApiError) as raised:
        check_request(method, params)
    assert raised.value.description == f"Bad Request: {description}"


def test_two_actions_on_one_button_are_flagged() -> None:
    button = {"text": "Pay", "url": "https://pay.example/s/1", "callback_data": "pay:1"}
    with pytest.raises(StricterThanTelegram, match="more than one action"):
        check_request("sendMessage", send("ok", reply_markup=inline(button)))


def test_markdown_is_refused_as_unsupported_by_the_fake() -> None:
    with pytest.raises(BotApiError) as raised:
        check_request("sendMessage", send("*hi*", parse_mode="MarkdownV2"))
    assert raised.value.error_code == 500
    assert "not supported by the fake" in raised.value.description
