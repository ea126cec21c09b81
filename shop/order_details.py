"""What an order says about the customer: the form fields the checkout filled, as sent, and
as the customer saw them on the summary.

The ledger keeps the sent fields while a create call's outcome is unknown, to find the order
among the guest user's orders and to send the same fields again; the shown ones (`shown`) go
with the order once it is placed, for the customer's order message. A checkout confirmed by an
earlier version of the bot carries only the three contact details (`legacy`); they are sent to
the markers the settings name, as that version did, and show nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shop.contact import ContactDetails


@dataclass(frozen=True, slots=True)
class SubmittedField:
    """One `formData` entry: the field's marker and type, the value in the type's shape."""

    marker: str
    type: str
    value: Any


@dataclass(frozen=True, slots=True)
class ShownField:
    """One answer as the summary showed it: the field's marker, the form's title for it in
    the customer's language and the answer in the customer's words (a choice's title, a date
    with its month's name); plain text, escaped where it is rendered."""

    marker: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class OrderDetails:
    fields: tuple[SubmittedField, ...] = ()
    legacy: ContactDetails | None = None
    shown: tuple[ShownField, ...] = ()

    def submitted(
        self, name_field: str, phone_field: str, email_field: str
    ) -> list[SubmittedField]:
        """The fields to send: this checkout's own, or the legacy three as strings."""
        if self.fields or self.legacy is None:
            return list(self.fields)
        contact = self.legacy
        return [
            SubmittedField(name_field, "string", contact.name),
            SubmittedField(phone_field, "string", contact.phone),
            SubmittedField(email_field, "string", contact.email),
        ]

    def to_json(self) -> str:
        if not self.fields and self.legacy is not None:
            contact = self.legacy
            return json.dumps(
                {"name": contact.name, "phone": contact.phone, "email": contact.email}
            )
        return json.dumps(
            {
                "fields": [
                    {"marker": f.marker, "type": f.type, "value": f.value} for f in self.fields
                ],
                "shown": _shown_to_list(self.shown),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> OrderDetails:
        """Any shape the ledger has held: `{"fields": [...], "shown": [...]}`, the fields
        alone (before the shown answers were kept), or name/phone/email."""
        data = json.loads(text)
        if "fields" in data:
            return cls(
                tuple(SubmittedField(f["marker"], f["type"], f["value"]) for f in data["fields"]),
                shown=_shown_from_list(data.get("shown") or []),
            )
        return cls(legacy=ContactDetails(data["name"], data["phone"], data["email"]))


def shown_to_json(shown: tuple[ShownField, ...]) -> str | None:
    """The shown answers as the ledger keeps them with an order (None: there are none)."""
    return json.dumps(_shown_to_list(shown), ensure_ascii=False) if shown else None


def shown_from_json(text: str | None) -> tuple[ShownField, ...]:
    """An order's shown answers; an order placed before they were kept has none."""
    return _shown_from_list(json.loads(text)) if text else ()


def _shown_to_list(shown: tuple[ShownField, ...]) -> list[dict[str, str]]:
    return [{"marker": f.marker, "title": f.title, "text": f.text} for f in shown]


def _shown_from_list(items: list[dict[str, str]]) -> tuple[ShownField, ...]:
    return tuple(ShownField(f["marker"], f["title"], f["text"]) for f in items)


def as_order_details(details: OrderDetails | ContactDetails) -> OrderDetails:
    """The three contact details alone (a test, an older checkout) as order details."""
    return details if isinstance(details, OrderDetails) else OrderDetails(legacy=details)
