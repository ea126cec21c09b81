"""The Bot API rules the spec JSON only states in prose, each answered with Telegram's error.

`check_request` runs after `BotApiSpec.decode`: it parses `text`/`caption` the way Telegram
does (HTML parse mode, trimming, length in code points) and checks keyboards, callback answers
and command lists. Where a text is not documented anywhere, the comment says it was inferred.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from sandbox.telegram.errors import BotApiError, bad_request
from sandbox.telegram.html import parse_html, utf16_length
from sandbox.telegram.spec import StricterThanTelegram

MAX_TEXT_LENGTH = 4096  # code points after entity parsing
MAX_RAW_TEXT_BYTES = 32768  # the `text` parameter as sent
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION_LENGTH = 256

# The order in which the server looks for an inline button's action (first one wins).
INLINE_BUTTON_ACTIONS = (
    "url", "callback_data", "callback_game", "pay", "switch_inline_query",
    "switch_inline_query_chosen_chat", "switch_inline_query_current_chat", "login_url",
    "web_app", "copy_text",
)  # fmt: skip
_URL_SCHEMES = ("http", "https", "tg")
_WHITESPACE = " \t\r\n\v\f"
_COMMAND = re.compile(r"[a-z0-9_]+")


def check_request(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Apply prose rules; return params with `text`/`caption` replaced by the parsed plain text
    and `entities`/`caption_entities` filled (parsing HTML when parse_mode == "HTML").

    Entities are left out when there are none, as in the Message Telegram returns.
    """
    checked = dict(params)
    if "text" in checked and method in ("sendMessage", "editMessageText"):
        _apply_text(checked, "text", "entities", required=True, max_length=MAX_TEXT_LENGTH)
    if "caption" in checked:
        _apply_text(checked, "caption", "caption_entities", False, MAX_CAPTION_LENGTH)
    markup = checked.get("reply_markup")
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard", []):
            for button in row:
                check_inline_button(button)
        for row in markup.get("keyboard", []):
            for button in row:
                check_keyboard_button(button)
    rule = _METHOD_RULES.get(method)
    if rule is not None:
        rule(checked)
    return checked


def check_caption(media: dict[str, Any]) -> dict[str, Any]:
    """An album item's caption as the message will hold it (parsed as sendPhoto's)."""
    checked = dict(media)
    if "caption" in checked:
        _apply_text(checked, "caption", "caption_entities", False, MAX_CAPTION_LENGTH)
    return checked


def parse_result_text(content: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """An inline result's `message_text` as the message will hold it (parse mode as for
    sendMessage's text)."""
    checked = {
        "text": content["message_text"],
        "parse_mode": content.get("parse_mode", ""),
        "entities": content.get("entities") or [],
    }
    _apply_text(checked, "text", "entities", required=True, max_length=MAX_TEXT_LENGTH)
    return checked["text"], list(checked.get("entities") or [])


def _apply_text(
    params: dict[str, Any], key: str, entities_key: str, required: bool, max_length: int
) -> None:
    """Parse one text parameter in place, as Telegram stores it."""
    raw = params[key]
    _require_utf8(raw)
    if key == "text" and len(raw.encode("utf-8")) > MAX_RAW_TEXT_BYTES:
        raise bad_request("text is too long")
    mode = str(params.get("parse_mode", "")).lower()
    if mode in ("", "none"):
        text, entities = raw, clip_entities(params.get(entities_key, []), raw)
    elif mode == "html":
        text, entities = parse_html(raw)  # explicit entities are ignored with a parse_mode
    elif mode in ("markdown", "markdownv2"):
        raise BotApiError(500, f"parse_mode {params['parse_mode']} is not supported by the fake")
    else:
        raise bad_request("unsupported parse_mode")
    text, entities = trim(text, entities)
    if required and not text:
        raise bad_request("text must be non-empty")
    if len(text) > max_length:
        raise bad_request("message is too long" if key == "text" else "message caption is too long")
    params[key] = text
    params.pop(entities_key, None)
    if entities:
        params[entities_key] = entities


def _require_utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("strings must be encoded in UTF-8") from None  # inferred wording


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Drop leading and trailing whitespace, moving and clipping entities with the text."""
    stripped = text.lstrip(_WHITESPACE)
    cut = utf16_length(text) - utf16_length(stripped)
    stripped = stripped.rstrip(_WHITESPACE)
    return stripped, clip_entities(entities, stripped, shift=cut)


def clip_entities(
    entities: list[dict[str, Any]], text: str, shift: int = 0
) -> list[dict[str, Any]]:
    """Entities moved left by `shift` UTF-16 units and cut to the text; empty ones dropped."""
    end = utf16_length(text)
    clipped = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            clipped.append({**entity, "offset": start, "length": stop - start})
    return clipped


def check_inline_button(button: dict[str, Any]) -> None:
    """One action per button, callback_data 1-64 bytes, URLs Telegram can open."""
    actions = [name for name in INLINE_BUTTON_ACTIONS if button.get(name) not in (None, "", False)]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise StricterThanTelegram(
            f"inline keyboard button {button.get('text')!r} has more than one action "
            f"({', '.join(actions)}); Telegram would use only {actions[0]}"
        )
    if not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")  # inferred: the MTProto error name
    data = button.get("callback_data")
    if data is not None and len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        check_button_url(button["url"])


def check_button_url(url: str) -> None:
    """http(s) with a dotted host or an IP address, or a tg:// link."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES:
        raise bad_request(
            f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
        )
    if scheme == "tg":
        return
    host = parts.hostname or ""
    if "." not in host and not _is_ip_address(host):
        raise bad_request("BUTTON_URL_INVALID")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_keyboard_button(button: dict[str, Any]) -> None:
    """A reply keyboard button needs the text it sends when tapped."""
    if not str(button.get("text", "")).strip(_WHITESPACE):
        raise bad_request("BUTTON_TEXT_INVALID")  # inferred: the MTProto error name


def _check_callback_answer(params: dict[str, Any]) -> None:
    text = params.get("text", "")
    _require_utf8(text)
    if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")  # inferred: the MTProto error name


def _check_commands(params: dict[str, Any]) -> None:
    commands = params["commands"]
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")  # inferred: the MTProto error name
    for command in commands:
        name = command["command"]
        if len(name) > MAX_COMMAND_LENGTH or not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command["description"].strip(_WHITESPACE)
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > MAX_COMMAND_DESCRIPTION_LENGTH:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")  # inferred: MTProto error name


_METHOD_RULES: dict[str, Callable[[dict[str, Any]], None]] = {
    "answerCallbackQuery": _check_callback_answer,
    "setMyCommands": _check_commands,
}
