"""Order forms for tests, built the way the bot reads them: OneEntry's JSON through the
client's model, then `read_form` (no network)."""

from __future__ import annotations

from typing import Any

from oneentry_client import Form
from shop.config import ShopConfig
from shop.order_form import OrderForm, OrderFormField, read_form

TEA_FIELDS: list[dict[str, Any]] = [
    {
        "marker": "guest_name",
        "type": "string",
        "position": 1,
        "localizeInfos": {"title": "Name"},
        "validators": {"requiredValidator": {"strict": True}},
    },
    {
        "marker": "guest_phone",
        "type": "string",
        "position": 2,
        "localizeInfos": {"title": "Phone"},
        "validators": {"requiredValidator": {"strict": True}},
    },
    {
        "marker": "guest_email",
        "type": "string",
        "position": 3,
        "localizeInfos": {"title": "Email"},
        "validators": {"requiredValidator": {"strict": True}, "emailInspectionValidator": True},
    },
]


def form_of(*attributes: dict[str, Any], config: ShopConfig | None = None) -> OrderForm:
    raw = {"id": 1, "identifier": "guest_order", "type": "order", "attributes": list(attributes)}
    return read_form(Form.model_validate(raw), config or ShopConfig())


def tea_form() -> OrderForm:
    return form_of(*TEA_FIELDS)


def field_of(
    kind: str = "string",
    validators: dict[str, Any] | None = None,
    marker: str = "note",
    title: str = "Note",
    **extra: Any,
) -> OrderFormField:
    """One field alone in a form (its role found as the bot would)."""
    attribute = {
        "marker": marker,
        "type": kind,
        "position": 1,
        "localizeInfos": {"title": title},
        "validators": validators or {},
        **extra,
    }
    [item] = form_of(attribute).fields
    return item
