"""Every request the fake receives, checked against the vendored Bot API spec JSON.

`BotApiSpec.decode` finds the method (case-insensitively, as the real server does), turns the
wire values into typed Python values by their declared types, and refuses what Telegram
refuses, with Telegram's words where they are known.

Strictness (reference §4.4): Telegram silently ignores unknown parameter and object field
names, converts unparsable numbers to 0 and never rejects a second identifier next to
`inline_message_id`. Each of those hides a real bot bug (a typo such as `parse_mod`, a field the
bot thinks it sets), so the fake answers them with `StricterThanTelegram`, a 400 whose text says
so, and the server records it as a finding. Everything else is answered as Telegram answers.
The one exception is `KNOWN_HARMLESS_EXTRAS`: parameters a mainstream library always sends
where they mean nothing, which Telegram ignores and which hide no bug.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.telegram.errors import BotApiError, bad_request

SPEC_DIR = Path(__file__).with_name("spec")


# python-telegram-bot's `Defaults(parse_mode=...)` fills `parse_mode` into every call that goes
# through its `_send_message`, editMessageReplyMarkup included (PTB 22.x); Telegram ignores it.
KNOWN_HARMLESS_EXTRAS: dict[str, frozenset[str]] = {
    "editMessageReplyMarkup": frozenset({"parse_mode"}),
}


class StricterThanTelegram(BotApiError):
    """A 400 for something real Telegram accepts silently but that is always a bot bug."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, f"{detail} (real Telegram ignores this; the fake is stricter)")


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool


# Texts the real server gives for some missing parameters (observed in Bot API answers);
# any other missing parameter gets the reference's generic `parameter "x" is required`.
_MISSING_TEXTS = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
}
# The server reads `text` first and resolves the chat last (see _MISSING_TEXTS' sources).
_CHECK_FIRST = ("text", "caption")
_CHECK_LAST = ("message_id", "chat_id")

# Parameters whose JSON the server names in its own words when it cannot parse it.
_JSON_PARAM_NAMES = {"reply_markup": "reply keyboard markup"}
# How the server names an object type in "can't parse <name>: ..." (verified for these two).
_OBJECT_NAMES = {"InlineKeyboardButton": "inline keyboard button", "BotCommand": "BotCommand"}

# Fields required only when another parameter has a value (prose "Required if ..." rules).
_PRESENT = object()
_REQUIRED_WHEN: dict[str, tuple[tuple[str, str, object], ...]] = {
    "answerShippingQuery": (("shipping_options", "ok", True), ("error_message", "ok", False)),
    "answerPreCheckoutQuery": (("error_message", "ok", False),),
    "unpinChatMessage": (("message_id", "business_connection_id", _PRESENT),),
}
_PRIMITIVES = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})
_EDIT_TARGET = frozenset({"chat_id", "message_id", "inline_message_id"})
_DISCRIMINATOR = re.compile(r"(?:must be|always) [\"“]?([\w-]+)")
_INTEGER = re.compile(r"[+-]?\d+")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class _Mismatch(Exception):
    """A value that does not fit its declared type; the caller words it for its context."""


