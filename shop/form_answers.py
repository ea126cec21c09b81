"""A customer's answer to one field of the order form: read, checked by the field's type and
validators exactly as OneEntry will check it, kept, shown and sent.

An answer is kept as a small plain value (text, a number, an ISO date, a choice's value), so a
draft and the saved details pickle without OneEntry's shapes and can be checked again when the
form changes: `accept` reads what the customer typed, `check` applies the rules to a kept
value, `wire_value` is the shape OneEntry's createOrder takes for the field's type, `shown`
is how the bot writes it back. A refusal raises `InvalidAnswer`, whose `problem` the views turn
into the bot's words unless the shop set its own (`custom_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import phonenumbers
from babel.dates import format_date

from shop.contact import NAME_MAX_LENGTH, InvalidContact, clean_email, clean_name, clean_phone
from shop.order_details import ShownField
from shop.order_form import (
    CHOICE_TYPES,
    MASK_DIGITS,
    FieldOption,
    OrderForm,
    OrderFormField,
    Role,
)

# A kept answer: text, an integer, a decimal as text, an ISO date/time, or a choice's value.
Answer = str | int


class AnswerProblem(StrEnum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    WRONG_LENGTH = "wrong_length"
    CONTROL_CHARACTERS = "control_characters"
    EMAIL_INVALID = "email_invalid"
    PATTERN = "pattern"
    MASK = "mask"
    PHONE_NOT_A_NUMBER = "phone_not_a_number"
    PHONE_INVALID = "phone_invalid"
    PHONE_NOT_OWN = "phone_not_own"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATE = "not_a_date"
    NOT_A_TIME = "not_a_time"
    NOT_A_DATETIME = "not_a_datetime"
    NOT_A_CHOICE = "not_a_choice"


# The validator whose `customErrorText` speaks for each problem.
VALIDATOR_OF = {
    AnswerProblem.EMPTY: "requiredValidator",
    AnswerProblem.TOO_SHORT: "stringInspectionValidator",
    AnswerProblem.TOO_LONG: "stringInspectionValidator",
    AnswerProblem.WRONG_LENGTH: "stringInspectionValidator",
    AnswerProblem.EMAIL_INVALID: "emailInspectionValidator",
    AnswerProblem.PATTERN: "regExpValidator",
    AnswerProblem.MASK: "fieldMaskValidator",
}


class InvalidAnswer(ValueError):
    """An answer the field cannot take; `limit` is the length a length problem is about,
    `custom_text` the shop's own words for it (None: the bot says it)."""

    def __init__(
        self, problem: AnswerProblem, *, limit: int = 0, custom_text: str | None = None
    ) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.limit = limit
        self.custom_text = custom_text


def refused(item: OrderFormField, problem: AnswerProblem, limit: int = 0) -> InvalidAnswer:
    validator = VALIDATOR_OF.get(problem)
    if validator is None and item.rules.mask and problem.name.startswith("PHONE"):
        validator = "fieldMaskValidator"
    custom = item.rules.error_text(validator) if validator else None
    return InvalidAnswer(problem, limit=limit, custom_text=custom)


# -- reading what the customer typed ------------------------------------------------------------


def accept(item: OrderFormField, text: str, default_region: str) -> Answer:
    """The kept value of a typed answer, checked; raises InvalidAnswer."""
    return check(item, _read(item, text, default_region))


def accept_shared_phone(item: OrderFormField, phone_number: str) -> Answer:
    """A phone shared with Telegram's contact button (international digits, maybe no `+`)."""
    digits = phone_number.strip()
    return accept(item, digits if digits.startswith("+") else f"+{digits}", "ZZ")


def accept_option(item: OrderFormField, index: int) -> Answer:
    if not 0 <= index < len(item.options):
        raise refused(item, AnswerProblem.NOT_A_CHOICE)
    return check(item, item.options[index].value)


