"""The customer's contact details, checked and normalised before they reach an order.

Each check returns the clean value or raises `InvalidContact` with a reason code; the handlers
turn the code into a message in the customer's language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError, validate_email

NAME_MAX_LENGTH = 100


class ContactProblem(StrEnum):
    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    NAME_CONTROL_CHARACTERS = "name_control_characters"
    PHONE_NOT_A_NUMBER = "phone_not_a_number"
    PHONE_INVALID = "phone_invalid"
    PHONE_NOT_OWN = "phone_not_own"
    EMAIL_INVALID = "email_invalid"


class InvalidContact(ValueError):
    """A detail the customer gave cannot be used; `problem` says why."""

    def __init__(self, problem: ContactProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """What an order needs to know about the customer."""

    name: str
    phone: str
    email: str


def clean_name(text: str) -> str:
    """Trim and collapse inner whitespace; 1–100 characters, no control characters."""
    name = " ".join(text.split())
    if not name:
        raise InvalidContact(ContactProblem.NAME_EMPTY)
    if any(_is_forbidden(char) for char in name):
        raise InvalidContact(ContactProblem.NAME_CONTROL_CHARACTERS)
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidContact(ContactProblem.NAME_TOO_LONG)
    return name


_ALLOWED_FORMAT_CHARACTERS = {"\u200d", "\ufe0f", "\ufe0e"}  # joiners and emoji variation selectors


def _is_forbidden(char: str) -> bool:
    """Control and private-use characters; emoji joiners and flag tags are fine."""
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in _ALLOWED_FORMAT_CHARACTERS and not _is_emoji_tag(char)
    return category in {"Cc", "Co", "Cs"}


def _is_emoji_tag(char: str) -> bool:
    """Tag characters U+E0020–U+E007F build flag emoji such as England's."""
    return 0xE0020 <= ord(char) <= 0xE007F


def clean_phone(text: str, default_region: str) -> str:
    """A typed phone number in international E.164 form (`+79991234567`)."""
    try:
        number = phonenumbers.parse(text.strip(), default_region.upper())
    except phonenumbers.NumberParseException:
        raise InvalidContact(ContactProblem.PHONE_NOT_A_NUMBER) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(ContactProblem.PHONE_INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_shared_phone(phone_number: str, contact_user_id: int | None, sender_id: int) -> str:
    """A phone shared with Telegram's contact button; it must be the sender's own.

    Telegram sends these in international form, sometimes without the leading `+`.
    """
    if contact_user_id != sender_id:
        raise InvalidContact(ContactProblem.PHONE_NOT_OWN)
    digits = phone_number.strip()
    international = digits if digits.startswith("+") else f"+{digits}"
    return clean_phone(international, default_region="ZZ")


def clean_email(text: str) -> str:
    """Syntax only: no DNS look-ups, so a slow resolver never holds up checkout."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidContact(ContactProblem.EMAIL_INVALID) from None
