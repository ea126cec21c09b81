"""What an order says about the customer: the form fields the checkout filled, as sent.

The ledger keeps them while a create call's outcome is unknown, to find the order among the
guest user's orders and to send the same fields again. A checkout confirmed by an earlier
version of the bot carries only the three contact details (`legacy`); they are sent to the
markers the settings name, as that version did.
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
class OrderDetails:
    fields: tuple[SubmittedField, ...] = ()
    legacy: ContactDetails | None = None

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
                ]
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> OrderDetails:
        """Either shape the ledger has held: `{"fields": [...]}`, or name/phone/email."""
        data = json.loads(text)
        if "fields" in data:
            return cls(
                tuple(SubmittedField(f["marker"], f["type"], f["value"]) for f in data["fields"])
            )
        return cls(legacy=ContactDetails(data["name"], data["phone"], data["email"]))


def as_order_details(details: OrderDetails | ContactDetails) -> OrderDetails:
    """The three contact details alone (a test, an older checkout) as order details."""
    return details if isinstance(details, OrderDetails) else OrderDetails(legacy=details)
