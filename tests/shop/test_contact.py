"""Contact details: what the customer types is cleaned or refused with a reason."""

import pytest

from shop.contact import (
    ContactProblem,
    InvalidContact,
    clean_email,
    clean_name,
    clean_phone,
    clean_shared_phone,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Ivan   Petrov ", "Ivan Petrov"),
        ("Анна", "Анна"),
        ("Zoë 👩‍👩‍👧", "Zoë 👩‍👩‍👧"),  # emoji joined with ZWJ
        ("O'Brien <b>&amp;", "O'Brien <b>&amp;"),  # escaping is the renderer's job
        ("x" * 100, "x" * 100),
        ("line\nbreak", "line break"),
    ],
)
def test_names_are_trimmed_and_kept(typed: str, expected: str) -> None:
    assert clean_name(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("   ", ContactProblem.NAME_EMPTY),
        ("", ContactProblem.NAME_EMPTY),
        ("x" * 101, ContactProblem.NAME_TOO_LONG),
        ("y" * 5000, ContactProblem.NAME_TOO_LONG),
        ("Ivan\x00", ContactProblem.NAME_CONTROL_CHARACTERS),
        ("Iv\u202ean", ContactProblem.NAME_CONTROL_CHARACTERS),  # right-to-left override
    ],
)
def test_bad_names_say_why(typed: str, problem: ContactProblem) -> None:
    with pytest.raises(InvalidContact) as caught:
        clean_name(typed)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    ("typed", "region", "expected"),
    [
        ("+7 999 123-45-67", "RU", "+79991234567"),
        ("8 (999) 123-45-67", "RU", "+79991234567"),
        ("9991234567", "RU", "+79991234567"),
        ("+1 650-253-0000", "RU", "+16502530000"),
        ("(650) 253-0000", "US", "+16502530000"),
    ],
)
def test_typed_phones_become_international(typed: str, region: str, expected: str) -> None:
    assert clean_phone(typed, region) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("call me", ContactProblem.PHONE_NOT_A_NUMBER),
        ("12", ContactProblem.PHONE_INVALID),
        ("+7999", ContactProblem.PHONE_INVALID),
        ("+7 999 123-45-67-89-00", ContactProblem.PHONE_INVALID),
    ],
)
def test_bad_phones_say_why(typed: str, problem: ContactProblem) -> None:
    with pytest.raises(InvalidContact) as caught:
        clean_phone(typed, "RU")
    assert caught.value.problem is problem


@pytest.mark.parametrize("shared", ["79991234567", "+79991234567"])
def test_own_shared_contact_with_or_without_plus(shared: str) -> None:
    assert clean_shared_phone(shared, contact_user_id=42, sender_id=42) == "+79991234567"


@pytest.mark.parametrize("owner", [43, None])
def test_someone_elses_contact_is_refused(owner: int | None) -> None:
    with pytest.raises(InvalidContact) as caught:
        clean_shared_phone("79991234567", contact_user_id=owner, sender_id=42)
    assert caught.value.problem is ContactProblem.PHONE_NOT_OWN


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" ivan@example.com ", "ivan@example.com"),
        ("Ivan.Petrov@Mail.RU", "Ivan.Petrov@mail.ru"),
        ("иван@почта.рф", "иван@почта.рф"),
    ],
)
def test_emails_are_normalised(typed: str, expected: str) -> None:
    assert clean_email(typed) == expected


@pytest.mark.parametrize("typed", ["ivan", "ivan@", "@example.com", "a b@example.com", ""])
def test_bad_emails_are_refused(typed: str) -> None:
    with pytest.raises(InvalidContact) as caught:
        clean_email(typed)
    assert caught.value.problem is ContactProblem.EMAIL_INVALID