class BotApiSpec:
    """One Bot API version's methods and types, and the request decoder built on them."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.version: str = document["version"]
        self._methods: dict[str, tuple[str, dict[str, Field]]] = {
            name.lower(): (name, _fields(method)) for name, method in document["methods"].items()
        }
        # InputFile is documented as a type too, but it is a wire primitive here.
        self._types: dict[str, Mapping[str, Any]] = {
            name: entry for name, entry in document["types"].items() if name not in _PRIMITIVES
        }
        # Built once: a keyboard's every button is decoded against its type's fields.
        self._type_fields = {name: _fields(entry) for name, entry in self._types.items()}

    @classmethod
    @functools.cache
    def for_version(cls, version: str) -> BotApiSpec:
        """The vendored spec for e.g. "10.0"; LookupError if this project has no such file."""
        path = SPEC_DIR / f"api-{version}.json"
        if not path.is_file():
            have = sorted(p.stem.removeprefix("api-") for p in SPEC_DIR.glob("api-*.json"))
            raise LookupError(f"no vendored Bot API spec for version {version!r}; have {have}")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def for_installed_ptb(cls) -> BotApiSpec:
        """The spec of the Bot API version the installed python-telegram-bot speaks."""
        from telegram.constants import BOT_API_VERSION

        return cls.for_version(BOT_API_VERSION)

    def method_names(self) -> set[str]:
        return {canonical for canonical, _ in self._methods.values()}

    def fields(self, method: str) -> dict[str, Field]:
        """The parameters of a method, by name (its canonical name, any case)."""
        return self._methods[method.lower()][1]

    def decode(self, method: str, raw: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Validate one request and return (canonical method name, typed params).

        `raw` holds the merged query, form or multipart fields (strings, or upload objects for
        files) or the values of a JSON body (JSON types). Raises BotApiError as Telegram would.
        """
        found = self._methods.get(method.lower())
        if found is None:
            raise BotApiError(404, "method not found")
        canonical, fields = found
        ignored = KNOWN_HARMLESS_EXTRAS.get(canonical, frozenset())
        present = {
            name: value for name, value in raw.items() if value is not None and name not in ignored
        }
        for name in present:
            if name not in fields:
                raise StricterThanTelegram(f'unknown parameter "{name}" for method {canonical}')
        self._check_required(fields, present)
        params = {name: self._decode_param(fields[name], value) for name, value in present.items()}
        _check_required_if(canonical, fields, params)
        return canonical, params

    def _check_required(self, fields: dict[str, Field], present: Mapping[str, Any]) -> None:
        def order(field: Field) -> tuple[int, int]:
            first = field.name in _CHECK_FIRST
            last = _CHECK_LAST.index(field.name) if field.name in _CHECK_LAST else -1
            return (0 if first else 1, last)

        for field in sorted(fields.values(), key=order):
            if field.required and present.get(field.name) in (None, ""):
                raise bad_request(missing_text(field.name))

    def _decode_param(self, field: Field, value: Any) -> Any:
        """Decode one top-level parameter; form values are strings, JSON values are typed."""
        structured = [t for t in field.types if t.startswith("Array of ") or t in self._types]
        if structured and isinstance(value, str) and not _fits_primitive(value, field.types):
            try:
                value = json.loads(value)
            except ValueError:
                raise bad_request(
                    f"can't parse {_json_param_name(field.name)} JSON object"
                ) from None
        try:
            return self._decode_value(value, field.types, top_level=True)
        except _Mismatch as mismatch:
            raise StricterThanTelegram(f'parameter "{field.name}" {mismatch}') from None

    def _decode_value(self, value: Any, types: tuple[str, ...], *, top_level: bool) -> Any:
        """Decode by the first declared alternative the value can be; _Mismatch if none."""
        if len(types) > 1 and all(t.startswith("Array of ") for t in types):
            # "Array of InputMediaPhoto | Array of InputMediaVideo": one album may mix them.
            types = ("Array of " + "|".join(t.removeprefix("Array of ") for t in types),)
        if len(types) == 1 and "|" in types[0] and not types[0].startswith("Array of "):
            types = tuple(types[0].split("|"))
        if len(types) > 1:
            candidates = [t for t in types if self._could_be(value, t, top_level=top_level)]
            if not candidates:
                raise _Mismatch(f"must be one of {', '.join(types)}")
            types = tuple(candidates[:1])
        type_expr = types[0]
        if type_expr.startswith("Array of "):
            if not isinstance(value, list):
                raise _Mismatch("must be an Array")
            item_type = (type_expr.removeprefix("Array of "),)
            return [self._decode_value(item, item_type, top_level=False) for item in value]
        if type_expr == "KeyboardButton" and isinstance(value, str):
            value = {"text": value}  # a reply keyboard row may list plain button texts
        if type_expr in self._types:
            return self._decode_object(value, type_expr)
        return _decode_primitive(value, type_expr, top_level=top_level)

    def _could_be(self, value: Any, type_expr: str, *, top_level: bool) -> bool:
        """Whether a value is shaped like one alternative of a multi-type field."""
        if type_expr.startswith("Array of "):
            item_type = type_expr.removeprefix("Array of ")
            if "|" in item_type:
                return isinstance(value, list)
            return isinstance(value, list) and all(
                self._could_be(item, item_type, top_level=False) for item in value
            )
        if type_expr not in self._types:
            try:
                _decode_primitive(value, type_expr, top_level=top_level)
            except _Mismatch:
                return False
            return True
        spec_type = self._types[type_expr]
        if not isinstance(value, dict):
            return False
        for field in spec_type.get("fields", []):
            if field["required"] and field["name"] not in value:
                return False
            tag = _DISCRIMINATOR.search(field["description"])
            if (
                field["required"]
                and tag is not None
                and field["types"] == ["String"]
                and value[field["name"]] != tag.group(1)
            ):
                return False
        return True

    def _decode_object(self, value: Any, type_name: str) -> dict[str, Any]:
        """Validate a JSON object against its type: known fields, required fields, nesting."""
        what = _OBJECT_NAMES.get(type_name, type_name)
        if not isinstance(value, dict):
            raise _Mismatch("must be an Object")
        spec_type = self._types[type_name]
        if "subtypes" in spec_type:
            return self._decode_object(value, self._pick_subtype(value, spec_type, what))
        fields = self._type_fields[type_name]
        decoded: dict[str, Any] = {}
        for name, item in value.items():
            field = fields.get(name)
            if field is None:
                raise StricterThanTelegram(f'can\'t parse {what}: unknown field "{name}"')
            try:
                if item is None:
                    raise _Mismatch(f"must be of type {field.types[0]}")
                decoded[name] = self._decode_value(item, field.types, top_level=False)
            except _Mismatch as mismatch:
                raise bad_request(_field_error(what, type_name, field, mismatch)) from None
        for field in fields.values():
            if field.required and field.name not in value:
                raise bad_request(f"can't parse {what}: Can't find field \"{field.name}\"")
        return decoded

    def _pick_subtype(self, value: dict[str, Any], union: Mapping[str, Any], what: str) -> str:
        """Choose the member of a union (e.g. BotCommandScope) by its `type`-like field; a
        union without one (InputMessageContent) by the member whose required fields are all
        there (message_text: a text, latitude and longitude: a location, ...), the one with
        the most of them."""
        members: list[str] = union["subtypes"]  # type names, as the spec JSON lists them
        if not any(self._discriminator(member) for member in members):
            fitting = [
                member
                for member in members
                if all(f["name"] in value for f in self._types[member]["fields"] if f["required"])
            ]
            if fitting:
                return max(
                    fitting,
                    key=lambda m: sum(f["required"] for f in self._types[m]["fields"]),
                )
            raise bad_request(f"can't parse {what}: unsupported {union['name']} type")
        for member in members:
            for field in self._types[member].get("fields", []):
                tag = _DISCRIMINATOR.search(field["description"])
                if field["required"] and tag:
                    if field["name"] not in value:
                        raise bad_request(
                            f"can't parse {what}: Can't find field \"{field['name']}\""
                        )
                    if value[field["name"]] == tag.group(1):
                        return member
                    break
        raise bad_request(f"can't parse {what}: unsupported {union['name']} type")

    def _discriminator(self, member: str) -> bool:
        return any(
            field["required"] and _DISCRIMINATOR.search(field["description"])
            for field in self._types[member].get("fields", [])
        )