def _read(item: OrderFormField, text: str, region: str) -> Answer:
    stripped = text.strip()
    if not stripped:
        raise refused(item, AnswerProblem.EMPTY)
    kind = item.type
    if item.role is Role.PHONE:
        return _read_phone(item, stripped, region)
    if item.role is Role.EMAIL:
        try:
            return clean_email(stripped)
        except InvalidContact:
            raise refused(item, AnswerProblem.EMAIL_INVALID) from None
    if kind in CHOICE_TYPES:
        return _read_choice(item, stripped)
    if kind == "integer":
        digits = re.sub(r"[\s\u00a0\u202f']", "", stripped)
        if not re.fullmatch(r"[+-]?[0-9]{1,15}", digits):
            raise refused(item, AnswerProblem.NOT_AN_INTEGER)
        return int(digits)
    if kind in ("real", "float"):
        return _read_decimal(item, stripped)
    if kind == "date":
        return _read_date(item, stripped).isoformat()
    if kind == "time":
        return _read_time(item, stripped).strftime("%H:%M")
    if kind == "dateTime":
        return _read_datetime(item, stripped)
    if kind == "text":
        return "\n".join(line.rstrip() for line in stripped.splitlines())
    if item.role is Role.NAME:
        return " ".join(stripped.split())
    return stripped


def _read_phone(item: OrderFormField, text: str, region: str) -> str:
    if re.search(r"[^\d\s()+.\-]", text) or not re.search(r"\d", text):
        raise refused(item, AnswerProblem.PHONE_NOT_A_NUMBER)
    if item.rules.mask:
        fitted = fit_mask(text, item.rules.mask)
        if fitted is None:
            raise refused(item, AnswerProblem.MASK)
        return fitted
    try:
        e164 = clean_phone(text, region)
    except InvalidContact as error:
        problem = (
            AnswerProblem.PHONE_INVALID
            if error.problem.value == "phone_invalid"
            else AnswerProblem.PHONE_NOT_A_NUMBER
        )
        raise refused(item, problem) from None
    if item.rules.pattern is None:
        return e164
    # The shop's own pattern: the number in the first way of writing it that fits.
    number = phonenumbers.parse(e164)
    ways = [
        e164,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        e164.lstrip("+"),
        str(number.national_number),
        text,
    ]
    return next((way for way in ways if matches_pattern(item.rules.pattern, way)), e164)


def fit_mask(text: str, mask: str) -> str | None:
    """The number's digits written into the mask (`+7 (999) 999-99-99`: each 9, # or _ takes
    one digit), or None when they do not fit. The mask's own leading digits (a country code)
    may be typed or not, and a national trunk digit (8, 0) before the rest is dropped."""
    slots = sum(char in MASK_DIGITS for char in mask)
    first_slot = next((i for i, char in enumerate(mask) if char in MASK_DIGITS), len(mask))
    prefix = "".join(char for char in mask[:first_slot] if char.isdigit())
    digits = re.sub(r"\D", "", text)
    candidates = [digits]
    if prefix and digits.startswith(prefix):
        candidates.append(digits[len(prefix) :])
    if len(digits) == slots + 1:
        candidates.append(digits[1:])
    fitting = next((candidate for candidate in candidates if len(candidate) == slots), None)
    if fitting is None or slots == 0:
        return None
    pending = iter(fitting)
    return "".join(next(pending) if char in MASK_DIGITS else char for char in mask)


def mask_pattern(mask: str) -> re.Pattern[str]:
    """A value written in `mask`: its literal characters, a digit at each digit position."""
    return re.compile("".join(r"\d" if char in MASK_DIGITS else re.escape(char) for char in mask))


def matches_pattern(pattern: str, value: str) -> bool:
    """`regExpValidator.patternValue`, tested like JavaScript's `RegExp.test` (a search, not a
    full match); a `/…/flags` literal is taken apart. A pattern Python cannot read refuses
    nothing the bot could fix, so it passes."""
    flags = 0
    literal = re.fullmatch(r"/(.*)/([a-z]*)", pattern, re.DOTALL)
    if literal:
        pattern = literal.group(1)
        flags = re.IGNORECASE if "i" in literal.group(2) else 0
    try:
        return re.search(pattern, value, flags) is not None
    except re.error:
        return True


def _read_choice(item: OrderFormField, text: str) -> Answer:
    """A typed choice: its title (any case) or its number in the list."""
    wanted = text.casefold()
    for number, option in enumerate(item.options, start=1):
        if option.title.casefold() == wanted or str(option.value).casefold() == wanted:
            return option.value
        if text == str(number):
            return option.value
    raise refused(item, AnswerProblem.NOT_A_CHOICE)


