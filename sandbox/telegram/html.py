"""Telegram's HTML parse mode, ported from TDLib's `parse_html` (td/telegram/MessageEntity.cpp).

Real Telegram parses a byte string: every `<` starts a tag, only `&lt; &gt; &amp; &quot;` and
numeric references are decoded (any other `&...` stays literal), and errors name the UTF-8
byte offset of the offending tag. Entities come back in UTF-16 code units, as the Bot API
reports them. The walk below follows TDLib's loop step by step so that the same input fails
at the same place with the same words; each error is raised as
`400 Bad Request: can't parse entities: <TDLib's message>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.telegram.errors import BotApiError

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "tg-time", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip

# Tag name -> Bot API entity type, for the tags whose entity needs no argument.
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}

# TDLib sorts entities by offset, then longer first, then by this priority (lower first).
_TYPE_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "date_time": 50,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}

_NAMED_REFERENCES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SPACE = frozenset(b" \t\r\n\v\f\x00")  # td::is_space also stops at the terminating NUL
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_NAME_TOKEN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_ATTRIBUTE_NAME_END = _SPACE | frozenset(b"=>/\"'")
# Bot API docs, "date-time entity formatting": relative, or weekday/date/time letters.
_DATE_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Bot API entity offset and length."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The part of `text` an entity with this UTF-16 offset and length covers."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le", "surrogatepass")


def parse_error(message: str) -> BotApiError:
    return BotApiError(400, f"can't parse entities: {message}")


@dataclass
class _OpenTag:
    name: str
    argument: str
    unix_time: int
    utf16_offset: int
    output_start: int  # byte position in the output where the tag's content begins


class _Input:
    """The UTF-8 bytes of the markup, read like TDLib's NUL-terminated C string."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        self.size = len(self.data)

    def at(self, i: int) -> int:
        return self.data[i] if i < self.size else 0


def _decode_reference(src: _Input, pos: int) -> tuple[int, int] | None:
    """TDLib's decode_html_entity: (code point, position after it), or None to keep it literal."""
    end = pos + 1
    code = 0
    if src.at(pos + 1) == ord("#"):
        end += 1
        if src.at(pos + 2) == ord("x"):
            end += 1
            while src.at(end) in _HEX_DIGITS:
                code = code * 16 + int(chr(src.at(end)), 16)
                end += 1
        else:
            while ord("0") <= src.at(end) <= ord("9"):
                code = code * 10 + src.at(end) - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while chr(src.at(end)).isascii() and chr(src.at(end)).isalpha():
            end += 1
        named = _NAMED_REFERENCES.get(src.data[pos + 1 : end])
        if named is None:
            return None
        code = named
    if src.at(end) == ord(";"):
        end += 1
    return code, end


def _utf16_units(first_byte: int) -> int:
    """UTF-16 units of the character a UTF-8 byte starts (0 for a continuation byte)."""
    if first_byte & 0xC0 == 0x80:
        return 0
    return 2 if first_byte >= 0xF0 else 1


