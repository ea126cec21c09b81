"""Any text a customer can send: each cleaner returns a clean value or refuses with a reason,
never another exception (property-based, with hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shop.contact import (
    NAME_MAX_LENGTH,
    InvalidContact,
    clean_email,
    clean_name,
    clean_phone,
    clean_shared_phone,
)

TEXT = st.text(max_size=300)
PHONE_LIKE = st.from_regex(r"\+?[0-9 ()\-\u00a0\u2011]{0,30}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_name_is_clean_or_refused(text: str) -> None:
    try:
        name = clean_name(text)
    except InvalidContact:
        return
    assert name == name.strip() and 0 < len(name) <= NAME_MAX_LENGTH
    assert "  " not in name and "\n" not in name


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, PHONE_LIKE), st.sampled_from(["RU", "US", "GB", "ZZ", "de"]))
def test_a_phone_is_e164_or_refused(text: str, region: str) -> None:
    try:
        phone = clean_phone(text, region)
    except InvalidContact:
        return
    assert phone.startswith("+") and phone[1:].isascii() and phone[1:].isdigit()


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, PHONE_LIKE), st.one_of(st.none(), st.integers()), st.integers())
def test_a_shared_contact_is_the_senders_own_or_refused(
    text: str, owner: int | None, sender: int
) -> None:
    try:
        phone = clean_shared_phone(text, owner, sender)
    except InvalidContact:
        return
    assert owner == sender and phone.startswith("+")


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.emails()))
def test_an_email_is_normalised_or_refused(text: str) -> None:
    try:
        email = clean_email(text)
    except InvalidContact:
        return
    assert "@" in email and email == email.strip()
