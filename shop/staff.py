"""`StaffDesk`: what the shop's staff look up and change, without Telegram.

Every guest order belongs to the one guest user, so listing the storage shows staff every
order; the ledger adds who placed it in Telegram. Lists that need all orders (pending, stats,
find) read the storage newest first, page by page, up to `scan_limit` orders.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal

from oneentry_client import (
    BadRequestError,
    FormField,
    NotFoundError,
    OneEntryClient,
    OneEntryError,
    Order,
    OrderProduct,
    OrderUpdate,
    Page,
)
from shop.cache import RefreshingCache
from shop.config import ShopConfig
from shop.ledger import Ledger, utc_now
from shop.order_lookup import line_product_id
from shop.staff_records import (
    CurrencyTotals,
    OrdersPage,
    OrderStats,
    StaffOrder,
    StaffOrderDetail,
    StaffOrderLine,
    StaffUnavailable,
    StatsPeriod,
    StatusChange,
    StatusChangeRefused,
    StatusChoice,
    UnknownStatus,
)
from shop.storage_orders import StorageOrders, order_says_paid

logger = logging.getLogger(__name__)

SCAN_PAGE_SIZE = 50


class StaffDesk:
    """Lists, finds, counts and re-statuses the storage's orders for staff."""

    def __init__(
        self,
        client: OneEntryClient,
        ledger: Ledger,
        config: ShopConfig,
        *,
        page_size: int = 5,
        scan_limit: int = 500,
        cache_seconds: float = 60.0,
        clock: Callable[[], datetime] = utc_now,
        orders: StorageOrders | None = None,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self._config = config
        self._orders = orders or StorageOrders(client, config.order_storage)
        self.page_size = page_size
        self._scan_limit = scan_limit
        self._clock = clock
        self._statuses: RefreshingCache[tuple[StatusChoice, ...]] = RefreshingCache(
            cache_seconds, unavailable=lambda error: StaffUnavailable(str(error))
        )

    @property
    def _storage(self) -> str:
        return self._config.order_storage

    async def page(self, number: int) -> OrdersPage:
        """Page `number` (from 0) of the storage's orders, newest first, clamped to the pages
        that exist."""
        number = max(number, 0)
        listing = await self._list(number * self.page_size, self.page_size)
        count = max(1, -(-listing.total // self.page_size))
        if number >= count and listing.total:
            return await self.page(count - 1)
        orders = await self._with_customers(listing.items)
        return OrdersPage(tuple(orders), min(number, count - 1), count, listing.total)

    async def order(self, order_id: int, *, lang: str | None = None) -> StaffOrderDetail | None:
        """One order with its latest payment session; None when the storage has no such order."""
        try:
            found = await self._client.orders.get(self._storage, order_id, lang=lang)
        except NotFoundError:
            return None
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error
        [order] = await self._with_customers([found])
        session_status = payment_url = None
        try:
            sessions = await self._client.payments.sessions_for_order(order_id)
        except OneEntryError as error:
            logger.warning("order %s: payment sessions not read: %s", order_id, error)
            sessions = []
        if sessions:
            latest = max(sessions, key=lambda session: session.id)
            session_status, payment_url = latest.status, latest.payment_url
        history = tuple(
            StatusChange(
                entry.kind,
                entry.order_status_title or entry.order_status,
                entry.payment_status,
                entry.recorded_at,
            )
            for entry in await self._ledger.order_history(self._storage, order_id)
        )
        return StaffOrderDetail(order, session_status, payment_url or found.payment_url, history)

    async def pending(self) -> list[StaffOrder]:
        """Orders not yet paid (and not cancelled), oldest first."""
        orders = [order async for order in self._scan()]
        return sorted((o for o in orders if o.awaits_payment), key=_oldest_first)

    async def stats(self, period: StatsPeriod) -> OrderStats:
        """Orders and paid orders since the period started; paid revenue per currency."""
        since = period.since(self._clock(), self._config.timezone)
        count = paid = 0
        revenue: dict[str, tuple[int, Decimal]] = {}
        complete = True
        scanned = 0
        async for order in self._scan():
            scanned += 1
            if order.created_at is not None and _aware(order.created_at) < since:
                break
            count += 1
            if order.is_paid:
                paid += 1
                paid_count, amount = revenue.get(order.currency, (0, Decimal("0")))
                revenue[order.currency] = (paid_count + 1, amount + (order.total or Decimal("0")))
        else:
            complete = scanned < self._scan_limit
        currencies = tuple(
            CurrencyTotals(currency, paid_count, amount)
            for currency, (paid_count, amount) in sorted(revenue.items())
        )
        return OrderStats(period, since, count, paid, currencies, complete)

    async def find(self, query: str, *, limit: int = 10) -> list[StaffOrder]:
        """Orders whose phone, email or name matches `query`, newest first."""
        matches = _matcher(query)
        found: list[StaffOrder] = []
        async for order in self._scan():
            if matches(order):
                found.append(order)
                if len(found) >= limit:
                    break
        return found

    async def statuses(self, lang: str | None = None) -> tuple[StatusChoice, ...]:
        """The storage's order statuses, titled in `lang`; cached like the catalog."""
        return await self._statuses.get(lang, lambda: self._fetch_statuses(lang))

    async def change_status(
        self, order_id: int, status: str, *, lang: str | None = None
    ) -> StaffOrder | None:
        """Set the order's status through the order update call (a full replacement built
        from the order as it is, plus `statusMarker`). None when the order does not exist."""
        if status not in {choice.identifier for choice in await self.statuses(lang)}:
            raise UnknownStatus(status)
        try:
            current = await self._client.orders.get(self._storage, order_id, lang=lang)
        except NotFoundError:
            return None
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error
        try:
            await self._client.orders.update(self._storage, order_id, _update_of(current, status))
        except BadRequestError as error:
            logger.warning("order %s: status change refused: %s", order_id, error.status)
            raise StatusChangeRefused(error.message) from error
        except OneEntryError as error:
            if getattr(error, "status", None) in (401, 403):
                raise StatusChangeRefused(str(error)) from error
            raise StaffUnavailable(str(error)) from error
        logger.info("order %s: status set to %s by staff", order_id, status)
        detail = await self.order(order_id, lang=lang)
        return detail.order if detail else None

    # -- plumbing ----------------------------------------------------------------------------

    async def _list(self, offset: int, limit: int) -> Page[Order]:
        try:
            return await self._orders.page(offset, limit)
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error

    async def _scan(self, since: datetime | None = None) -> AsyncIterator[StaffOrder]:
        """The storage's orders, newest first, down to `since`, at most `scan_limit`."""
        batch: list[Order] = []
        scanned = 0
        try:
            async for order in self._orders.newest_first(since=since):
                batch.append(order)
                scanned += 1
                if len(batch) == SCAN_PAGE_SIZE or scanned >= self._scan_limit:
                    for staff_order in await self._with_customers(batch):
                        yield staff_order
                    batch = []
                if scanned >= self._scan_limit:
                    return
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error
        for staff_order in await self._with_customers(batch):
            yield staff_order

    async def _with_customers(self, orders: Iterable[Order]) -> list[StaffOrder]:
        found = list(orders)
        placed = await self._ledger.orders_by_id(self._storage, (o.id for o in found))
        return [
            self._staff_order(order, placed[order.id].user_id if order.id in placed else None)
            for order in found
        ]

    def _staff_order(self, order: Order, telegram_user_id: int | None) -> StaffOrder:
        values = {form_field.marker: form_field.value for form_field in order.form_data}
        config = self._config
        return StaffOrder(
            order_id=order.id,
            created_at=order.created_date,
            customer_name=_text(values.get(config.name_field)),
            phone=_text(values.get(config.phone_field)),
            email=_text(values.get(config.email_field)),
            lines=tuple(
                StaffOrderLine(line.title or "", line.quantity or 0, line.price)
                for line in order.products
            ),
            total=order.total,
            currency=(order.currency or "").upper(),
            payment_account=order.payment_account_identifier,
            payment_account_title=order.payment_account_localize_infos.title,
            payment_status=order.payment_status_identifier,
            payment_status_title=order.payment_status_localize_infos.title,
            is_paid=order_says_paid(order, config.statuses),
            order_status=order.status_identifier,
            order_status_title=order.status_title,
            telegram_user_id=telegram_user_id,
            is_cancelled=config.statuses.is_cancelled_order(order.status_identifier),
        )

    async def _fetch_statuses(self, lang: str | None) -> tuple[StatusChoice, ...]:
        statuses = await self._client.orders.statuses(self._storage, lang=lang)
        ordered = sorted(statuses, key=lambda status: (status.position or 0, status.id))
        return tuple(
            StatusChoice(status.identifier, status.title or status.identifier)
            for status in ordered
            if status.identifier
        )


def _update_of(order: Order, status: str) -> OrderUpdate:
    """The order as it is, as an update body, with the new status."""
    return OrderUpdate(
        form_identifier=order.form_identifier,
        payment_account_identifier=order.payment_account_identifier,
        form_data=[
            FormField(marker=field.marker, type=field.type, value=field.value)
            for field in order.form_data
        ],
        products=[
            OrderProduct(product_id=product_id, quantity=line.quantity or 1)
            for line in order.products
            if (product_id := line_product_id(line)) is not None
        ],
        status_marker=status,
    )


def _matcher(query: str) -> Callable[[StaffOrder], bool]:
    """By phone when the query is mostly digits, by email when it has an @, else by name."""
    wanted = query.strip().casefold()
    digits = "".join(ch for ch in wanted if ch.isdigit())
    if len(digits) >= 5 and len(digits) >= len(wanted.replace(" ", "")) - 4:
        return lambda order: digits in "".join(ch for ch in order.phone or "" if ch.isdigit())
    if "@" in wanted:
        return lambda order: wanted in (order.email or "").casefold()
    return lambda order: bool(wanted) and wanted in (order.customer_name or "").casefold()


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _aware(moment: datetime) -> datetime:
    """OneEntry dates without a zone are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _oldest_first(order: StaffOrder) -> tuple[datetime, int]:
    return (_aware(order.created_at or datetime.min.replace(tzinfo=UTC)), order.order_id)
