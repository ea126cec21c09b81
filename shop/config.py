"""`ShopConfig`: the shop's rules and OneEntry markers, read once from the settings.

Every service of the shop takes it; it imports nothing of theirs, so none of them depends
on another for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta, tzinfo
from enum import StrEnum


class PaymentState(StrEnum):
    """What an order's payment session means to the bot, whatever the shop calls it. The
    ledger keeps these words, not the session's own status."""

    WAITING = "waiting"  # can be paid now
    PAID = "paid"
    FAILED = "failed"  # expired, declined or cancelled: a new session is wanted


def _markers(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.strip().lower() for value in values if value.strip())


@dataclass(frozen=True, slots=True)
class StatusMeanings:
    """Which of the shop's status markers mean paid, cancelled and finished (OneEntry projects
    name order and payment-session statuses themselves). Compared case-insensitively."""

    paid_orders: frozenset[str] = frozenset({"paid_for"})
    cancelled_orders: frozenset[str] = frozenset({"cancelled"})
    finished_orders: frozenset[str] = frozenset({"completed"})
    paid_sessions: frozenset[str] = frozenset({"paid", "completed"})
    failed_sessions: frozenset[str] = frozenset({"expired", "failed", "canceled", "cancelled"})

    def __post_init__(self) -> None:
        for name in (
            "paid_orders",
            "cancelled_orders",
            "finished_orders",
            "paid_sessions",
            "failed_sessions",
        ):
            object.__setattr__(self, name, _markers(getattr(self, name)))

    @property
    def final_orders(self) -> frozenset[str]:
        """Order statuses after which an order is no longer followed."""
        return self.cancelled_orders | self.finished_orders

    def is_paid_order(self, status: str | None) -> bool:
        return (status or "").lower() in self.paid_orders

    def is_cancelled_order(self, status: str | None) -> bool:
        return (status or "").lower() in self.cancelled_orders

    def is_final_order(self, status: str | None) -> bool:
        return (status or "").lower() in self.final_orders

    def payment_state(self, session_status: str | None) -> PaymentState:
        """A session's status in the bot's words; one it does not know can still be paid."""
        status = (session_status or "").lower()
        if status in self.paid_sessions:
            return PaymentState.PAID
        if status in self.failed_sessions:
            return PaymentState.FAILED
        return PaymentState.WAITING


@dataclass(frozen=True, slots=True)
class ShopConfig:
    """The shop's rules and OneEntry markers, taken from the settings at start-up."""

    order_storage: str = "guest_orders"
    order_form: str = "guest_order"
    name_field: str = "guest_name"
    phone_field: str = "guest_phone"
    email_field: str = "guest_email"
    default_payment_account: str = "cash"
    # Payment accounts with no payment page (paid on delivery): a session of any other account
    # without a link yet is waiting for one (PayPal gives it a while after the session).
    offline_payment_accounts: frozenset[str] = frozenset({"cash"})
    content_langs: tuple[tuple[str, str], ...] = (("en", "en_US"), ("ru", "ru_RU"))
    default_phone_region: str = "RU"
    catalog_page_size: int = 8
    timezone: tzinfo = UTC  # the shop's: order dates, staff times, "today"
    statuses: StatusMeanings = field(default_factory=StatusMeanings)
    price_attribute: str = "price"
    currency_attribute: str = "currency_products"
    # How long after a create-order call was sent it may still land (the client's timeout and
    # a margin): a look-up that finds nothing proves nothing before that.
    outcome_window: timedelta = timedelta(seconds=20)
    catalog_product_ids: tuple[int, ...] = ()  # only these are sold; empty: every visible one
    # The OneEntry catalog page whose sub-pages are the categories; none such: one flat list
    catalog_page_url: str = "catalog"
    card_attributes: tuple[str, ...] = ()  # product attribute markers a card shows
    unavailable_statuses: frozenset[str] = frozenset()  # product statuses that cannot be ordered

    def pays_on_delivery(self, account: str | None) -> bool:
        return (account or "") in self.offline_payment_accounts

    @property
    def default_content_lang(self) -> str:
        """ONEENTRY_LANG: the project's main language, where a missing text is looked for."""
        return self.content_langs[0][1]
