"""Order storages, orders (request and response shapes) and order statuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ._base import FlexibleDecimal, LenientDatetime, OneEntryModel, form_data_list
from .common import LocalizeInfos

__all__ = [
    "CreatedOrder",
    "FormField",
    "Order",
    "OrderCreate",
    "OrderLine",
    "OrderProduct",
    "OrderStatus",
    "OrderStorage",
    "OrderUpdate",
]


class OrderStorage(OneEntryModel):
    """An order storage: which form its orders use and which payment accounts they may pick."""

    id: int
    identifier: str | None = None
    form_identifier: str | None = None
    general_type_id: int | None = None
    position: int | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    payment_accounts: list[Any] = Field(default_factory=list, alias="paymentAccountIdentifiers")

    @property
    def payment_account_identifiers(self) -> list[str]:
        """The account markers orders in this storage may use, e.g. `["cash", "stripe"]`."""
        identifiers: list[str] = []
        for account in self.payment_accounts:
            identifier = account.get("identifier") if isinstance(account, dict) else account
            if isinstance(identifier, str) and identifier:
                identifiers.append(identifier)
        return identifiers


class FormField(OneEntryModel):
    """One `formData` entry: a field marker, its type (OneEntry may send `null`) and its
    value."""

    marker: str
    type: str | None = "string"
    value: Any = None


class OrderProduct(OneEntryModel):
    """A cart line as OneEntry takes it in createOrder."""

    product_id: int
    quantity: int
    signed_price: str | None = None


class _OrderBody(OneEntryModel):
    """What createOrder and updateOrder send; `formData` is wrapped per language on the wire."""

    form_identifier: str | None = None
    payment_account_identifier: str | None = None
    form_data: list[FormField] | None = None
    products: list[OrderProduct] | None = None
    coupon_code: str | None = None
    additional_discounts_markers: list[str] | None = None
    bonus_amount: float | None = None
    currency: str | None = None

    def to_wire(self, lang: str) -> dict[str, Any]:
        """The JSON body: camelCase, no nulls, `formData` as `{"<lang>": [...]}` like the SDK."""
        body = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        if "formData" in body:
            body["formData"] = {lang: body["formData"]}
        return body


class OrderCreate(_OrderBody):
    """A new order: the storage's form, a payment account, the form fields and the products."""

    form_identifier: str
    payment_account_identifier: str
    form_data: list[FormField]
    products: list[OrderProduct]


class OrderUpdate(_OrderBody):
    """A full replacement of an order; `status_marker` (e.g. "cancelled") changes its status."""

    status_marker: str | None = None


class OrderLine(OneEntryModel):
    """A product line of a stored order (price may come as a number or a string)."""

    id: int | None = None
    product_id: int | None = None
    title: str | None = None
    sku: str | None = None
    price: FlexibleDecimal = None
    quantity: int | None = None
    preview_image: Any = None


class _OrderEntity(OneEntryModel):
    """Fields common to the createOrder response and the order read shape."""

    id: int
    form_identifier: str | None = None
    payment_account_identifier: str | None = None
    form_data: Annotated[list[FormField], BeforeValidator(form_data_list)] = Field(
        default_factory=list
    )
    products: list[OrderLine] = Field(default_factory=list)
    currency: str | None = None
    total_sum: FlexibleDecimal = None
    created_date: LenientDatetime = None
    status_identifier: str | None = None
    status_localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    payment_url: str | None = None

    @property
    def total(self) -> Decimal | None:
        """The order total computed by OneEntry (`totalSum`), as a Decimal."""
        return self.total_sum

    @property
    def status_title(self) -> str | None:
        """The status's display text, else its identifier."""
        return self.status_localize_infos.title or self.status_identifier


class CreatedOrder(_OrderEntity):
    """The createOrder response: the new order's id, total and currency."""


class Order(_OrderEntity):
    """A stored order as read back, with payment and fulfilment statuses."""

    storage_id: int | None = None
    payment_status_identifier: str | None = None
    payment_status_localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    fulfillment_status_identifier: str | None = None
    payment_account_localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    is_completed: bool | None = None

    @property
    def is_paid(self) -> bool:
        """OneEntry sets `isCompleted` once the order is paid."""
        return self.is_completed is True


class OrderStatus(OneEntryModel):
    """A status an order in a storage can have (project-defined identifiers)."""

    id: int
    identifier: str | None = None
    localize_infos: LocalizeInfos = Field(default_factory=LocalizeInfos)
    is_default: bool | None = None
    position: int | None = None

    @property
    def title(self) -> str | None:
        return self.localize_infos.title or self.identifier
