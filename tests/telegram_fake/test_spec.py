"""Requests decoded and checked against the vendored Bot API spec, as Telegram would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.spec import BotApiSpec, StricterThanTelegram


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    return BotApiSpec.for_installed_ptb()


def markup(keyboard: Any) -> str:
    return json.dumps({"inline_keyboard": keyboard})


def test_installed_ptb_picks_bot_api_10_0(spec: BotApiSpec) -> None:
    assert spec.version == "Bot API 10.0"
    assert {"getMe", "getUpdates", "sendMessage", "editMessageText"} <= spec.method_names()


def test_unknown_version_is_refused() -> None:
    with pytest.raises(LookupError, match=r"9\.9"):
        BotApiSpec.for_version("9.9")


@pytest.mark.parametrize(
    ("method", "raw", "expected"),
    [
        ("getMe", {}, ("getMe", {})),
        ("GETME", {}, ("getMe", {})),
        (
            "sendmessage",
            {"chat_id": "777", "text": "hi", "disable_notification": "true"},
            ("sendMessage", {"chat_id": 777, "text": "hi", "disable_notification": True}),
        ),
        (
            "sendMessage",
            {"chat_id": "@shop", "text": "t"},
            ("sendMessage", {"chat_id": "@shop", "text": "t"}),
        ),
        (
            "getUpdates",
            {"offset": "10001", "timeout": 1, "allowed_updates": '["message", "callback_query"]'},
            (
                "getUpdates",
                {"offset": 10001, "timeout": 1, "allowed_updates": ["message", "callback_query"]},
            ),
        ),
        (
            "deleteWebhook",
            {"drop_pending_updates": "0"},
            ("deleteWebhook", {"drop_pending_updates": False}),
        ),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "t",
                "reply_markup": markup([[{"text": "A", "callback_data": "a"}]]),
            },
            (
                "sendMessage",
                {
                    "chat_id": 1,
                    "text": "t",
                    "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
                },
            ),
        ),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "t",
                "reply_markup": {"keyboard": [["Menu"]], "one_time_keyboard": True},
            },
            (
                "sendMessage",
                {
                    "chat_id": 1,
                    "text": "t",
                    "reply_markup": {"keyboard": [[{"text": "Menu"}]], "one_time_keyboard": True},
                },
            ),
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": '{"remove_keyboard": true}'},
            ("sendMessage", {"chat_id": 1, "text": "t", "reply_markup": {"remove_keyboard": True}}),
        ),
        (
            "setMyCommands",
            {
                "commands": '[{"command": "start", "description": "Start"}]',
                "scope": '{"type": "chat", "chat_id": 42}',
            },
            (
                "setMyCommands",
                {
                    "commands": [{"command": "start", "description": "Start"}],
                    "scope": {"type": "chat", "chat_id": 42},
                },
            ),
        ),
        (
            "sendMediaGroup",
            {
                "chat_id": 1,
                "media": '[{"type": "photo", "media": "a"}, {"type": "video", "media": "b"}]',
            },
            (
                "sendMediaGroup",
                {
                    "chat_id": 1,
                    "media": [{"type": "photo", "media": "a"}, {"type": "video", "media": "b"}],
                },
            ),
        ),
        (
            "editMessageText",
            {"chat_id": "5", "message_id": "7", "text": "t"},
            ("editMessageText", {"chat_id": 5, "message_id": 7, "text": "t"}),
        ),
        (
            "editMessageReplyMarkup",
            {"inline_message_id": "abc"},
            ("editMessageReplyMarkup", {"inline_message_id": "abc"}),
        ),
    ],
)
def test_valid_requests_decode_to_typed_params(
    spec: BotApiSpec, method: str, raw: dict[str, Any], expected: tuple[str, dict[str, Any]]
) -> None:
    assert spec.decode(method, raw) == expected


@pytest.mark.parametrize(
    ("method", "raw", "status", "description"),
    [
        ("sendMesage", {}, 404, "Not Found: method not found"),
        ("sendMessage", {"text": "hi"}, 400, "Bad Request: chat_id is empty"),
        ("sendMessage", {"chat_id": 1}, 400, "Bad Request: message text is empty"),
        ("sendMessage", {"chat_id": 1, "text": ""}, 400, "Bad Request: message text is empty"),
        ("answerCallbackQuery", {}, 400, 'Bad Request: parameter "callback_query_id" is required'),
        ("editMessageText", {}, 400, "Bad Request: message text is empty"),
        ("editMessageText", {"text": "t"}, 400, "Bad Request: message identifier is not specified"),
        ("editMessageText", {"text": "t", "message_id": 3}, 400, "Bad Request: chat_id is empty"),
        (
            "editMessageReplyMarkup",
            {"chat_id": 1},
            400,
            "Bad Request: message identifier is not specified",
        ),
        (
            "answerPreCheckoutQuery",
            {"pre_checkout_query_id": "q", "ok": "false"},
            400,
            'Bad Request: parameter "error_message" is required',
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": "{oops"},
            400,
            "Bad Request: can't parse reply keyboard markup JSON object",
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": '{"inline_keyboard": [{"text": "A"}]}'},
            400,
            'Bad Request: Field "inline_keyboard" of the InlineKeyboardMarkup '
            "must be an Array of Arrays",
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": markup([[{"text": "A", "url": None}]])},
            400,
            'Bad Request: can\'t parse inline keyboard button: Field "url" must be of type String',
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": markup([[{"callback_data": "a"}]])},
            400,
            "Bad Request: can't parse inline keyboard button: Can't find field \"text\"",
        ),
        (
            "setMyCommands",
            {"commands": '[{"command": "start"}]'},
            400,
            "Bad Request: can't parse BotCommand: Can't find field \"description\"",
        ),
        (
            "setMyCommands",
            {"commands": "[]", "scope": '{"type": "everyone"}'},
            400,
            "Bad Request: can't parse BotCommandScope: unsupported BotCommandScope type",
        ),
    ],
)
def test_telegram_errors(
    spec: BotApiSpec, method: str, raw: dict[str, Any], status: int, description: str
) -> None:
    with pytest.raises(BotApiError) as raised:
        spec.decode(method, raw)
    assert (raised.value.error_code, raised.value.description) == (status, description)
    assert not isinstance(raised.value, StricterThanTelegram)


@pytest.mark.parametrize(
    ("method", "raw", "names"),
    [
        ("sendMessage", {"chat_id": 1, "text": "t", "parse_mod": "HTML"}, 'parameter "parse_mod"'),
        (
            "editMessageText",
            {"chat_id": 1, "message_id": "abc", "text": "t"},
            'parameter "message_id" must be of type Integer',
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "disable_notification": "maybe"},
            'parameter "disable_notification" must be of type Boolean',
        ),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "t",
                "reply_markup": markup([[{"text": "A", "callback_data": "a", "colour": "red"}]]),
            },
            'inline keyboard button: unknown field "colour"',
        ),
        (
            "sendMessage",
            {"chat_id": 1, "text": "t", "reply_markup": '{"buttons": []}'},
            'parameter "reply_markup" must be one of InlineKeyboardMarkup',
        ),
        (
            "editMessageText",
            {"inline_message_id": "i", "chat_id": 1, "message_id": 2, "text": "t"},
            "either inline_message_id or chat_id and message_id",
        ),
    ],
)
def test_bot_bugs_telegram_would_hide_are_refused_and_say_so(
    spec: BotApiSpec, method: str, raw: dict[str, Any], names: str
) -> None:
    with pytest.raises(StricterThanTelegram) as raised:
        spec.decode(method, raw)
    assert raised.value.error_code == 400
    assert names in raised.value.description
    assert "the fake is stricter" in raised.value.description


def test_parse_mode_that_ptb_defaults_add_to_a_markup_edit_is_ignored(spec: BotApiSpec) -> None:
    """PTB's Defaults(parse_mode=...) send it with editMessageReplyMarkup; Telegram ignores
    it there, and so does the fake. On a method that has no such habit it is still a finding."""
    raw = {"chat_id": 1, "message_id": 2, "parse_mode": "HTML"}
    assert spec.decode("editMessageReplyMarkup", raw) == (
        "editMessageReplyMarkup",
        {"chat_id": 1, "message_id": 2},
    )
    with pytest.raises(StricterThanTelegram):
        spec.decode("deleteMessage", raw)


class Upload:
    """What the server hands over for a multipart file part."""

    filename = "cat.jpg"


def test_input_file_takes_an_upload_or_a_file_id(spec: BotApiSpec) -> None:
    upload = Upload()
    assert spec.decode("sendPhoto", {"chat_id": 1, "photo": upload})[1]["photo"] is upload
    assert (
        spec.decode("sendPhoto", {"chat_id": 1, "photo": "AgAD-file-id"})[1]["photo"]
        == "AgAD-file-id"
    )