def missing_text(name: str) -> str:
    """What Telegram says when a required parameter is absent or empty."""
    return _MISSING_TEXTS.get(name, f'parameter "{name}" is required')


def _check_required_if(method: str, fields: Mapping[str, Field], params: Mapping[str, Any]) -> None:
    """The "Required if ..." rules the JSON only states in descriptions."""
    if fields.keys() >= _EDIT_TARGET and not fields["chat_id"].required:
        if "inline_message_id" in params:
            if "chat_id" in params or "message_id" in params:
                raise StricterThanTelegram(
                    "give either inline_message_id or chat_id and message_id, not both"
                )
        elif "message_id" not in params:
            raise bad_request(missing_text("message_id"))
        elif "chat_id" not in params:
            raise bad_request(missing_text("chat_id"))
    if method == "sendGift" and ("user_id" in params) == ("chat_id" in params):
        raise bad_request('exactly one of parameters "user_id" and "chat_id" must be specified')
    for name, condition, expected in _REQUIRED_WHEN.get(method, ()):
        holds = condition in params if expected is _PRESENT else params.get(condition) == expected
        if holds and name not in params:
            raise bad_request(missing_text(name))


def _decode_primitive(value: Any, type_name: str, *, top_level: bool) -> Any:
    """Integer, Float, Boolean, String and InputFile, from form strings or JSON values."""
    if type_name == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value)
    elif type_name == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif type_name == "Boolean":
        if isinstance(value, bool):
            return value
        if top_level and isinstance(value, str) and value.lower() in _BOOLEANS:
            return _BOOLEANS[value.lower()]
    elif type_name == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and (top_level or not isinstance(value, bool)):
            return json.dumps(value)  # the server flattens JSON scalars to their text
    elif type_name == "InputFile":
        if isinstance(value, str | bytes) or hasattr(value, "filename"):
            return value  # a file id, a URL, attach://name, or an uploaded file
    else:
        raise LookupError(f"the spec names an unknown type {type_name!r}")
    raise _Mismatch(f"must be of type {type_name}")


def _fields(entry: Mapping[str, Any]) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]))
        for f in entry.get("fields", [])
    }


def _fits_primitive(value: str, types: tuple[str, ...]) -> bool:
    """A form string for a String-or-object parameter that is meant as the plain string."""
    return "String" in types and not value.lstrip().startswith(("{", "["))


def _json_param_name(name: str) -> str:
    return _JSON_PARAM_NAMES.get(name, name)


def _field_error(what: str, owner: str, field: Field, mismatch: _Mismatch) -> str:
    """Telegram's wording for a field of the wrong shape inside a JSON object."""
    if field.types[0].startswith("Array of Array of") and str(mismatch) == "must be an Array":
        return f'Field "{field.name}" of the {owner} must be an Array of Arrays'
    if field.types[0].startswith("Array of") and str(mismatch) == "must be an Array":
        return f'Field "{field.name}" of the {owner} must be an Array'
    return f'can\'t parse {what}: Field "{field.name}" {mismatch}'
