"""The emulator refuses an order's form data as OneEntry would: each field by the value shape
of its type and by every validator it has, naming the first field that fails; and it serves a
form's choices, placeholder and error texts in the requested language."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.oneentry.catalog_views import render_form
from sandbox.oneentry.errors import ProtocolError
from sandbox.oneentry.order_rules import check_form_data

DATE = {
    "fullDate": "2030-06-04T21:00:00.000Z",
    "formattedValue": "05-06-2030",
    "formatString": "DD-MM-YYYY",
}
CHOICES = [
    {"value": "dhl", "localizeInfos": {"en_US": {"title": "DHL"}, "ru_RU": {"title": "ДХЛ"}}}
]


def form(kind: str, validators: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    field = {"marker": "f", "type": kind, "position": 1, "validators": validators or {}, **extra}
    return {"id": 1, "identifier": "order", "attributes": [field]}


def refused(definition: dict[str, Any], value: Any) -> str:
    with pytest.raises(ProtocolError) as caught:
        check_form_data(definition, [{"marker": "f", "type": "x", "value": value}], "en_US")
    assert caught.value.status == 400
    return caught.value.message


def accepted(definition: dict[str, Any], value: Any) -> None:
    _, fields = check_form_data(definition, [{"marker": "f", "type": "x", "value": value}], "en_US")
    assert fields[0]["value"] == value


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("string", "Ivan", 5),
        ("integer", 3, "3"),
        ("real", 2.5, "2.5"),
        ("text", [{"plainValue": "Flat 5"}], "Flat 5"),  # a bare string is a 400 for a text
        ("date", DATE, "05-06-2030"),
        (
            "dateTime",
            {**DATE, "formattedValue": "05-06-2030 14:30", "formatString": "DD-MM-YYYY HH:mm"},
            {**DATE, "fullDate": "soon"},
        ),
        (
            "time",
            {**DATE, "formattedValue": "14:30", "formatString": "HH:mm"},
            {**DATE, "formatString": "HH:mm"},
        ),
        ("radioButton", [{"title": "DHL", "value": "dhl", "extended": {}}], ["ups"]),
        ("list", ["dhl"], []),
    ],
)
def test_each_type_takes_its_own_value_shape(kind: str, good: Any, bad: Any) -> None:
    definition = form(kind, {"requiredValidator": {"strict": True}}, listTitles=CHOICES)
    accepted(definition, good)
    assert "marker 'f'" in refused(definition, bad)


def test_a_radio_button_takes_one_choice() -> None:
    definition = form("radioButton", listTitles=[*CHOICES, {"value": "post"}])
    assert "marker 'f'" in refused(definition, ["dhl", "post"])


@pytest.mark.parametrize(
    ("validators", "good", "bad"),
    [
        (
            {"stringInspectionValidator": {"stringMin": 2, "stringMax": 4, "stringLength": 0}},
            "abc",
            "abcde",
        ),
        (
            {"stringInspectionValidator": {"stringMin": 0, "stringMax": 0, "stringLength": 3}},
            "abc",
            "ab",
        ),
        ({"emailInspectionValidator": True}, "a@b.co", "a@b"),
        ({"regExpValidator": {"patternValue": "^[0-9]+$"}}, "123", "12a"),
        ({"regExpValidator": {"patternValue": "/^ab/i"}}, "ABc", "cab"),
        (
            {"fieldMaskValidator": {"maskValue": "+7 (999) 999-99-99"}},
            "+7 (916) 123-45-67",
            "+79161234567",
        ),
        ({"trimValidator": True}, "abc", " abc "),
        ({"requiredValidator": {"strict": True}}, "x", ""),
    ],
)
def test_every_validator_is_enforced(validators: dict[str, Any], good: str, bad: str) -> None:
    definition = form("string", validators)
    accepted(definition, good)
    assert "formData's marker 'f' value is missing or incorrect" in refused(definition, bad)


def test_string_validators_look_at_a_texts_plain_value() -> None:
    definition = form("text", {"stringInspectionValidator": {"stringMin": 5}})
    accepted(definition, [{"plainValue": "Long enough"}])
    refused(definition, [{"plainValue": "Hi"}])


def test_choices_placeholder_and_error_texts_come_in_the_requested_language() -> None:
    definition = form(
        "radioButton",
        {
            "requiredValidator": {
                "strict": True,
                "customErrorText": {"en_US": "Pick one", "ru_RU": "Выберите"},
            }
        },
        listTitles=CHOICES,
        placeholder={"en_US": "Choose"},
        isVisible=False,
    )
    [english] = render_form(definition, "en_US")["attributes"]
    [russian] = render_form(definition, "ru_RU")["attributes"]
    assert english["listTitles"] == [
        {"title": "DHL", "value": "dhl", "position": 1, "extended": {"value": None, "type": None}}
    ]
    assert russian["listTitles"][0]["title"] == "ДХЛ"
    assert english["validators"]["requiredValidator"]["customErrorText"] == "Pick one"
    assert russian["validators"]["requiredValidator"]["customErrorText"] == "Выберите"
    assert english["additionalFields"] == [
        {"marker": "placeholder", "type": "string", "value": "Choose"}
    ]
    assert russian["additionalFields"] == []  # never another language's text
    assert english["isVisible"] is False