def _encode(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, Bot API MessageEntity dicts).

    A `text_mention` entity carries `user: {"id": N}` only; the server fills in the rest of
    the User it knows. Raises BotApiError(400, "can't parse entities: ...") like Telegram.
    """
    src = _Input(text)
    out = bytearray()
    entities: list[dict[str, Any]] = []
    open_tags: list[_OpenTag] = []
    utf16_offset = 0
    decoded_surrogate = False

    i = 0
    while i < src.size:
        c = src.data[i]
        if c == ord("&"):
            decoded = _decode_reference(src, i)
            if decoded is not None:
                code, i = decoded
                utf16_offset += 2 if code > 0xFFFF else 1
                decoded_surrogate |= 0xD800 <= code <= 0xDFFF
                out += _encode(code)
                continue
        if c != ord("<"):
            utf16_offset += _utf16_units(c)
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if src.at(i) != ord("/"):
            tag, i = _read_start_tag(src, begin, i)
            tag.utf16_offset = utf16_offset
            tag.output_start = len(out)
            open_tags.append(tag)
            continue

        if not open_tags:
            raise parse_error(f"Unexpected end tag at byte offset {begin}")
        while src.at(i) not in _SPACE and src.at(i) != ord(">"):
            i += 1
        end_name = src.data[begin + 2 : i].decode("utf-8", "replace").lower()
        while src.at(i) in _SPACE and src.at(i) != 0:
            i += 1
        if src.at(i) != ord(">"):
            raise parse_error(f"Unclosed end tag at byte offset {begin}")
        tag = open_tags[-1]
        if end_name and end_name != tag.name:
            raise parse_error(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        if utf16_offset > tag.utf16_offset:
            content = bytes(out[tag.output_start :]).decode("utf-8", "surrogatepass")
            _close(tag, utf16_offset - tag.utf16_offset, content, entities)
        open_tags.pop()
        i += 1

    if open_tags:
        raise parse_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1].name}"')
    if decoded_surrogate:
        raise parse_error(_SURROGATE_ERROR)
    for entity in entities:
        entity.pop("_language", None)  # a code entity's language only matters inside <pre>
    entities.sort(key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY[e["type"]]))
    return out.decode("utf-8", "surrogatepass"), entities


def _read_start_tag(src: _Input, begin: int, i: int) -> tuple[_OpenTag, int]:
    """Read `<name attr=value ...>` from just after `<`; return the tag and the index after `>`."""
    while src.at(i) not in _SPACE and src.at(i) != ord(">"):
        i += 1
    if src.at(i) == 0:
        raise parse_error(f"Unclosed start tag at byte offset {begin}")
    name = src.data[begin + 1 : i].decode("utf-8", "replace").lower()
    if name not in SUPPORTED_TAGS:
        raise parse_error(f'Unsupported start tag "{name}" at byte offset {begin}')

    argument = ""
    unix_time = 0
    while src.at(i) != ord(">"):
        while src.at(i) != 0 and src.at(i) in _SPACE:
            i += 1
        if src.at(i) == ord(">"):
            break
        attribute_begin = i
        while src.at(i) not in _ATTRIBUTE_NAME_END:
            i += 1
        attribute = src.data[attribute_begin:i].decode("utf-8", "replace")
        if not attribute:
            raise parse_error(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        while src.at(i) != 0 and src.at(i) in _SPACE:
            i += 1
        if src.at(i) != ord("="):
            if src.at(i) == 0:
                raise parse_error(f'Unclosed start tag "{name}" at byte offset {begin}')
            if name == "blockquote" and attribute == "expandable":
                argument = "1"
            continue  # an attribute without a value
        i += 1
        while src.at(i) != 0 and src.at(i) in _SPACE:
            i += 1
        if src.at(i) == 0:
            raise parse_error(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _read_attribute_value(src, i)
        if src.at(i) == 0:
            raise parse_error(f"Unclosed start tag at byte offset {begin}")
        if name == "tg-time" and attribute == "unix":
            match = re.match(r"-?\d+", value)
            unix_time = int(match.group()) if match else 0
        argument = _tag_argument(name, attribute, value, argument)

    if name == "span" and argument != "spoiler":
        raise parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return _OpenTag(name, argument, unix_time, 0, 0), i + 1


def _read_attribute_value(src: _Input, i: int) -> tuple[str, int]:
    """A quoted string (references decoded) or a bare name token (lower-cased)."""
    quote = src.at(i)
    if quote not in (ord("'"), ord('"')):
        token_begin = i
        while src.at(i) in _NAME_TOKEN:
            i += 1
        if src.at(i) not in _SPACE and src.at(i) != ord(">"):
            raise parse_error(f"Unexpected end of name token at byte offset {token_begin}")
        return src.data[token_begin:i].decode("ascii").lower(), i
    i += 1
    value = bytearray()
    while src.at(i) != quote and src.at(i) != 0:
        if src.at(i) == ord("&"):
            decoded = _decode_reference(src, i)
            if decoded is not None:
                code, i = decoded
                value += _encode(code)
                continue
        value.append(src.at(i))
        i += 1
    if src.at(i) == quote:
        i += 1
    return value.decode("utf-8", "replace"), i


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; TDLib silently ignores all others."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if (tag, attribute) in {("tg-emoji", "emoji-id"), ("tg-time", "format")}:
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def _close(
    tag: _OpenTag,
    length: int,
    content: str,
    entities: list[dict[str, Any]],
) -> None:
    """Add the entity a closed, non-empty tag produces (TDLib's end-of-entity branch)."""
    offset = tag.utf16_offset
    entity: dict[str, Any] = {"offset": offset, "length": length}
    last = entities[-1] if entities else None
    # The latest entity, when it spans exactly this tag (`<pre><code>` closing in either order).
    same_span = (
        last if last is not None and (last["offset"], last["length"]) == (offset, length) else None
    )
    if tag.name in _SIMPLE_ENTITY_TYPES:
        entities.append({"type": _SIMPLE_ENTITY_TYPES[tag.name], **entity})
    elif tag.name == "tg-emoji":
        if not re.fullmatch(r"-?\d{1,19}", tag.argument) or int(tag.argument) == 0:
            raise parse_error("Invalid custom emoji identifier specified")
        entities.append({"type": "custom_emoji", **entity, "custom_emoji_id": tag.argument})
    elif tag.name == "tg-time":
        if not _DATE_TIME_FORMAT.fullmatch(tag.argument):
            raise parse_error("Invalid date format used")
        if tag.unix_time > 0:
            entity.update(type="date_time", unix_time=tag.unix_time)
            if tag.argument:
                entity["date_time_format"] = tag.argument
            entities.append(entity)
    elif tag.name == "a":
        url = tag.argument or content
        user_id = link_user_id(url)
        if user_id is not None:
            entities.append({"type": "text_mention", **entity, "user": {"id": user_id}})
        elif (checked := checked_link(url)) is not None:
            entities.append({"type": "text_link", **entity, "url": checked})
    elif tag.name == "pre":
        if same_span is not None and same_span["type"] == "code" and same_span.get("_language"):
            same_span.update(type="pre", language=same_span.pop("_language"))
        else:
            entities.append({"type": "pre", **entity})
    elif tag.name == "code":
        if (
            same_span is not None
            and same_span["type"] == "pre"
            and "language" not in same_span
            and tag.argument
        ):
            same_span["language"] = tag.argument
        else:
            entities.append({"type": "code", **entity, "_language": tag.argument})
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entities.append({"type": kind, **entity})


def link_user_id(url: str) -> int | None:
    """The user id of a `tg://user?id=N` link (TDLib's get_link_user_id), else None."""
    link = url.lower()
    if not link.startswith("tg:"):
        return None
    link = link.removeprefix("tg:").removeprefix("//")
    if not link.startswith("user"):
        return None
    link = link.removeprefix("user").removeprefix("/")
    if not link.startswith("?"):
        return None
    for parameter in link[1:].split("#", 1)[0].split("&"):
        key, _, value = parameter.partition("=")
        if key == "id":
            return int(value) if re.fullmatch(r"\d{1,19}", value) and int(value) > 0 else None
    return None


_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_AUTHORITY = re.compile(r"(?:[^@/?#]*@)?([^:/?#@\s]+)(?::(\d{1,5}))?")


def checked_link(url: str) -> str | None:
    """A link as Telegram stores it (scheme added, `/` path), or None if it would be dropped.

    An approximation of TDLib's LinkManager::get_checked_link: `tg:` and `ton:` links are kept,
    other links must be http(s) with a host; a missing scheme means http.
    """
    lowered = url.lower()
    for scheme in ("tg", "ton"):
        if lowered.startswith(f"{scheme}:"):
            rest = url[len(scheme) + 1 :].removeprefix("//")
            return f"{scheme}://{rest}" if rest else None
    scheme_match = _URL_SCHEME.match(url)
    scheme = "http"
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in ("http", "https"):
            return None
        url = url[scheme_match.end() :]
    authority = _AUTHORITY.match(url)
    if authority is None or (authority.group(2) and not 0 < int(authority.group(2)) < 65536):
        return None
    rest = url[authority.end() :]
    if rest and rest[0] not in "/?#":
        return None
    return f"{scheme}://{url[: authority.end()]}{rest if rest.startswith('/') else '/' + rest}"
