"""The checkout draft and the saved details against the shop's form: a form that changed keeps
only the answers it still takes, and what an earlier version of the bot persisted (three fixed
details) still loads and goes to the fields of those roles."""

from __future__ import annotations

import pickle
from typing import Any

from oneentry_client import Form
from shop.checkout import CheckoutDraft, SavedDetails
from shop.config import ShopConfig
from shop.contact import ContactDetails
from shop.order_form import Role, read_form
from tests.shop.form_builders import TEA_FIELDS, form_of, tea_form

TEA_VALUES = {"guest_name": "Ivan", "guest_phone": "+79990000000", "guest_email": "i@example.com"}


def with_field(**changes: Any) -> list[dict[str, Any]]:
    return [*TEA_FIELDS, {"position": 4, "localizeInfos": {"title": "Address"}, **changes}]


def test_the_fields_are_asked_in_position_order_and_roles_found_by_the_settings() -> None:
    form = form_of(*reversed(TEA_FIELDS))
    assert [item.marker for item in form.asked_fields] == [
        "guest_name",
        "guest_phone",
        "guest_email",
    ]
    assert form.role_field(Role.PHONE) is not None
    contact_no = {**TEA_FIELDS[1], "marker": "contact_no"}
    assert form_of(TEA_FIELDS[0], contact_no).role_field(Role.PHONE) is None
    renamed = form_of(TEA_FIELDS[0], contact_no, config=ShopConfig(phone_field="contact_no"))
    phone = renamed.role_field(Role.PHONE)
    assert phone is not None and phone.marker == "contact_no"


def test_hidden_fields_and_files_are_not_asked_and_a_required_file_blocks() -> None:
    hidden = form_of(*with_field(marker="secret", type="string", isVisible=False))
    assert [item.marker for item in hidden.asked_fields][-1] == "guest_email"
    optional_file = form_of(*with_field(marker="scan", type="file"))
    assert not optional_file.blocking_fields
    required_file = form_of(
        *with_field(marker="scan", type="file", validators={"requiredValidator": {"strict": True}})
    )
    assert [item.marker for item in required_file.blocking_fields] == ["scan"]


def test_missing_titles_come_from_the_main_language() -> None:
    english = {"id": 1, "attributes": [{**TEA_FIELDS[0]}]}
    russian = {"id": 1, "attributes": [{**TEA_FIELDS[0], "localizeInfos": {}}]}
    form = read_form(Form.model_validate(russian), ShopConfig(), Form.model_validate(english))
    assert form.fields[0].title == "Name"


def test_the_next_field_is_the_first_unanswered_and_skips_stay_skipped() -> None:
    form = form_of(*with_field(marker="address", type="text"))
    draft = CheckoutDraft(values=dict(TEA_VALUES))
    item = draft.next_field(form)
    assert item is not None and item.marker == "address"
    draft.skip("address")
    assert draft.is_complete(form)
    assert [f.marker for f in draft.details(form, ShopConfig().timezone, "en").fields] == list(
        TEA_VALUES
    )


def test_a_changed_form_keeps_only_what_it_still_takes() -> None:
    draft = CheckoutDraft(values={**TEA_VALUES, "gone": "x"}, answers={"guest_name": 5, "gone": 6})
    stricter = form_of(
        {**TEA_FIELDS[0], "validators": {"stringInspectionValidator": {"stringMax": 3}}},
        *TEA_FIELDS[1:],
    )
    dropped = draft.follow(stricter)
    assert sorted(dropped) == ["gone", "guest_name"]
    assert set(draft.values) == {"guest_phone", "guest_email"}
    assert draft.answers == {}
    item = draft.next_field(stricter)
    assert item is not None and item.marker == "guest_name"


def test_a_skipped_field_that_became_required_is_asked() -> None:
    draft = CheckoutDraft(values=dict(TEA_VALUES), skipped={"address"})
    required = form_of(
        *with_field(marker="address", type="text", validators={"requiredValidator": {}})
    )
    draft.follow(required)
    item = draft.next_field(required)
    assert item is not None and item.marker == "address"


def test_an_older_draft_with_three_details_loads_and_fills_the_role_fields() -> None:
    old = CheckoutDraft()
    state = {
        "checkout_id": "abcdef123456",
        "name": "Ivan",
        "phone": "+79990000000",
        "email": "i@example.com",
        "payment_account": "cash",
        "updated_at": 1.0,
        "answers": {"name": 41},
        "step": "checkout.email",
    }
    old.__setstate__((None, state))
    restored = pickle.loads(pickle.dumps(old))
    assert restored.values == {"@name": "Ivan", "@phone": "+79990000000", "@email": "i@example.com"}
    restored.follow(tea_form())
    assert restored.values == TEA_VALUES
    assert restored.answers == {"guest_name": 41}
    assert restored.is_complete(tea_form())
    assert restored.checkout_id == "abcdef123456" and restored.payment_account == "cash"


def test_saved_details_of_an_earlier_version_are_offered_for_the_fields_of_their_roles() -> None:
    saved = SavedDetails.of(ContactDetails("Ivan", "+79990000000", "i@example.com"))
    assert saved is not None
    assert saved.usable(tea_form()) == TEA_VALUES


def test_saved_details_are_reused_only_where_the_form_still_takes_them() -> None:
    saved = SavedDetails({**TEA_VALUES, "old_field": "x"})
    no_phone = form_of(TEA_FIELDS[0], TEA_FIELDS[2])
    assert saved.usable(no_phone) == {"guest_name": "Ivan", "guest_email": "i@example.com"}
    masked = form_of(
        TEA_FIELDS[0],
        {**TEA_FIELDS[1], "validators": {"fieldMaskValidator": {"maskValue": "+7 999 9999999"}}},
        TEA_FIELDS[2],
    )
    assert "guest_phone" not in saved.usable(masked)  # +79990000000 does not fit the mask
    assert SavedDetails.of(SavedDetails({})) is None
    assert pickle.loads(pickle.dumps(saved)) == saved


def test_the_revision_changes_with_any_answer() -> None:
    from shop.cart import Cart

    draft = CheckoutDraft(values=dict(TEA_VALUES))
    before = draft.revision(Cart({1: 1}))
    draft.answer("guest_name", "Ivana")
    assert draft.revision(Cart({1: 1})) != before
