"""`Orders` module: storages, creating and reading orders, order statuses."""

from __future__ import annotations

import builtins

from .._call import ApiCall, AuthMode
from ..models import CreatedOrder, Order, OrderCreate, OrderStatus, OrderStorage, OrderUpdate, Page
from ..retry import RetryPolicy
from ._base import Resource, require_id, require_marker

__all__ = ["OrdersResource"]

_BASE = "/api/content/orders-storage/marker"


class OrdersResource(Resource):
    """Order calls; all need the guest user, who is logged in on first use.

    The `list` method shadows the builtin in this class, hence `builtins.list` in annotations.
    """

    async def get_storage(self, marker: str) -> OrderStorage:
        """`GET /orders-storage/marker/{marker}`: the storage's form and payment accounts."""
        path = f"{_BASE}/{require_marker(marker, 'storage marker')}"
        return await self._request(self._get(path, {"langCode": self._lang}), OrderStorage)

    async def create(self, storage_marker: str, order: OrderCreate) -> CreatedOrder:
        """`POST .../orders` (no langCode query). Never retried: a replay could double the order.

        Raises OutcomeUnknownError when the connection failed after the request was sent.
        """
        path = f"{_BASE}/{require_marker(storage_marker, 'storage marker')}/orders"
        call = ApiCall(
            "POST",
            path,
            json=order.to_wire(self._lang),
            auth=AuthMode.USER,
            retry=RetryPolicy.NEVER,
            lang=self._lang,
        )
        return await self._request(call, CreatedOrder)

    async def list(
        self, storage_marker: str, *, offset: int = 0, limit: int = 30, lang: str | None = None
    ) -> Page[Order]:
        """`GET .../orders`: the guest user's orders in this storage, in whatever order the
        project lists them (nothing promises newest or oldest first)."""
        lang = lang or self._lang
        path = f"{_BASE}/{require_marker(storage_marker, 'storage marker')}/orders"
        params: dict[str, str | int] = {"langCode": lang, "limit": limit, "offset": offset}
        return await self._request(self._get(path, params, lang), Page[Order])

    async def get(self, storage_marker: str, order_id: int, *, lang: str | None = None) -> Order:
        """`GET .../orders/{id}`; `lang` picks the language of the status titles."""
        lang = lang or self._lang
        path = self._order_path(storage_marker, order_id)
        return await self._request(self._get(path, {"langCode": lang}, lang), Order)

    async def update(self, storage_marker: str, order_id: int, order: OrderUpdate) -> Order:
        """`PUT .../orders/{id}` with the create-shaped body; a full replacement, so replayable."""
        call = ApiCall(
            "PUT",
            self._order_path(storage_marker, order_id),
            params={"langCode": self._lang},
            json=order.to_wire(self._lang),
            auth=AuthMode.USER,
            lang=self._lang,
        )
        return await self._request(call, Order)

    async def statuses(
        self, storage_marker: str, *, lang: str | None = None
    ) -> builtins.list[OrderStatus]:
        """`GET .../order-statuses`: the statuses an order in this storage can have, titled
        in `lang` (the client's language by default)."""
        lang = lang or self._lang
        path = f"{_BASE}/{require_marker(storage_marker, 'storage marker')}/order-statuses"
        params: dict[str, str | int] = {"langCode": lang, "offset": 0, "limit": 30}
        return await self._request(self._get(path, params, lang), list[OrderStatus])

    def _get(self, path: str, params: dict[str, str | int], lang: str | None = None) -> ApiCall:
        lang = lang or self._lang
        return ApiCall("GET", path, params=params, auth=AuthMode.USER, lang=lang)

    @staticmethod
    def _order_path(storage_marker: str, order_id: int) -> str:
        marker = require_marker(storage_marker, "storage marker")
        return f"{_BASE}/{marker}/orders/{require_id(order_id, 'order_id')}"
