"""Reading a storage's orders newest first, whatever order the project lists them in.

Nothing in the SDK or the docs promises an order for `GET .../orders` (OneEntry's own recipe
sorts by `createdDate` on the client), and real projects differ. `StorageOrders` finds out
once which end of the list is the newest — by comparing the first page's dates (and ids) —
and from then on reads from that end, so a scan can stop at a date instead of a position:
the look-up after an unknown create outcome and the staff's lists never miss an order
because the list ran the other way.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from oneentry_client import OneEntryClient, Order, Page
from shop.config import PaymentState, StatusMeanings

PAGE_SIZE = 50


class ListOrder(enum.Enum):
    NEWEST_FIRST = "newest first"
    OLDEST_FIRST = "oldest first"


def newest_first_key(order: Order) -> tuple[datetime, int]:
    """Sorts orders by creation (OneEntry's dates without a zone are UTC), then by id."""
    created = order.created_date
    if created is None:
        moment = datetime.min.replace(tzinfo=UTC)
    else:
        moment = created if created.tzinfo is not None else created.replace(tzinfo=UTC)
    return (moment, order.id)


def order_says_paid(order: Order, meanings: StatusMeanings) -> bool:
    """The order itself says it is paid: OneEntry completed it, its order status is one the
    shop uses for paid (staff recording a cash payment), or its payment status is a paid one."""
    return (
        order.is_paid
        or meanings.is_paid_order(order.status_identifier)
        or meanings.payment_state(order.payment_status_identifier) is PaymentState.PAID
    )


class StorageOrders:
    """The storage's orders, newest first; the list's direction is learnt on the first read."""

    def __init__(self, client: OneEntryClient, storage: str, *, page_size: int = PAGE_SIZE):
        self._client = client
        self._storage = storage
        self._page_size = page_size
        self.direction: ListOrder | None = None

    async def page(self, offset: int, limit: int, *, lang: str | None = None) -> Page[Order]:
        """`limit` orders from the `offset`-th newest, newest first, with the storage's total."""
        if self.direction is None:
            first = await self._list(0, self._page_size, lang)
            self._learn(first)
            if self.direction is None:  # the whole list fits one page: sorted here
                items = _sorted(first).items[offset : offset + limit]
                return Page[Order](items=items, total=first.total)
        if self.direction is ListOrder.OLDEST_FIRST:
            total = (await self._list(0, 1, lang)).total
            return await self._from_the_end(offset, limit, total, lang)
        return _sorted(await self._list(offset, limit, lang))

    async def newest_first(
        self, *, since: datetime | None = None, lang: str | None = None
    ) -> AsyncIterator[Order]:
        """Every order, newest first, down to the first one created before `since`."""
        first = await self.page(0, self._page_size, lang=lang)
        total = first.total
        seen: set[int] = set()
        offset = 0
        listing = first
        while True:
            for order in listing.items:
                created = order.created_date
                if since is not None and created is not None and _aware(created) < _aware(since):
                    return
                if order.id not in seen:
                    seen.add(order.id)
                    yield order
            offset += self._page_size
            if not listing.items or offset >= total:
                return
            if self.direction is ListOrder.OLDEST_FIRST:
                listing = await self._from_the_end(offset, self._page_size, total, lang)
            else:
                listing = _sorted(await self._list(offset, self._page_size, lang))

    # -- plumbing ----------------------------------------------------------------------------

    def _learn(self, listing: Page[Order]) -> None:
        """The first page of a list longer than it tells the direction: its ends differ."""
        items = listing.items
        if len(items) < 2 or listing.total <= len(items):
            return
        first, last = newest_first_key(items[0]), newest_first_key(items[-1])
        if first != last:
            self.direction = ListOrder.NEWEST_FIRST if first > last else ListOrder.OLDEST_FIRST

    async def _from_the_end(
        self, offset: int, limit: int, total: int, lang: str | None
    ) -> Page[Order]:
        """The newest-first window [offset, offset + limit) of a list kept oldest first:
        positions counted from the end of the `total` orders there were when the scan began,
        so orders placed meanwhile shift nothing."""
        end = total - offset
        start = max(end - limit, 0)
        if end <= 0:
            return Page[Order](items=[], total=total)
        listing = await self._list(start, end - start, lang)
        return Page[Order](items=_sorted(listing).items, total=total)

    async def _list(self, offset: int, limit: int, lang: str | None) -> Page[Order]:
        return await self._client.orders.list(self._storage, offset=offset, limit=limit, lang=lang)


def _sorted(listing: Page[Order]) -> Page[Order]:
    items = sorted(listing.items, key=newest_first_key, reverse=True)
    return Page[Order](items=items, total=listing.total)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
