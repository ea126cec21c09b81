"""Payment sessions and payment accounts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from ._base import FlexibleDecimal, LenientDatetime, OneEntryModel, listify
from .common import LocalizeInfos

__all__ = ["PaymentAccount", "PaymentSession", "PaymentSessionList"]


class PaymentSession(OneEntryModel):
    """A payment attempt for an order; `payment_url` is null for cash, a checkout URL otherwise."""

    id: int
    type: str | None = None
    status: str | None = None
    order_id: int | None = None
    payment_account_id: int | None = None
    payment_url: str | None = None
    amount: FlexibleDecimal = None
    client_secret: str | None = Field(default=None, repr=False)
    created_date: LenientDatetime = None
    updated_date: LenientDatetime = None


PaymentSessionList = Annotated[list[PaymentSession], BeforeValidator(listify)]
"""Sessions of an order: an array on the wire, though the SDK also accepts a single object."""


class PaymentAccount(OneEntryModel):
    """A payment account (`cash`, `stripe`...); tell them apart by `identifier`, not `type`."""

    id: int
    identifier: str | None = None
    type: str | None = None
    is_visible: bool | None = None
    is_used: bool | None = None
    test_mode: bool | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)

    @property
    def title(self) -> str | None:
        return self.localize_infos.title or self.identifier
