"""Answers to the shop's order form, without Telegram or OneEntry: every field type read and
sent in the shape createOrder takes, every validator accepting, refusing with the shop's own
text and refusing in the bot's words."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.form_answers import (
    AnswerProblem,
    InvalidAnswer,
    accept,
    accept_option,
    accept_shared_phone,
    check,
    default_answer,
    fit_mask,
    shown,
    wire_value,
)
from shop.order_form import Role
from tests.shop.form_builders import field_of

MOSCOW = timezone(timedelta(hours=3))
CHOICES = [
    {"title": "Courier", "value": "courier", "position": 2},
    {"title": "Pick-up", "value": "pickup", "position": 1},
]


def refusal(item: Any, text: str) -> InvalidAnswer:
    with pytest.raises(InvalidAnswer) as caught:
        accept(item, text, "RU")
    return caught.value


# -- types ------------------------------------------------------------------------------------


def test_a_string_is_sent_as_it_is() -> None:
    item = field_of("string")
    assert accept(item, "  Ring twice  ", "RU") == "Ring twice"
    assert wire_value(item, "Ring twice") == "Ring twice"


def test_a_text_goes_as_a_plain_value_and_keeps_its_lines() -> None:
    item = field_of("text")
    value = accept(item, "Flat 5\nSecond floor  ", "RU")
    assert value == "Flat 5\nSecond floor"
    assert wire_value(item, value) == [{"plainValue": "Flat 5\nSecond floor"}]


@pytest.mark.parametrize(("typed", "kept"), [("3", 3), (" 1 200 ", 1200), ("-4", -4)])
def test_an_integer(typed: str, kept: int) -> None:
    item = field_of("integer")
    assert accept(item, typed, "RU") == kept
    assert wire_value(item, kept) == kept


@pytest.mark.parametrize("typed", ["three", "2.5", "1e3", ""])
def test_not_an_integer(typed: str) -> None:
    problem = refusal(field_of("integer"), typed).problem
    assert problem in (AnswerProblem.NOT_AN_INTEGER, AnswerProblem.EMPTY)


@pytest.mark.parametrize("kind", ["real", "float"])
@pytest.mark.parametrize(("typed", "sent"), [("2,5", 2.5), ("2.50", 2.5), ("7", 7)])
def test_a_real_number_takes_a_comma_or_a_point(kind: str, typed: str, sent: float) -> None:
    item = field_of(kind)
    assert wire_value(item, accept(item, typed, "RU")) == sent
    assert refusal(item, "two").problem is AnswerProblem.NOT_A_NUMBER


@pytest.mark.parametrize("typed", ["31.12.2026", "31/12/2026", "31-12-26", "2026-12-31"])
def test_a_date_day_first_or_iso_is_said_back_with_the_months_name(typed: str) -> None:
    item = field_of("date")
    value = accept(item, typed, "RU")
    assert value == "2026-12-31"
    assert shown(item, value, "en") == "31 December 2026"
    assert "декабря 2026" in shown(item, value, "ru")


def test_a_date_is_sent_as_local_midnight_with_its_format() -> None:
    item = field_of("date")
    assert wire_value(item, "2026-05-08", MOSCOW) == {
        "fullDate": "2026-05-07T21:00:00.000Z",
        "formattedValue": "08-05-2026",
        "formatString": "DD-MM-YYYY",
    }


@pytest.mark.parametrize("typed", ["31.02.2026", "tomorrow", "12/31/2026"])
def test_not_a_date(typed: str) -> None:
    assert refusal(field_of("date"), typed).problem is AnswerProblem.NOT_A_DATE


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("14:30", "14:30"), ("9", "09:00"), ("2:30 pm", "14:30"), ("12 am", "00:00")],
)
def test_a_time(typed: str, kept: str) -> None:
    item = field_of("time")
    assert accept(item, typed, "RU") == kept
    wire = wire_value(item, kept, MOSCOW)
    assert wire["formattedValue"] == kept and wire["formatString"] == "HH:mm"


@pytest.mark.parametrize("typed", ["25:00", "14:61", "13 pm", "noon"])
def test_not_a_time(typed: str) -> None:
    assert refusal(field_of("time"), typed).problem is AnswerProblem.NOT_A_TIME


def test_a_date_and_time() -> None:
    item = field_of("dateTime")
    value = accept(item, "08.05.2026 00:02", "RU")
    assert value == "2026-05-08T00:02"
    assert wire_value(item, value, MOSCOW) == {
        "fullDate": "2026-05-07T21:02:00.000Z",
        "formattedValue": "08-05-2026 00:02",
        "formatString": "DD-MM-YYYY HH:mm",
    }
    assert shown(item, value, "en") == "8 May 2026, 00:02"
    assert refusal(item, "08.05.2026").problem is AnswerProblem.NOT_A_DATETIME


@pytest.mark.parametrize("kind", ["list", "radioButton"])
def test_a_choice_by_button_or_typed_title_in_position_order(kind: str) -> None:
    item = field_of(kind, listTitles=CHOICES)
    assert [option.title for option in item.options] == ["Pick-up", "Courier"]
    assert accept_option(item, 1) == "courier"
    assert accept(item, "pick-up", "RU") == "pickup"
    assert accept(item, "2", "RU") == "courier"
    assert wire_value(item, "courier") == [
        {"title": "Courier", "value": "courier", "extended": {"value": None, "type": None}}
    ]
    assert shown(item, "pickup", "en") == "Pick-up"
    assert refusal(item, "by drone").problem is AnswerProblem.NOT_A_CHOICE
    with pytest.raises(InvalidAnswer):
        accept_option(item, 7)


def test_a_consent_box_is_a_list_with_one_option() -> None:
    item = field_of(
        "list",
        {"requiredValidator": {"strict": True}},
        listTitles=[{"title": "I agree to the terms", "value": 1}],
    )
    assert item.askable and item.required
    assert accept_option(item, 0) == 1
    assert wire_value(item, 1)[0]["value"] == 1


@pytest.mark.parametrize("kind", ["file", "image", "groupOfImages", "entity", "timeInterval"])
def test_what_the_bot_cannot_fill_says_why(kind: str) -> None:
    item = field_of(kind)
    assert not item.asked
    assert item.why_not_fillable()


# -- validators -------------------------------------------------------------------------------


def test_required_and_its_texts() -> None:
    own = field_of(
        validators={"requiredValidator": {"strict": True, "customErrorText": "Say something!"}}
    )
    assert own.required
    assert refusal(own, "   ").custom_text == "Say something!"
    plain = field_of(validators={"requiredValidator": {"strict": True}})
    assert refusal(plain, "").custom_text is None


@pytest.mark.parametrize(
    ("settings", "typed", "problem", "limit"),
    [
        ({"stringMin": 3}, "ab", AnswerProblem.TOO_SHORT, 3),
        ({"stringMax": "5"}, "abcdef", AnswerProblem.TOO_LONG, 5),
        ({"stringLength": 4}, "abc", AnswerProblem.WRONG_LENGTH, 4),
    ],
)
def test_string_lengths(
    settings: dict[str, Any], typed: str, problem: AnswerProblem, limit: int
) -> None:
    rules = {"stringMin": 0, "stringMax": 0, "stringLength": 0, **settings}
    item = field_of(validators={"stringInspectionValidator": rules})
    error = refusal(item, typed)
    assert (error.problem, error.limit, error.custom_text) == (problem, limit, None)
    worded = field_of(validators={"stringInspectionValidator": {**rules, "customErrorText": "No"}})
    assert refusal(worded, typed).custom_text == "No"
    assert accept(item, "abcd", "RU") == "abcd"


def test_a_name_obeys_the_forms_max_below_the_bots_own() -> None:
    item = field_of(
        validators={"stringInspectionValidator": {"stringMax": 40}},
        marker="customer_name",
        title="Your name",
    )
    assert item.role is Role.NAME
    assert accept(item, "Anna   Maria  Smith", "RU") == "Anna Maria Smith"
    assert refusal(item, "A" * 41).limit == 40
    unlimited = field_of(marker="customer_name")
    assert refusal(unlimited, "A" * 101).limit == 100


def test_email() -> None:
    item = field_of(validators={"emailInspectionValidator": True}, marker="contact")
    assert item.role is Role.EMAIL  # found by its validator, whatever its marker
    assert accept(item, " Anna@Example.com ", "RU") == "Anna@example.com"
    assert refusal(item, "anna@").problem is AnswerProblem.EMAIL_INVALID
    worded = field_of(
        validators={"emailInspectionValidator": {"customErrorText": "An email, please"}},
        marker="contact",
    )
    assert refusal(worded, "anna").custom_text == "An email, please"


def test_reg_exp() -> None:
    item = field_of(validators={"regExpValidator": {"patternValue": "^[A-Z]{2}[0-9]{4}$"}})
    assert accept(item, "AB1234", "RU") == "AB1234"
    assert refusal(item, "ab1234").problem is AnswerProblem.PATTERN
    js = field_of(
        validators={"regExpValidator": {"patternValue": "/^ab/i", "customErrorText": "AB…"}}
    )
    assert accept(js, "ABc", "RU") == "ABc"
    assert refusal(js, "c").custom_text == "AB…"


def test_trim() -> None:
    item = field_of("text", {"trimValidator": True})
    assert accept(item, "  hello  ", "RU") == "hello"
    assert check(item, "hello") == "hello"


def test_a_default_value_is_offered_when_it_fits() -> None:
    item = field_of(
        validators={"defaultValueValidator": {"fieldDefaultValue": "Leave at the door"}}
    )
    assert default_answer(item) == "Leave at the door"
    choice = field_of(
        "radioButton",
        {"defaultValueValidator": {"fieldDefaultValue": "Courier"}},
        listTitles=CHOICES,
    )
    assert default_answer(choice) == "courier"
    unusable = field_of("integer", {"defaultValueValidator": {"fieldDefaultValue": "many"}})
    assert default_answer(unusable) is None


# -- the phone ---------------------------------------------------------------------------------

MASK = "+7 (999) 999-99-99"


def phone_with(validators: dict[str, Any]) -> Any:
    item = field_of(validators=validators, marker="customer_phone", title="Phone")
    assert item.role is Role.PHONE
    return item


@pytest.mark.parametrize(
    "typed", ["+7 916 123-45-67", "8 (916) 123 45 67", "9161234567", "79161234567"]
)
def test_a_phone_is_written_into_the_shops_mask_not_e164(typed: str) -> None:
    item = phone_with({"fieldMaskValidator": {"maskValue": MASK}})
    assert accept(item, typed, "RU") == "+7 (916) 123-45-67"


def test_a_shared_phone_fits_the_mask_too() -> None:
    item = phone_with({"fieldMaskValidator": {"maskValue": MASK}})
    assert accept_shared_phone(item, "79161234567") == "+7 (916) 123-45-67"


def test_a_phone_that_does_not_fit_the_mask_gets_the_shops_text() -> None:
    item = phone_with({"fieldMaskValidator": {"maskValue": MASK, "customErrorText": "Russia only"}})
    error = refusal(item, "+44 7911 123456")
    assert (error.problem, error.custom_text) == (AnswerProblem.MASK, "Russia only")
    plain = phone_with({"fieldMaskValidator": {"maskValue": MASK}})
    assert refusal(plain, "+44 7911 123456").custom_text is None
    assert refusal(plain, "call me").problem is AnswerProblem.PHONE_NOT_A_NUMBER


def test_without_a_mask_a_phone_is_e164() -> None:
    item = phone_with({})
    assert accept(item, "8 916 123-45-67", "RU") == "+79161234567"
    assert refusal(item, "+7 000 000").problem in (
        AnswerProblem.PHONE_INVALID,
        AnswerProblem.PHONE_NOT_A_NUMBER,
    )


def test_a_phone_is_written_the_way_the_shops_pattern_wants() -> None:
    item = phone_with({"regExpValidator": {"patternValue": r"^8\d{10}$|^\d{10}$"}})
    assert accept(item, "+7 916 123 45 67", "RU") == "9161234567"
    strict = phone_with({"regExpValidator": {"patternValue": "^00", "customErrorText": "00…"}})
    assert refusal(strict, "+7 916 123 45 67").custom_text == "00…"


@given(st.text(alphabet="0123456789 +()-", max_size=20))
def test_whatever_fits_a_mask_is_what_the_mask_accepts(typed: str) -> None:
    fitted = fit_mask(typed, MASK)
    if fitted is not None:
        item = phone_with({"fieldMaskValidator": {"maskValue": MASK}})
        assert check(item, fitted) == fitted  # the emulator's rule: the mask, literally
