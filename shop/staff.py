"""`StaffDesk`: what the shop's staff look up and change, without Telegram.

Every guest order belongs to the one guest user, so listing the storage shows staff every
order; the ledger adds who placed it in Telegram. Orders are read in the staff member's
OneEntry language, and status titles are the storage's own in that language (the main
language's where it has none). Lists that need more than a page (pending, stats, find) read
the storage newest first, page by page, as far back as their question needs: a date for
/pending and /stats, the whole storage for /find (which stops once it has enough matches);
each says so when it stopped before the storage's end.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
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
from shop.events import OrderEventKind
from shop.ledger import Ledger, utc_now
from shop.ledger_records import Notice, OrderRecord
from shop.order_lookup import line_product_id
from shop.staff_records import (
    CurrencyTotals,
    CustomerTold,
    FoundOrders,
    OrdersPage,
    OrderStats,
    PendingOrders,
    StaffField,
    StaffOrder,
    StaffOrderDetail,
    StaffOrderLine,
    StaffUnavailable,
    StatsPeriod,
    StatusChange,
    StatusChangePlan,
    StatusChangeRefused,
    StatusChoice,
    StatusEffect,
    UnknownStatus,
)
from shop.storage_orders import StorageOrders, order_says_paid

logger = logging.getLogger(__name__)

SCAN_BATCH = 50  # orders joined with the ledger at a time
DEFAULT_PENDING_DAYS = 30
FIND_LIMIT = 10
# The changes of an order its customer is told about (the follow-up's notices).
TOLD_KINDS = frozenset(
    {OrderEventKind.PAID, OrderEventKind.CANCELLED, OrderEventKind.STATUS_CHANGED}
)

StatusTitles = tuple[tuple[str, str | None], ...]  # identifier, title (None: none in that lang)


class StaffDesk:
    """Lists, finds, counts and re-statuses the storage's orders for staff."""

    def __init__(
        self,
        client: OneEntryClient,
        ledger: Ledger,
        config: ShopConfig,
        *,
        page_size: int = 5,
        cache_seconds: float = 60.0,
        clock: Callable[[], datetime] = utc_now,
        orders: StorageOrders | None = None,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self._config = config
        self._orders = orders or StorageOrders(client, config.order_storage)
        self.page_size = page_size
        self._clock = clock
        self._statuses: RefreshingCache[StatusTitles] = RefreshingCache(
            cache_seconds, unavailable=lambda error: StaffUnavailable(str(error))
        )
        self._forms: RefreshingCache[dict[str, str]] = RefreshingCache(
            cache_seconds, unavailable=lambda error: StaffUnavailable(str(error))
        )

    @property
    def _storage(self) -> str:
        return self._config.order_storage

    @property
    def _default_lang(self) -> str:
        return self._config.default_content_lang

    # -- lists -------------------------------------------------------------------------------

    async def page(self, number: int, *, lang: str | None = None) -> OrdersPage:
        """Page `number` (from 0) of the storage's orders, newest first, clamped to the pages
        that exist."""
        number = max(number, 0)
        listing = await self._list(number * self.page_size, self.page_size, lang)
        count = max(1, -(-listing.total // self.page_size))
        if number >= count and listing.total:
            return await self.page(count - 1, lang=lang)
        orders = await self._with_customers(listing.items, lang)
        return OrdersPage(tuple(orders), min(number, count - 1), count, listing.total)

    async def pending(
        self, *, days: int = DEFAULT_PENDING_DAYS, lang: str | None = None
    ) -> PendingOrders:
        """Orders of the last `days` days not paid yet (nor cancelled, nor done), oldest
        first; read back to that date and no further."""
        since = self._clock() - timedelta(days=days)
        unpaid: list[StaffOrder] = []
        older_exist = False
        async for order in self._scan(lang):
            if _before(order, since):
                older_exist = True
                break
            if order.awaits_payment:
                unpaid.append(order)
        unpaid.sort(key=_oldest_first)
        return PendingOrders(tuple(unpaid), since, days, older_exist)

    async def stats(self, period: StatsPeriod) -> OrderStats:
        """Per currency: the orders placed since the period began, the paid ones, the revenue
        of those paid and not cancelled (a cancelled order's money is going back)."""
        since = period.since(self._clock(), self._config.timezone)
        counts: dict[str, list[int]] = {}  # currency -> [orders, paid, cancelled]
        revenue: dict[str, Decimal] = {}
        async for order in self._scan(None):
            if _before(order, since):
                break
            seen = counts.setdefault(order.currency, [0, 0, 0])
            seen[0] += 1
            if order.is_cancelled:
                seen[2] += 1
            elif order.is_paid:
                seen[1] += 1
                revenue[order.currency] = revenue.get(order.currency, Decimal("0")) + (
                    order.total or Decimal("0")
                )
        currencies = tuple(
            CurrencyTotals(
                currency,
                orders=orders,
                paid_orders=paid,
                revenue=revenue.get(currency, Decimal("0")),
                cancelled=cancelled,
            )
            for currency, (orders, paid, cancelled) in sorted(counts.items())
        )
        return OrderStats(
            period,
            since,
            orders=sum(totals.orders for totals in currencies),
            paid_orders=sum(totals.paid_orders for totals in currencies),
            currencies=currencies,
        )

    async def find(
        self, query: str, *, limit: int = FIND_LIMIT, lang: str | None = None
    ) -> FoundOrders:
        """Orders whose phone (by its digits), email (any part) or name matches `query`, case
        and accents aside, newest first, from the whole storage; at most `limit`."""
        matches = matcher(query)
        found: list[StaffOrder] = []
        async for order in self._scan(lang):
            if matches(order):
                found.append(order)
                if len(found) >= limit:
                    return FoundOrders(tuple(found), limited=True)
        return FoundOrders(tuple(found))

    # -- one order ---------------------------------------------------------------------------

    async def order(self, order_id: int, *, lang: str | None = None) -> StaffOrderDetail | None:
        """One order with its latest payment session, every field its customer gave and its
        history; None when the storage has no such order."""
        found = await self._get(order_id, lang)
        if found is None:
            return None
        fallback = await self._in_default_lang(found, lang)
        records = await self._ledger.orders_by_id(self._storage, [order_id])
        titles = await self._titles_if_known(lang)
        fields = await self._field_titles(found.form_identifier, lang)
        order = self._staff_order(found, records.get(order_id), titles, fields, fallback)
        session_state = None
        payment_url = found.payment_url
        try:
            sessions = await self._client.payments.sessions_for_order(order_id)
        except OneEntryError as error:
            logger.warning("order %s: payment sessions not read: %s", order_id, error)
            sessions = []
        if sessions:
            latest = max(sessions, key=lambda session: session.id)
            session_state = self._config.statuses.payment_state(latest.status)
            payment_url = latest.payment_url or payment_url
        history = tuple(
            StatusChange(
                entry.kind,
                titles.get(entry.order_status or "") or entry.order_status_title,
                entry.recorded_at,
            )
            for entry in await self._ledger.order_history(self._storage, order_id)
        )
        return StaffOrderDetail(order, session_state, payment_url, history)

    # -- statuses ----------------------------------------------------------------------------

    async def statuses(self, lang: str | None = None) -> tuple[StatusChoice, ...]:
        """The storage's order statuses in the shop's order, titled in `lang` (the main
        language's title where `lang` has none); cached like the catalog."""
        titles = await self._status_titles(lang)
        listed = await self._statuses_in(lang or self._default_lang)
        return tuple(StatusChoice(identifier, titles[identifier]) for identifier, _ in listed)

    async def status_choices(
        self, order_id: int, *, lang: str | None = None
    ) -> tuple[StaffOrder, tuple[StatusChoice, ...]] | None:
        """The order as it is and the statuses it can be given; None when there is no such
        order."""
        found = await self._get(order_id, lang)
        if found is None:
            return None
        [order] = await self._with_customers([found], lang)
        return order, await self.statuses(lang)

    async def plan_status_change(
        self, order_id: int, status: str, *, lang: str | None = None
    ) -> StatusChangePlan | None:
        """What setting `status` would do to the order (nothing is changed); None when there
        is no such order."""
        choice = await self._choice(status, lang)
        found = await self._get(order_id, lang)
        if found is None:
            return None
        [order] = await self._with_customers([found], lang)
        return StatusChangePlan(order, choice, self._effect(order, choice.identifier))

    async def change_status(
        self, order_id: int, status: str, *, lang: str | None = None
    ) -> StatusChangePlan | None:
        """Set the order's status through the order update call (a full replacement built
        from the order as it is, plus `statusMarker`), unless it has that status already.
        Returns the plan it carried out (`effect` SAME: nothing was sent to OneEntry) with
        the order as it was; None when the order does not exist."""
        choice = await self._choice(status, lang)
        current = await self._get(order_id, lang)
        if current is None:
            return None
        [before] = await self._with_customers([current], lang)
        plan = StatusChangePlan(before, choice, self._effect(before, choice.identifier))
        if plan.effect is StatusEffect.SAME:
            return plan
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
        return plan

    async def last_event(self, order_id: int) -> int:
        """The id of the latest change the ledger holds for the order (0: none)."""
        history = await self._ledger.order_history(self._storage, order_id)
        return max((entry.event_id for entry in history), default=0)

    async def customer_told(self, order_id: int, after_event: int, *, looked: bool) -> CustomerTold:
        """Whether the customer was told of what changed since `after_event` (recorded by the
        follow-up's look, whoever made it). `looked`: OneEntry answered the latest look."""
        if await self._ledger.order(self._storage, order_id) is None:
            return CustomerTold.NOT_PLACED_HERE
        history = await self._ledger.order_history(self._storage, order_id)
        notices = {
            entry.notice
            for entry in history
            if entry.event_id > after_event and entry.kind in TOLD_KINDS
        }
        if notices & {Notice.SENT, Notice.PENDING}:
            return CustomerTold.TOLD
        if Notice.FAILED in notices:
            return CustomerTold.FAILED
        return CustomerTold.NOTHING if looked else CustomerTold.NOT_YET

    # -- plumbing ----------------------------------------------------------------------------

    async def _get(self, order_id: int, lang: str | None) -> Order | None:
        try:
            return await self._client.orders.get(self._storage, order_id, lang=lang)
        except NotFoundError:
            return None
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error

    async def _in_default_lang(self, found: Order, lang: str | None) -> Order | None:
        """The order in the main language, when `lang` lacks a text staff would see (a
        product title, a payment title): OneEntry does not fall back by itself."""
        if lang in (None, self._default_lang):
            return None
        missing = any(not line.title for line in found.products) or not (
            found.payment_status_localize_infos.title and found.payment_account_localize_infos.title
        )
        if not missing:
            return None
        try:
            return await self._client.orders.get(self._storage, found.id, lang=self._default_lang)
        except OneEntryError:
            return None

    async def _list(self, offset: int, limit: int, lang: str | None) -> Page[Order]:
        try:
            return await self._orders.page(offset, limit, lang=lang)
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error

    async def _scan(self, lang: str | None) -> AsyncIterator[StaffOrder]:
        """Every order of the storage, newest first, read page by page as the caller goes
        on: a caller that stops early reads no further."""
        batch: list[Order] = []
        try:
            async for order in self._orders.newest_first(lang=lang):
                batch.append(order)
                if len(batch) == SCAN_BATCH:
                    for staff_order in await self._with_customers(batch, lang):
                        yield staff_order
                    batch = []
        except OneEntryError as error:
            raise StaffUnavailable(str(error)) from error
        for staff_order in await self._with_customers(batch, lang):
            yield staff_order

    async def _with_customers(self, orders: Iterable[Order], lang: str | None) -> list[StaffOrder]:
        found = list(orders)
        if not found:
            return []
        placed = await self._ledger.orders_by_id(self._storage, (o.id for o in found))
        titles = await self._titles_if_known(lang)
        return [self._staff_order(order, placed.get(order.id), titles) for order in found]

    def _staff_order(
        self,
        order: Order,
        record: OrderRecord | None,
        status_titles: Mapping[str, str],
        field_titles: Mapping[str, str] | None = None,
        fallback: Order | None = None,
    ) -> StaffOrder:
        config = self._config
        values = {form_field.marker: form_field.value for form_field in order.form_data}
        ledger_titles: dict[int | None, str] = (
            {item.product_id: item.title for item in record.items} if record else {}
        )
        fallback_titles = (
            {line_product_id(line): line.title for line in fallback.products} if fallback else {}
        )
        lines = []
        for line in order.products:
            product_id = line_product_id(line)
            title = line.title or fallback_titles.get(product_id) or ledger_titles.get(product_id)
            lines.append(StaffOrderLine(title or "", line.quantity or 0, line.price, product_id))
        own = {config.name_field, config.phone_field, config.email_field}
        fields = tuple(
            StaffField(marker, (field_titles or {}).get(marker) or marker, text)
            for marker, value in values.items()
            if marker not in own and (text := _text(value))
        )
        status = order.status_identifier
        meanings = config.statuses
        return StaffOrder(
            order_id=order.id,
            created_at=order.created_date,
            customer_name=_text(values.get(config.name_field)),
            phone=_text(values.get(config.phone_field)),
            email=_text(values.get(config.email_field)),
            lines=tuple(lines),
            total=order.total,
            currency=(order.currency or "").upper(),
            payment_account=order.payment_account_identifier,
            payment_account_title=order.payment_account_localize_infos.title
            or (fallback.payment_account_localize_infos.title if fallback else None),
            payment_status=order.payment_status_identifier,
            payment_status_title=order.payment_status_localize_infos.title
            or (fallback.payment_status_localize_infos.title if fallback else None),
            is_paid=order_says_paid(order, meanings),
            order_status=status,
            order_status_title=status_titles.get(status or "")
            or order.status_localize_infos.title
            or status,
            telegram_user_id=record.user_id if record else None,
            is_cancelled=meanings.is_cancelled_order(status),
            is_finished=(status or "").lower() in meanings.finished_orders,
            fields=fields,
            campaign=record.campaign if record else None,
        )

    def _effect(self, order: StaffOrder, status: str) -> StatusEffect:
        meanings = self._config.statuses
        if order.order_status == status:
            return StatusEffect.SAME
        if meanings.is_cancelled_order(status):
            return StatusEffect.CANCEL
        if meanings.is_paid_order(status):
            return StatusEffect.PAID
        if status.lower() in meanings.finished_orders:
            return StatusEffect.FINISH
        return StatusEffect.MOVE

    async def _choice(self, status: str, lang: str | None) -> StatusChoice:
        for choice in await self.statuses(lang):
            if choice.identifier == status:
                return choice
        raise UnknownStatus(status)

    async def _statuses_in(self, lang: str) -> StatusTitles:
        return await self._statuses.get(lang, lambda: self._fetch_statuses(lang))

    async def _status_titles(self, lang: str | None) -> dict[str, str]:
        """Status identifier → title in `lang`, else in the main language, else the
        identifier (a status OneEntry titles in no language)."""
        wanted = await self._statuses_in(lang or self._default_lang)
        main = dict(await self._statuses_in(self._default_lang)) if lang else {}
        return {
            identifier: title or main.get(identifier) or identifier for identifier, title in wanted
        }

    async def _titles_if_known(self, lang: str | None) -> dict[str, str]:
        """The status titles for showing orders; none while OneEntry cannot list them (each
        order then shows its own title)."""
        try:
            return await self._status_titles(lang)
        except StaffUnavailable as error:
            logger.info("order statuses not read: %s", error)
            return {}

    async def _fetch_statuses(self, lang: str) -> StatusTitles:
        statuses = await self._client.orders.statuses(self._storage, lang=lang)
        ordered = sorted(
            enumerate(statuses),
            key=lambda item: item[1].position if item[1].position is not None else item[0],
        )
        return tuple(
            (status.identifier, status.localize_infos.title)
            for _, status in ordered
            if status.identifier
        )

    async def _field_titles(self, form: str | None, lang: str | None) -> dict[str, str]:
        """The order form's field titles in `lang` (the main language's where missing); none
        when the form cannot be read (staff then see the markers)."""
        marker = form or self._config.order_form
        try:
            titles = await self._forms.get(
                (marker, lang), lambda: self._fetch_field_titles(marker, lang)
            )
            if lang in (None, self._default_lang):
                return titles
            main = await self._forms.get(
                (marker, None), lambda: self._fetch_field_titles(marker, None)
            )
        except StaffUnavailable as error:
            logger.info("form %s: field titles not read: %s", marker, error)
            return {}
        return {**main, **titles}

    async def _fetch_field_titles(self, form: str, lang: str | None) -> dict[str, str]:
        found = await self._client.forms.get(form, lang=lang or self._default_lang)
        return {
            attribute.marker: attribute.localize_infos.title
            for attribute in found.attributes
            if attribute.localize_infos.title
        }


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


# -- search ------------------------------------------------------------------------------------

PHONE_PUNCTUATION = frozenset(" +-().")
ASCII_DIGITS = frozenset("0123456789")
MIN_PHONE_DIGITS = 3


def fold(text: str) -> str:
    """`text` for comparing: case and accents aside ("José" and "jose", "Ёлка" and "елка")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch in ASCII_DIGITS)


def matcher(query: str) -> Callable[[StaffOrder], bool]:
    """Whether an order matches `query`: any part of its phone when the query is a phone
    number or a piece of one (its digits, whatever the spelling), any part of its email (the
    local part or the domain), or every word of the query in its name."""
    wanted = fold(query.strip())
    words = wanted.split()
    digits = _digits(query)
    phone_like = len(digits) >= MIN_PHONE_DIGITS and all(
        ch in ASCII_DIGITS or ch in PHONE_PUNCTUATION for ch in query.strip()
    )
    compact = "".join(words)

    def matches(order: StaffOrder) -> bool:
        if phone_like and digits in _digits(order.phone or ""):
            return True
        if not words:
            return False
        name = fold(order.customer_name or "")
        if all(word in name for word in words):
            return True
        return compact in fold(order.email or "")

    return matches


def _text(value: object) -> str | None:
    """A form value as text: lists joined, a text field by its plain value, a date by its
    formatted value, a choice by its title; empty values none."""
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        parts = [text for item in value if (text := _text(item))]
        return ", ".join(parts) or None
    if isinstance(value, dict):
        shown = (
            value.get("plainValue")
            or value.get("formattedValue")
            or value.get("title")
            or value.get("value")
        )
        return _text(shown) if shown is not None else None
    return str(value)


def _aware(moment: datetime) -> datetime:
    """OneEntry dates without a zone are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _before(order: StaffOrder, since: datetime) -> bool:
    """Placed before `since` (an order without a date counts as recent)."""
    return order.created_at is not None and _aware(order.created_at) < _aware(since)


def _oldest_first(order: StaffOrder) -> tuple[datetime, int]:
    return (_aware(order.created_at or datetime.min.replace(tzinfo=UTC)), order.order_id)
