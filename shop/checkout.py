"""The checkout in progress: what the customer has told the bot so far.

One `CheckoutDraft` per customer, kept in the bot's persistence so a restart mid-checkout loses
nothing. The `checkout_id` is the idempotency key of the order it becomes: however often
Confirm is tapped, one checkout makes at most one order.

Answers are kept by the order form's field markers (`values`), checked again against the form
as it is whenever the checkout moves on (`follow`), so a form changed in OneEntry mid-checkout
asks only what is new or no longer valid. Drafts and saved details of an earlier version of
the bot held three fixed details (name, phone, email); they load as `@name`, `@phone` and
`@email` and are given to the form's fields of those roles (`OrderForm.marker_for`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import tzinfo
from typing import Any

from shop.cart import Cart
from shop.contact import ContactDetails
from shop.form_answers import Answer, InvalidAnswer, check, shown_answers, wire_value
from shop.order_details import OrderDetails, SubmittedField
from shop.order_form import OrderForm, OrderFormField

LEGACY_DETAILS = ("name", "phone", "email")


def new_checkout_id() -> str:
    return secrets.token_hex(6)


@dataclass(slots=True)
class CheckoutDraft:
    checkout_id: str = field(default_factory=new_checkout_id)
    # The answers by field marker (`@name`, `@phone`, `@email` until the form is known).
    values: dict[str, Answer] = field(default_factory=dict)
    # Optional fields the customer chose to skip.
    skipped: set[str] = field(default_factory=set)
    payment_account: str | None = None
    updated_at: float = field(default_factory=time.time)
    # Which of the customer's messages answered which field: an edit of one of them is taken
    # as the new value of that field.
    answers: dict[str, int] = field(default_factory=dict)
    # The step the checkout last showed the customer, written before they see it: after a
    # restart it says what the customer is answering, whatever the conversation's saved state.
    step: str | None = None
    # The field the checkout asks now (with `step` at the field step).
    asking: str | None = None

    def __setstate__(self, state: tuple[object, dict[str, Any] | None]) -> None:
        """A draft saved by an earlier version (fewer fields, or the three fixed details)
        gets the defaults of the rest. Pickle hands over `(None, {slot: value})`, the state of
        a class with slots."""
        saved = state[1] or {}
        defaults = CheckoutDraft()
        for item in fields(self):
            object.__setattr__(self, item.name, saved.get(item.name, getattr(defaults, item.name)))
        for detail in LEGACY_DETAILS:
            value = saved.get(detail)
            if isinstance(value, str) and value:
                self.values.setdefault(f"@{detail}", value)
        self.answers = {
            (f"@{key}" if key in LEGACY_DETAILS else key): message
            for key, message in self.answers.items()
        }

    def follow(self, form: OrderForm) -> list[str]:
        """Keep only the answers the form takes now: older keys go to their fields, answers to
        fields gone or no longer valid are dropped (their markers returned)."""
        dropped: list[str] = []
        values: dict[str, Answer] = {}
        for key, value in self.values.items():
            marker = form.marker_for(key)
            item = form.field(marker) if marker else None
            if item is None or not item.asked:
                dropped.append(key)
                continue
            try:
                values[item.marker] = check(item, value)
            except InvalidAnswer:
                dropped.append(item.marker)
        self.values = values
        self.skipped = {
            marker
            for marker in self.skipped
            if (item := form.field(marker)) is not None and not item.required
        }
        self.answers = {
            marker: message
            for key, message in self.answers.items()
            if (marker := form.marker_for(key) or "") in values
        }
        if self.asking is not None:
            self.asking = form.marker_for(self.asking)
        return dropped

    def next_field(self, form: OrderForm) -> OrderFormField | None:
        """The first field the form asks that has no answer and was not skipped."""
        return next(
            (
                item
                for item in form.asked_fields
                if item.marker not in self.values and item.marker not in self.skipped
            ),
            None,
        )

    def answer(self, marker: str, value: Answer, message_id: int | None = None) -> None:
        self.values[marker] = value
        self.skipped.discard(marker)
        if message_id is not None:
            self.answers[marker] = message_id

    def skip(self, marker: str) -> None:
        self.values.pop(marker, None)
        self.skipped.add(marker)

    def field_answered_by(self, message_id: int) -> str | None:
        return next((m for m, answer in self.answers.items() if answer == message_id), None)

    def touch(self) -> None:
        self.updated_at = time.time()

    def is_complete(self, form: OrderForm) -> bool:
        """Every field the form asks is answered or skipped, and nothing it needs is missing."""
        return self.next_field(form) is None and not form.blocking_fields

    def details(self, form: OrderForm, timezone: tzinfo, language: str) -> OrderDetails:
        """The order's form fields in the form's order, each value in its type's shape, and
        each answer as the summary shows it in `language` (kept with the order)."""
        return OrderDetails(
            tuple(
                SubmittedField(
                    item.marker, item.type, wire_value(item, self.values[item.marker], timezone)
                )
                for item in form.asked_fields
                if item.marker in self.values
            ),
            shown=shown_answers(form, self.values, language),
        )

    def fill(self, saved: SavedDetails, form: OrderForm) -> int:
        """Take the saved answers the form still has and takes, and skip again the optional
        fields skipped last time; how many answers were taken."""
        for skipped in saved.skipped:
            optional = form.field(skipped)
            if optional is not None and optional.asked and not optional.required:
                self.skip(skipped)
        taken = 0
        for key, value in saved.values.items():
            marker = form.marker_for(key)
            item = form.field(marker) if marker else None
            if item is None or not item.asked:
                continue
            try:
                self.answer(item.marker, check(item, value))
            except InvalidAnswer:
                continue
            taken += 1
        return taken

    def revision(self, cart: Cart, *, with_payment: bool = True) -> str:
        """A short fingerprint of what a summary shows: the cart's lines, the answers and the
        payment method. Confirm carries the one its summary showed, so a cart changed from an
        older message since is never ordered without being shown first. A summary whose ✅
        buttons each choose a method shows none (`with_payment=False`): the tap chooses it."""
        shown = json.dumps(
            [
                sorted(cart.lines.items()),
                sorted(self.values.items()),
                sorted(self.skipped),
                self.payment_account if with_payment else None,
            ]
        )
        return hashlib.blake2s(shown.encode(), digest_size=4).hexdigest()


@dataclass(frozen=True, slots=True)
class SavedDetails:
    """The answers of a customer's last summary, by field marker, offered at their next
    checkout; reused only for fields the form still has and that still take them."""

    values: Mapping[str, Answer]
    skipped: frozenset[str] = frozenset()  # optional fields left empty last time

    @classmethod
    def of(cls, saved: object) -> SavedDetails | None:
        """What a customer's data holds: these, or the three details an earlier version kept."""
        if isinstance(saved, SavedDetails):
            return saved if saved.values else None
        if isinstance(saved, ContactDetails):
            return cls({"@name": saved.name, "@phone": saved.phone, "@email": saved.email})
        return None

    def usable(self, form: OrderForm) -> dict[str, Answer]:
        """The saved answers this form takes, by its field markers, in its order."""
        draft = CheckoutDraft()
        draft.fill(self, form)
        return draft.values
