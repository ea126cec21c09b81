"""`OrderPlacement`: a confirmed checkout becomes exactly one OneEntry order.

The order of writes is the whole point:
1. the checkout is written to the ledger as PLACING before the create-order call;
2. the created order is written to the ledger (checkout PLACED) before anyone is told;
3. the payment session is created and stored; without it the order still stands, and the
   next call for the same checkout fetches or creates the session (looking first).
A create call whose outcome is unknown is never sent again blindly: the guest user's recent
orders are searched first, and a new order is created only when a later search proves none
exists — and a search proves it only once the call's timeout has run out since it was sent
(`outcome_window`), since a create still in flight may land after a search. Calls for one
checkout run one at a time; a second call returns the stored result.

A checkout is the contents it was first confirmed with: confirmed again with other contents
(the cart changed while the outcome was unknown) it never becomes an order of the new
contents while the earlier one may exist; once the earlier one is found, it is returned as
EARLIER, and the new contents need a new checkout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final
from weakref import WeakValueDictionary

from oneentry_client import (
    BadRequestError,
    CreatedOrder,
    FormField,
    OneEntryClient,
    OneEntryError,
    Order,
    OrderCreate,
    OrderProduct,
    OutcomeUnknownError,
    PaymentSession,
    ResponseValidationError,
)
from shop.config import ShopConfig
from shop.contact import ContactDetails
from shop.events import OrderEvent, OrderEventKind, OrderEvents
from shop.ledger import Ledger, utc_now
from shop.ledger_records import CheckoutRecord, CheckoutState, OrderRecord
from shop.order_details import OrderDetails, as_order_details
from shop.order_lookup import CLOCK_SKEW, comparable, matches
from shop.order_statuses import OrderStatusTitles
from shop.placement_types import (
    CartEmpty,
    CheckoutNotFound,
    OrderRejected,
    PlacementOutcome,
    PlacementRequest,
    PlacementResult,
    PlacementStatus,
    RejectedPart,
    Resolution,
    ShopUnavailable,
)
from shop.storage_orders import StorageOrders

logger = logging.getLogger(__name__)

SESSION_TYPE: Final = "session"
STATUS_TITLES_SECONDS = 60.0  # when no shared cache is handed in
EARLIER = PlacementStatus.EARLIER
_PRODUCT_PROBLEM = re.compile(r"\bproducts?\b", re.IGNORECASE)


class OrderPlacement:
    """Places orders through OneEntry, remembering each step in the ledger."""

    def __init__(
        self,
        client: OneEntryClient,
        ledger: Ledger,
        config: ShopConfig,
        *,
        events: OrderEvents | None = None,
        status_titles: OrderStatusTitles | None = None,
        orders: StorageOrders | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._outcome_window = config.outcome_window
        self._clock = clock
        self._client = client
        self._ledger = ledger
        self._config = config
        self._events = events or OrderEvents()
        self._orders = orders or StorageOrders(client, config.order_storage)
        self._status_titles = status_titles or OrderStatusTitles(
            client, config.order_storage, ttl_seconds=STATUS_TITLES_SECONDS
        )
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._outcome_watchers: list[Callable[[PlacementOutcome], None]] = []

    def watch_outcomes(self, watcher: Callable[[PlacementOutcome], None]) -> None:
        """Call `watcher` with each create call's outcome and each order recorded (it must
        return at once and never raise: the bot's metrics count them)."""
        self._outcome_watchers.append(watcher)

    def _outcome(self, outcome: PlacementOutcome) -> None:
        for watcher in self._outcome_watchers:
            watcher(outcome)

    async def place(self, request: PlacementRequest) -> PlacementResult:
        """Place the checkout's order once; any later call returns what the first produced."""
        async with self._lock(request.checkout_id):
            existing = await self._ledger.checkout(request.checkout_id)
            if existing is not None and existing.user_id != request.user_id:
                raise CheckoutNotFound(request.checkout_id)
            if existing is None or existing.state is CheckoutState.FAILED:
                return await self._begin(request)
            same = same_contents(existing, request, self._role_markers)
            if existing.state is CheckoutState.PLACED:
                stored = await self._stored_result(existing.checkout_id)
                return stored if same else dataclasses.replace(stored, status=EARLIER)
            # UNKNOWN, or PLACING left behind by a bot that stopped mid-call: look first.
            if same:
                return await self._look_then_create(existing, request)
            earlier = await self._settle(existing)
            if earlier is None:  # it certainly made no order: these contents may be ordered
                return await self._begin(request)
            is_order = earlier.order is not None
            return dataclasses.replace(earlier, status=EARLIER) if is_order else earlier

    async def resume(
        self, checkout_id: str, user_id: int, *, create_if_missing: bool = True
    ) -> PlacementResult | None:
        """Carry on with a checkout from the ledger alone (a button tapped after the checkout
        conversation ended): the stored order, its payment link fetched if still missing, or
        another look for an order whose outcome is unknown — created once proven missing, as
        the customer's "Check again" asks; with `create_if_missing` False (the bot looking by
        itself) a proven-missing checkout is FAILED instead. None when the customer has no
        such checkout or it certainly made no order (a fresh summary must be confirmed)."""
        async with self._lock(checkout_id):
            checkout = await self._ledger.checkout(checkout_id)
            if checkout is None or checkout.user_id != user_id:
                return None
            if checkout.state is CheckoutState.PLACED:
                return await self._stored_result(checkout_id)
            if checkout.state is CheckoutState.FAILED or checkout.contact is None:
                return None
            request = PlacementRequest(
                checkout_id=checkout_id,
                user_id=checkout.user_id,
                chat_id=checkout.chat_id,
                contact=checkout.contact,
                items=checkout.items,
                payment_account=checkout.payment_account,
                content_lang=checkout.content_lang,
            )
            if create_if_missing:
                return await self._look_then_create(checkout, request)
            return await self._settle(checkout)

    async def resolve_unfinished(self) -> list[Resolution]:
        """At start-up: settle every checkout left PLACING or UNKNOWN by looking it up (never
        creating). Found: recorded as placed. Not found: FAILED, so Confirm may try again.
        OneEntry unreachable: left for the customer's next Confirm."""
        resolutions: list[Resolution] = []
        for checkout in await self._ledger.unresolved_checkouts():
            async with self._lock(checkout.checkout_id):
                try:
                    found = await self._find(checkout)
                except OneEntryError as error:
                    logger.warning("checkout %s still unresolved: %s", checkout.checkout_id, error)
                    continue
                if found is None and self._may_still_land(checkout):
                    resolutions.append(
                        Resolution(
                            checkout, None, settled=False, decide_after=self.decide_after(checkout)
                        )
                    )
                    continue
                if found is None:
                    await self._ledger.set_checkout_state(
                        checkout.checkout_id, CheckoutState.FAILED
                    )
                    resolutions.append(Resolution(checkout, None))
                    continue
                order = await self._record(checkout, found)
                result = await self._with_payment(order, True, order_link=found.payment_url)
                resolutions.append(Resolution(checkout, result))
        return resolutions

    # -- the steps ---------------------------------------------------------------------------

    async def _begin(self, request: PlacementRequest) -> PlacementResult:
        """Write the checkout as PLACING, then create its order."""
        if not request.items:
            raise CartEmpty(request.checkout_id)
        checkout = await self._ledger.begin_placing(
            request.checkout_id,
            user_id=request.user_id,
            chat_id=request.chat_id,
            items=request.items,
            payment_account=request.payment_account,
            content_lang=request.content_lang,
            contact=request.contact,
            campaign=request.campaign,
        )
        return await self._create(checkout, request)

    async def _settle(self, checkout: CheckoutRecord) -> PlacementResult | None:
        """Look an unresolved checkout up, never creating: its order if it exists (PLACED),
        CHECKING while that cannot be known yet, None (FAILED) once it certainly made none."""
        try:
            found = await self._find(checkout)
        except OneEntryError as error:
            logger.warning("checkout %s: look-up failed: %s", checkout.checkout_id, error)
            return PlacementResult(checkout.checkout_id, PlacementStatus.CHECKING)
        if found is not None:
            order = await self._record(checkout, found)
            return await self._with_payment(order, True, order_link=found.payment_url)
        if self._may_still_land(checkout):
            await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.UNKNOWN)
            return PlacementResult(checkout.checkout_id, PlacementStatus.CHECKING)
        await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.FAILED)
        return None

    def _may_still_land(self, checkout: CheckoutRecord) -> bool:
        """The create call may still be on its way: its timeout has not run out."""
        return self._clock() < _aware(checkout.started_at) + self._outcome_window

    def decide_after(self, checkout: CheckoutRecord) -> datetime:
        """When a look-up that finds nothing proves the checkout made no order."""
        return _aware(checkout.started_at) + self._outcome_window

    async def _create(self, checkout: CheckoutRecord, request: PlacementRequest) -> PlacementResult:
        try:
            created = await self._client.orders.create(
                self._config.order_storage, self._order_body(request)
            )
        except BadRequestError as error:
            await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.FAILED)
            self._outcome(PlacementOutcome.REFUSED)
            logger.info("order for checkout %s refused: %s", checkout.checkout_id, error.status)
            raise self._rejected(error, request) from error
        except (OutcomeUnknownError, ResponseValidationError):
            # The order may exist: find it rather than guess.
            self._outcome(PlacementOutcome.UNKNOWN)
            logger.warning("order for checkout %s: outcome unknown", checkout.checkout_id)
            return await self._look(checkout, request)
        except OneEntryError as error:
            await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.FAILED)
            self._outcome(PlacementOutcome.FAILED)
            logger.warning("order for checkout %s not placed: %s", checkout.checkout_id, error)
            raise ShopUnavailable(checkout.checkout_id) from error
        order = await self._record(checkout, created)
        # An order that comes back with its own payment link already has a session: use it.
        link = created.payment_url
        return await self._with_payment(order, look_first=bool(link), order_link=link)

    async def _look(self, checkout: CheckoutRecord, request: PlacementRequest) -> PlacementResult:
        """After an unknown outcome: the order if it is found, else CHECKING (state UNKNOWN)."""
        try:
            found = await self._find(checkout, request)
        except OneEntryError:
            found = None
        if found is None:
            await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.UNKNOWN)
            return PlacementResult(checkout.checkout_id, PlacementStatus.CHECKING)
        order = await self._record(checkout, found)
        return await self._with_payment(order, look_first=True, order_link=found.payment_url)

    async def _look_then_create(
        self, checkout: CheckoutRecord, request: PlacementRequest
    ) -> PlacementResult:
        """A checkout whose outcome was unknown: create only once a search proves no order."""
        try:
            found = await self._find(checkout, request)
        except OneEntryError as error:
            logger.warning("checkout %s: look-up failed: %s", checkout.checkout_id, error)
            return PlacementResult(checkout.checkout_id, PlacementStatus.CHECKING)
        if found is not None:
            order = await self._record(checkout, found)
            return await self._with_payment(order, look_first=True, order_link=found.payment_url)
        if self._may_still_land(checkout):
            await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.UNKNOWN)
            return PlacementResult(checkout.checkout_id, PlacementStatus.CHECKING)
        await self._ledger.set_checkout_state(checkout.checkout_id, CheckoutState.FAILED)
        placing = await self._ledger.begin_placing(
            checkout.checkout_id,
            user_id=request.user_id,
            chat_id=request.chat_id,
            items=request.items or checkout.items,
            payment_account=request.payment_account,
            content_lang=request.content_lang,
            contact=request.contact,
            campaign=request.campaign,
        )
        return await self._create(placing, request)

    async def _find(
        self, checkout: CheckoutRecord, request: PlacementRequest | None = None
    ) -> Order | CreatedOrder | None:
        """The checkout's order among the guest user's orders in the storage: read newest
        first down to the checkout's start, whichever way the storage lists them."""
        contact = checkout.contact or (request.contact if request else None)
        if contact is None:
            return None
        submitted = as_order_details(contact).submitted(*self._role_markers)
        since = checkout.started_at - CLOCK_SKEW
        candidates = [
            order
            async for order in self._orders.newest_first(since=since)
            if matches(order, checkout, submitted, ())
        ]
        if not candidates:
            return None
        storage = self._config.order_storage
        taken = await self._ledger.known_order_ids(storage, (order.id for order in candidates))
        return next((order for order in candidates if order.id not in taken), None)

    async def _record(self, checkout: CheckoutRecord, order: Order | CreatedOrder) -> OrderRecord:
        """Write the order to the ledger: from now on it is the customer's, whatever happens.
        The status is titled in the customer's language (the storage's own title), and the
        answers the customer gave go with it as the summary showed them (the checkout holds
        them until now, also across a restart); PLACED goes out on the events hub once the
        order is written."""
        title = await self._status_titles.title(checkout.content_lang, order.status_identifier)
        recorded = await self._ledger.record_order(
            OrderRecord(
                order_id=order.id,
                storage=self._config.order_storage,
                user_id=checkout.user_id,
                chat_id=checkout.chat_id,
                checkout_id=checkout.checkout_id,
                items=checkout.items,
                total=order.total,
                currency=order.currency or "",
                payment_account=order.payment_account_identifier or checkout.payment_account,
                order_status=order.status_identifier,
                order_status_title=title or order.status_localize_infos.title,
                content_lang=checkout.content_lang,
                campaign=checkout.campaign,
                details=checkout.contact.shown if checkout.contact is not None else (),
            )
        )
        self._outcome(PlacementOutcome.PLACED)
        await self._events.publish(OrderEvent(OrderEventKind.PLACED, recorded))
        return recorded

    async def _with_payment(
        self, order: OrderRecord, look_first: bool, order_link: str | None = None
    ) -> PlacementResult:
        """The order with its payment session: the existing one when `look_first` (an order
        found after an unknown outcome, or one OneEntry returned with a link), else a new
        one. A session that cannot be had now leaves the order placed; the next call tries
        again. A session without a link yet shows the order's own link, if it has one."""
        placed = PlacementResult(order.checkout_id, PlacementStatus.PLACED, order)
        if order.has_payment_session:
            return placed
        try:
            session = await self._existing_session(order) if look_first else None
            if session is None:
                session = await self._client.payments.create_session(
                    order.order_id, type=SESSION_TYPE
                )
        except (OutcomeUnknownError, ResponseValidationError):
            session = await self._existing_session_quietly(order)
        except OneEntryError as error:
            logger.warning("order %s: no payment session yet: %s", order.order_id, error)
            session = None
        if session is None:
            return placed
        await self._ledger.set_payment_session(
            order.storage,
            order.order_id,
            session_id=session.id,
            payment_url=session.payment_url or order_link,
            payment_status=self._config.statuses.payment_state(session.status),
        )
        return await self._stored_result(order.checkout_id)

    async def _existing_session(self, order: OrderRecord) -> PaymentSession | None:
        sessions = await self._client.payments.sessions_for_order(order.order_id)
        return max(sessions, key=lambda session: session.id) if sessions else None

    async def _existing_session_quietly(self, order: OrderRecord) -> PaymentSession | None:
        try:
            return await self._existing_session(order)
        except OneEntryError as error:
            logger.warning("order %s: session look-up failed: %s", order.order_id, error)
            return None

    async def _stored_result(self, checkout_id: str) -> PlacementResult:
        order = await self._ledger.order_for_checkout(checkout_id)
        if order is None:
            raise CheckoutNotFound(checkout_id)
        if not order.has_payment_session:
            return await self._with_payment(order, look_first=True)
        return PlacementResult(checkout_id, PlacementStatus.PLACED, order)

    # -- helpers -----------------------------------------------------------------------------

    @property
    def _role_markers(self) -> tuple[str, str, str]:
        """Where a legacy checkout's three details go: the marker settings."""
        return (self._config.name_field, self._config.phone_field, self._config.email_field)

    def _order_body(self, request: PlacementRequest) -> OrderCreate:
        submitted = as_order_details(request.contact).submitted(*self._role_markers)
        return OrderCreate(
            form_identifier=self._config.order_form,
            payment_account_identifier=request.payment_account,
            form_data=[
                FormField(marker=item.marker, type=item.type, value=item.value)
                for item in submitted
            ],
            products=[
                OrderProduct(product_id=item.product_id, quantity=item.quantity)
                for item in request.items
            ],
        )

    def _rejected(self, error: BadRequestError, request: PlacementRequest) -> OrderRejected:
        """What OneEntry refused: a field of the form (by its role when it has one), the
        cart, or something else."""
        parts = dict(
            zip(
                self._role_markers,
                (RejectedPart.NAME, RejectedPart.PHONE, RejectedPart.EMAIL),
                strict=True,
            )
        )
        sent = {
            item.marker for item in as_order_details(request.contact).submitted(*self._role_markers)
        }
        if error.field in parts:
            return OrderRejected(parts[error.field], error.field)
        if error.field is not None and (
            error.field in sent or not _PRODUCT_PROBLEM.search(error.message)
        ):
            return OrderRejected(RejectedPart.FIELD, error.field)
        if _PRODUCT_PROBLEM.search(error.message):
            return OrderRejected(RejectedPart.CART)
        return OrderRejected(RejectedPart.OTHER)

    def _lock(self, checkout_id: str) -> asyncio.Lock:
        lock = self._locks.get(checkout_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[checkout_id] = lock
        return lock


def same_contents(
    checkout: CheckoutRecord, request: PlacementRequest, role_markers: tuple[str, str, str]
) -> bool:
    """The request would make the same order as the checkout was placed with (the form
    fields are compared while the ledger still has them: they are dropped once a checkout is
    settled)."""
    wanted = Counter((item.product_id, item.quantity) for item in request.items)
    placed = Counter((item.product_id, item.quantity) for item in checkout.items)
    if wanted != placed or checkout.payment_account != request.payment_account:
        return False
    if checkout.contact is None:
        return True
    return _fields(checkout.contact, role_markers) == _fields(request.contact, role_markers)


def _fields(
    details: OrderDetails | ContactDetails, role_markers: tuple[str, str, str]
) -> dict[str, str]:
    submitted = as_order_details(details).submitted(*role_markers)
    return {item.marker: comparable(item.value) for item in submitted}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
