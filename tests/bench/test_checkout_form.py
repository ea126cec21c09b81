"""How the benchmark's customers answer an order form they have not seen: by each field's type
and role, within its lengths, skipping what is optional and taking defaults (no network)."""

from __future__ import annotations

from typing import Any

from bench.checkout_form import Answer, checkout_form
from oneentry_client import FormAttribute

REQUIRED = {"requiredValidator": {"strict": True}}


def field(marker: str, kind: str = "string", position: int = 0, **extra: Any) -> FormAttribute:
    data = {
        "marker": marker,
        "type": kind,
        "position": position,
        "localizeInfos": {"title": marker},
    }
    return FormAttribute.model_validate({"validators": REQUIRED, **data, **extra})


def test_each_field_is_answered_by_its_type_and_role_in_the_forms_order() -> None:
    mask = {**REQUIRED, "fieldMaskValidator": {"maskValue": "+7 (999) 999-99-99"}}
    lengths = {**REQUIRED, "stringInspectionValidator": {"stringMin": 40, "stringMax": 45}}
    form = checkout_form(
        [
            field("mail", position=3, validators={**REQUIRED, "emailInspectionValidator": True}),
            field("client_name", position=1),
            field("tel", position=2, validators=mask),
            field("way", "radioButton", 4, listTitles=[{"value": "a", "title": "Courier"}]),
            field("address", "text", 5, validators=lengths),
            field("code", position=6, validators={**REQUIRED, "stringInspectionValidator": {
                "stringLength": 4}}),
            field("day", "date", 7),
            field("note", position=8, validators={}),
            field("source", position=9, validators={"defaultValueValidator": {
                "fieldDefaultValue": "Telegram"}}),
            field("scan", "file", 10),
            field("hidden", position=11, isVisible=False),
        ],
        {},
    )  # fmt: skip
    steps = [(item.step, item.answer) for item in form.fields]
    assert steps == [
        ("name", Answer.SAY),
        ("phone", Answer.SHARE_PHONE),
        ("email", Answer.SAY),
        ("way", Answer.TAP),
        ("address", Answer.SAY),
        ("code", Answer.SAY),
        ("day", Answer.SAY),
        ("note", Answer.SKIP),
        ("source", Answer.TAP_DEFAULT),
    ]
    by_step = {item.step: item for item in form.fields}
    assert by_step["name"].text_for("Alice", 7) == "Alice"
    assert by_step["email"].text_for("Alice", 7) == "customer7@example.com"
    assert by_step["phone"].text == "+79161234567"  # the mask's country code, then 10 digits
    assert by_step["way"].text == "Courier"
    assert 40 <= len(by_step["address"].text_for("Alice", 7)) <= 45
    assert len(by_step["code"].text_for("Alice", 7)) == 4
    assert by_step["day"].text == "31.12.2030"
    assert by_step["note"].heading == "note (optional)"


def test_the_marker_settings_name_the_roles_first() -> None:
    form = checkout_form(
        [field("contact", position=1), field("buyer", position=2)],
        {"ONEENTRY_PHONE_FIELD": "contact", "ONEENTRY_NAME_FIELD": "buyer"},
    )
    assert [(item.step, item.answer) for item in form.fields] == [
        ("phone", Answer.SHARE_PHONE),
        ("name", Answer.SAY),
    ]
    assert form.fields[0].text == "+447911123456"  # no mask: any real number
