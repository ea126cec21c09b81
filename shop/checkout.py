"""The checkout in progress: what the customer has told the bot so far.

One `CheckoutDraft` per customer, kept in the bot's persistence so a restart mid-checkout loses
nothing. The `checkout_id` is the idempotency key of the order it becomes: however often
Confirm is tapped, one checkout makes at most one order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field, fields
from typing import Any

from shop.cart import Cart
from shop.contact import ContactDetails


def new_checkout_id() -> str:
    return secrets.token_hex(6)


@dataclass(slots=True)
class CheckoutDraft:
    checkout_id: str = field(default_factory=new_checkout_id)
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    payment_account: str | None = None
    updated_at: float = field(default_factory=time.time)
    # Which of the customer's messages gave which detail ("name", "phone", "email"): an edit
    # of one of them is taken as the new value of that detail.
    answers: dict[str, int] = field(default_factory=dict)
    # The step the checkout last showed the customer, written before they see it: after a
    # restart it says what the customer is answering, whatever the conversation's saved state.
    step: str | None = None

    def __setstate__(self, state: tuple[object, dict[str, Any] | None]) -> None:
        """A draft saved by an earlier version (fewer fields) gets the defaults of the rest.
        Pickle hands over `(None, {slot: value})`, the state of a class with slots."""
        saved = state[1] or {}
        defaults = CheckoutDraft()
        for item in fields(self):
            object.__setattr__(self, item.name, saved.get(item.name, getattr(defaults, item.name)))

    @property
    def next_detail(self) -> str | None:
        """The contact detail the checkout asks for next, if any is missing."""
        for detail in ("name", "phone", "email"):
            if getattr(self, detail) is None:
                return detail
        return None

    def answered(self, detail: str, message_id: int) -> None:
        self.answers[detail] = message_id

    def detail_answered_by(self, message_id: int) -> str | None:
        return next((d for d, answer in self.answers.items() if answer == message_id), None)

    def touch(self) -> None:
        self.updated_at = time.time()

    @property
    def details(self) -> ContactDetails | None:
        """The contact details once all three are known."""
        if self.name and self.phone and self.email:
            return ContactDetails(self.name, self.phone, self.email)
        return None

    def fill(self, details: ContactDetails) -> None:
        self.name, self.phone, self.email = details.name, details.phone, details.email

    def revision(self, cart: Cart) -> str:
        """A short fingerprint of what a summary shows: the cart's lines, the details and the
        payment method. Confirm carries the one its summary showed, so a cart changed from an
        older message since is never ordered without being shown first."""
        shown = json.dumps(
            [
                sorted(cart.lines.items()),
                [self.name, self.phone, self.email, self.payment_account],
            ]
        )
        return hashlib.blake2s(shown.encode(), digest_size=4).hexdigest()