def _read_decimal(item: OrderFormField, text: str) -> str:
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text).replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", cleaned):
        raise refused(item, AnswerProblem.NOT_A_NUMBER)
    try:
        return str(Decimal(cleaned).normalize())
    except InvalidOperation:
        raise refused(item, AnswerProblem.NOT_A_NUMBER) from None


_DATE = re.compile(r"([0-9]{1,2})[./\-\s]([0-9]{1,2})[./\-\s]([0-9]{2}|[0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*([ap]\.?m\.?)?", re.IGNORECASE)


def _read_date(item: OrderFormField, text: str) -> date:
    """Day first (31.12.2026, 31/12/2026, 31-12-26) or ISO (2026-12-31)."""
    iso = _ISO_DATE.fullmatch(text)
    found = _DATE.fullmatch(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if found:
            year = int(found.group(3))
            year = year + 2000 if year < 100 else year
            return date(year, int(found.group(2)), int(found.group(1)))
    except ValueError:
        pass
    raise refused(item, AnswerProblem.NOT_A_DATE)


def _read_time(item: OrderFormField, text: str) -> time:
    """24-hour (14:30, 14.30, 9) or with am/pm (2:30 pm)."""
    found = _TIME.fullmatch(text.strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        half = (found.group(3) or "").lower().replace(".", "")
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
        elif half:
            hour = 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise refused(item, AnswerProblem.NOT_A_TIME)


def _read_datetime(item: OrderFormField, text: str) -> str:
    parts = re.split(r"\s*(?:,|\s)\s*(?=[0-9]{1,2}(?:[:.h][0-9]{2}|\s*[ap]\.?m))", text, maxsplit=1)
    if len(parts) != 2:
        raise refused(item, AnswerProblem.NOT_A_DATETIME)
    try:
        day = _read_date(item, parts[0])
        moment = _read_time(item, parts[1])
    except InvalidAnswer:
        raise refused(item, AnswerProblem.NOT_A_DATETIME) from None
    return datetime.combine(day, moment).strftime("%Y-%m-%dT%H:%M")


# -- the field's rules, on a kept value --------------------------------------------------------


def check(item: OrderFormField, value: object) -> Answer:
    """`value` if the field takes it as it is now (its type and every validator); raises
    InvalidAnswer. Used on fresh answers and on kept ones after the form changed."""
    if value is None or value == "":
        raise refused(item, AnswerProblem.EMPTY)
    kind = item.type
    if kind in CHOICE_TYPES:
        if _option(item, value) is None:
            raise refused(item, AnswerProblem.NOT_A_CHOICE)
        return value  # type: ignore[return-value]  # an option's value is str | int
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise refused(item, AnswerProblem.NOT_AN_INTEGER)
        return value
    if not isinstance(value, str):
        raise refused(item, AnswerProblem.EMPTY)
    if kind in ("real", "float"):
        return _read_decimal(item, value)
    if kind == "date":
        return _read_date(item, value).isoformat()
    if kind == "time":
        return _read_time(item, value).strftime("%H:%M")
    if kind == "dateTime":
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M").strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            raise refused(item, AnswerProblem.NOT_A_DATETIME) from None
    return _check_text(item, value)


def _check_text(item: OrderFormField, value: str) -> str:
    rules = item.rules
    if rules.trim or item.type == "string":
        value = value.strip()
    if not value:
        raise refused(item, AnswerProblem.EMPTY)
    if item.role is Role.NAME:
        try:
            clean_name(value)
        except InvalidContact as error:
            if error.problem.value == "name_control_characters":
                raise refused(item, AnswerProblem.CONTROL_CHARACTERS) from None
    elif any(_is_control(char) for char in value):
        raise refused(item, AnswerProblem.CONTROL_CHARACTERS)
    length = len(value)
    if rules.exact_length and length != rules.exact_length:
        raise refused(item, AnswerProblem.WRONG_LENGTH, rules.exact_length)
    if rules.min_length and length < rules.min_length:
        raise refused(item, AnswerProblem.TOO_SHORT, rules.min_length)
    limit = rules.max_length or (NAME_MAX_LENGTH if item.role is Role.NAME else 0)
    if limit and length > limit:
        raise refused(item, AnswerProblem.TOO_LONG, limit)
    if rules.email or item.role is Role.EMAIL:
        try:
            clean_email(value)
        except InvalidContact:
            raise refused(item, AnswerProblem.EMAIL_INVALID) from None
    if rules.mask and not mask_pattern(rules.mask).fullmatch(value):
        raise refused(item, AnswerProblem.MASK)
    if rules.pattern and not matches_pattern(rules.pattern, value):
        raise refused(item, AnswerProblem.PATTERN)
    return value


def _is_control(char: str) -> bool:
    return char not in "\n\t" and (ord(char) < 32 or 0x7F <= ord(char) < 0xA0)


def _option(item: OrderFormField, value: object) -> FieldOption | None:
    return next((option for option in item.options if option.value == value), None)


def default_answer(item: OrderFormField) -> Answer | None:
    """`defaultValueValidator.fieldDefaultValue`, when the field takes it as an answer."""
    default = item.rules.default
    if default is None:
        return None
    if item.type in CHOICE_TYPES:
        found = _option(item, default) or next(
            (option for option in item.options if option.title == str(default)), None
        )
        default = found.value if found else default
    try:
        return check(item, default)
    except InvalidAnswer:
        try:
            return accept(item, str(default), "ZZ")
        except InvalidAnswer:
            return None


# -- sending and showing ----------------------------------------------------------------------

_FORMATS = {"date": "DD-MM-YYYY", "dateTime": "DD-MM-YYYY HH:mm", "time": "HH:mm"}
_STRFTIME = {"date": "%d-%m-%Y", "dateTime": "%d-%m-%Y %H:%M", "time": "%H:%M"}


def moment(item: OrderFormField, value: Answer) -> datetime:
    """A date, time or date-time answer as a naive local datetime (a time on 1970-01-01)."""
    text = str(value)
    if item.type == "date":
        return datetime.combine(date.fromisoformat(text), time())
    if item.type == "time":
        return datetime.combine(date(1970, 1, 1), time.fromisoformat(text))
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


def wire_value(item: OrderFormField, value: Answer, timezone: tzinfo = UTC) -> Any:
    """The value as OneEntry's createOrder takes it for the field's type (API reference §5)."""
    kind = item.type
    if kind == "text":
        return [{"plainValue": str(value)}]
    if kind == "integer":
        return int(value)
    if kind in ("real", "float"):
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind in _FORMATS:
        local = moment(item, value).replace(tzinfo=timezone)
        full = local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return {
            "fullDate": full,
            "formattedValue": local.strftime(_STRFTIME[kind]),
            "formatString": _FORMATS[kind],
        }
    if kind in CHOICE_TYPES:
        option = _option(item, value)
        title = option.title if option else str(value)
        extended = dict(option.extended) if option and option.extended else None
        return [
            {
                "title": title,
                "value": value,
                "extended": extended or {"value": None, "type": None},
            }
        ]
    return str(value)


_BABEL_LOCALES = {"en": "en_GB", "ru": "ru"}


def shown(item: OrderFormField, value: Answer, language: str) -> str:
    """The answer as the bot writes it back (not escaped): a date with its month's name, so
    31/12 and 12/31 cannot be mixed up; a choice by its title."""
    kind = item.type
    locale = _BABEL_LOCALES.get(language, "en_GB")
    if kind in CHOICE_TYPES:
        option = _option(item, value)
        return option.title if option else str(value)
    if kind == "date":
        return format_date(date.fromisoformat(str(value)), format="long", locale=locale)
    if kind == "dateTime":
        local = moment(item, value)
        return f"{format_date(local.date(), format='long', locale=locale)}, {local:%H:%M}"
    return str(value)


def shown_answers(
    form: OrderForm, values: Mapping[str, Answer], language: str
) -> tuple[ShownField, ...]:
    """Each answered field of the form, in its order, with its title and the answer as the bot
    writes it back: what the summary lists, and what the order message shows later."""
    return tuple(
        ShownField(item.marker, item.title, shown(item, values[item.marker], language))
        for item in form.asked_fields
        if item.marker in values
    )
