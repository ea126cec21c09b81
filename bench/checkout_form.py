"""The shop's order form as the benchmark's customers answer it: read once per run from the
emulator's OneEntry API (`GET /forms/marker/{marker}`, over HTTP, as the bot reads it), and
turned into one answer per field the bot will ask, in its order.

Each field is answered by its type and role, as a person would: the name field with the
customer's first name, the phone shared with the contact button (written in the field's mask
when it has one), the email with an address, a choice by tapping its first option, a date in
the accepted format, other text with a plausible value of an allowed length; an optional
field is skipped and a field with a default value takes it with one tap. The roles are found
as the bot finds them: the marker settings the emulator's banner gives, else what the field
says of itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from oneentry_client import FormAttribute, OneEntryClient

LANG = "en_US"  # the crowd's customers speak English
DEFAULT_FORM = "guest_order"  # ONEENTRY_ORDER_FORM when the banner names none (the bot's default)
# The bot's default role markers (ONEENTRY_NAME_FIELD, ..._PHONE_FIELD, ..._EMAIL_FIELD).
DEFAULT_ROLE_MARKERS = {"name": "guest_name", "phone": "guest_phone", "email": "guest_email"}
ROLE_SETTINGS = {
    "name": "ONEENTRY_NAME_FIELD",
    "phone": "ONEENTRY_PHONE_FIELD",
    "email": "ONEENTRY_EMAIL_FIELD",
}

TEXT_TYPES = frozenset({"string", "text"})
CHOICE_TYPES = frozenset({"list", "radioButton"})
ASKED_TYPES = TEXT_TYPES | CHOICE_TYPES | {"integer", "real", "float", "date", "dateTime", "time"}
MASK_DIGITS = frozenset("9#_")

PHONE = "+447911123456"  # shared where the field has no mask
PHONE_DIGITS = "9161234567"  # written into a mask's digit positions
TYPED = {
    "string": "Market Street 12, Springfield",
    "text": "Market Street 12, flat 3, Springfield",
    "integer": "2",
    "real": "1.5",
    "float": "1.5",
    "date": "31.12.2030",
    "dateTime": "31.12.2030 14:30",
    "time": "14:30",
}
OPTIONAL = " (optional)"  # the bot's mark on an optional field's title (English)


class Answer(StrEnum):
    """How a customer answers one field."""

    SAY = "say"  # send `text`
    SHARE_PHONE = "share_phone"  # share `text` as one's own contact, with the button
    TAP = "tap"  # tap the button labelled `text`
    TAP_DEFAULT = "tap_default"  # tap the field's default-value button ("✅ …")
    SKIP = "skip"  # tap "⏭ Skip" (send it, for the phone's reply keyboard)


SKIP_LABEL = "⏭ Skip"


@dataclass(frozen=True)
class FieldAnswer:
    """One field the bot asks: the step's name (the role, else the marker), what its question
    shows (the field's title as its heading), and how it is answered. `text` is None where it
    depends on the customer (the name, the email)."""

    step: str
    heading: str
    answer: Answer
    text: str | None = None

    def text_for(self, first_name: str, user_id: int) -> str:
        """The text sent or the button tapped ("" where the answer needs none)."""
        if self.text is not None:
            return self.text
        if self.answer is Answer.SAY and self.step == "name":
            return first_name
        if self.answer is Answer.SAY and self.step == "email":
            return f"customer{user_id}@example.com"
        return ""


@dataclass(frozen=True)
class CheckoutForm:
    """The fields the bot asks, in order, and how the journey answers each."""

    fields: tuple[FieldAnswer, ...]

    def step(self, name: str) -> FieldAnswer | None:
        return next((item for item in self.fields if item.step == name), None)


async def read_checkout_form(bot_env: Mapping[str, str]) -> CheckoutForm:
    """The order form the bot of `bot_env` will ask, read from its OneEntry over HTTP."""
    marker = bot_env.get("ONEENTRY_ORDER_FORM") or DEFAULT_FORM
    async with OneEntryClient(
        bot_env["ONEENTRY_PROJECT_URL"], bot_env["ONEENTRY_APP_TOKEN"], lang=LANG
    ) as client:
        form = await client.forms.get(marker, lang=LANG)
    return checkout_form(form.attributes, bot_env)


def checkout_form(attributes: list[FormAttribute], bot_env: Mapping[str, str]) -> CheckoutForm:
    ordered = sorted(enumerate(attributes), key=lambda pair: (pair[1].position or 0, pair[0]))
    asked = [attribute for _, attribute in ordered if _asked(attribute)]
    roles = _roles(asked, bot_env)
    return CheckoutForm(tuple(_answer(item, roles.get(item.marker)) for item in asked))


def _asked(attribute: FormAttribute) -> bool:
    kind = attribute.type or "string"
    if attribute.is_visible is False or kind not in ASKED_TYPES:
        return False
    return kind not in CHOICE_TYPES or bool(_option_titles(attribute))


def _roles(asked: list[FormAttribute], bot_env: Mapping[str, str]) -> dict[str, str]:
    """marker → role: the marker settings first, else the field's own hints (as the bot)."""
    texts = [item for item in asked if (item.type or "string") in TEXT_TYPES]
    roles: dict[str, str] = {}
    for role, setting in ROLE_SETTINGS.items():
        marker = bot_env.get(setting) or DEFAULT_ROLE_MARKERS[role]
        if any(item.marker == marker for item in texts):
            roles[marker] = role
    hints: dict[str, Callable[[FormAttribute], bool]] = {
        "email": lambda item: (
            "emailInspectionValidator" in item.validators or "email" in item.marker.lower()
        ),
        "phone": lambda item: (
            _mask(item) is not None
            or any(word in item.marker.lower() for word in ("phone", "tel", "mobile"))
        ),
        "name": lambda item: "name" in item.marker.lower(),
    }
    for role, hint in hints.items():
        if role in roles.values():
            continue
        found = next((i for i in texts if i.marker not in roles and hint(i)), None)
        if found is not None:
            roles[found.marker] = role
    return roles


def _answer(item: FormAttribute, role: str | None) -> FieldAnswer:
    kind = item.type or "string"
    heading = item.title + ("" if item.is_required else OPTIONAL)
    step = role or item.marker
    if role == "phone":
        if not item.is_required:
            return FieldAnswer(step, heading, Answer.SKIP)
        return FieldAnswer(step, heading, Answer.SHARE_PHONE, _phone(_mask(item)))
    if _default(item) is not None and kind not in CHOICE_TYPES:
        return FieldAnswer(step, heading, Answer.TAP_DEFAULT)
    if not item.is_required:
        return FieldAnswer(step, heading, Answer.SKIP)
    if kind in CHOICE_TYPES:
        return FieldAnswer(step, heading, Answer.TAP, _option_titles(item)[0])
    if role in ("name", "email"):
        return FieldAnswer(step, heading, Answer.SAY)
    return FieldAnswer(step, heading, Answer.SAY, _typed(item, kind))


def _typed(item: FormAttribute, kind: str) -> str:
    """A plausible answer of the type, fitted to the field's lengths."""
    text = TYPED.get(kind, TYPED["string"])
    if kind not in TEXT_TYPES:
        return text
    lengths = _settings(item, "stringInspectionValidator")
    exact = _number(lengths.get("stringLength"))
    shortest = exact or _number(lengths.get("stringMin"))
    longest = exact or _number(lengths.get("stringMax"))
    while len(text) < shortest:
        text += f", {TYPED[kind]}"
    return text[:longest].rstrip(" ,").ljust(shortest, "x") if longest else text


def _phone(mask: str | None) -> str:
    """A number the field takes, as Telegram shares it: its mask's own digits (a country
    code) and then the digits of a plausible number in the mask's digit positions."""
    if mask is None:
        return PHONE
    first = next((i for i, char in enumerate(mask) if char in MASK_DIGITS), len(mask))
    prefix = "".join(char for char in mask[:first] if char.isdigit())
    slots = sum(char in MASK_DIGITS for char in mask)
    return "+" + prefix + (PHONE_DIGITS * (slots // len(PHONE_DIGITS) + 1))[:slots]


def _mask(item: FormAttribute) -> str | None:
    mask = _settings(item, "fieldMaskValidator").get("maskValue")
    return mask if isinstance(mask, str) and mask.strip() else None


def _default(item: FormAttribute) -> Any:
    value = _settings(item, "defaultValueValidator").get("fieldDefaultValue")
    return None if value in (None, "") else value


def _option_titles(item: FormAttribute) -> list[str]:
    """The choice buttons' labels, in their order (a choice without a title shows its value)."""
    options = sorted(
        (option for option in item.list_titles if isinstance(option, dict)),
        key=lambda option: _number(option.get("position")),
    )
    return [
        str(option.get("title") or option["value"])
        for option in options
        if option.get("value") not in (None, "")
    ]


def _settings(item: FormAttribute, validator: str) -> dict[str, Any]:
    found = item.validators.get(validator)
    return found if isinstance(found, dict) else {}


def _number(value: object) -> int:
    """A length or position as the form holds it (a number, a numeric string, or nothing)."""
    try:
        return int(str(value))
    except ValueError:
        return 0
