"""`OrderWatcher`: one look at OneEntry for one order, and what it changed.

A look asks for the order's payment sessions and the order itself, applies the rules of
`shop.follow_up`, opens a new payment session when the newest one finished unpaid (never while
one can still be paid, so there are never two live sessions), and writes the new state and
its changes to the ledger in one transaction before anyone is told. The events then go out on
`shop.events`. Looks at one order run one at a time, whoever asks (the follow-up job, "My
orders"), so a change is found, recorded and announced once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import Final
from weakref import WeakValueDictionary

from oneentry_client import (
    OneEntryClient,
    OneEntryError,
    OutcomeUnknownError,
    PaymentSession,
    ResponseValidationError,
)
from shop.config import StatusMeanings
from shop.events import OrderEvent, OrderEventKind, OrderEvents
from shop.follow_up import Assessment, Observation, assess, shown_state
from shop.ledger import Ledger
from shop.ledger_records import OrderChange, OrderHistoryEntry, OrderRecord
from shop.order_statuses import OrderStatusTitles
from shop.storage_orders import order_says_paid

logger = logging.getLogger(__name__)

SESSION_TYPE: Final = "session"


@dataclass(frozen=True, slots=True)
class LookResult:
    """The order as the ledger holds it after a look, and what the look recorded.

    `changes` are the recorded changes whose notification is PENDING: the caller tells the
    customer and marks them SENT or FAILED. `reachable` is False when OneEntry did not answer
    (nothing was changed; look again later)."""

    order: OrderRecord
    changes: tuple[OrderHistoryEntry, ...] = ()
    message_changed: bool = False
    reachable: bool = True

    @property
    def kinds(self) -> tuple[OrderEventKind, ...]:
        return tuple(OrderEventKind(change.kind) for change in self.changes)


class OrderWatcher:
    """Looks at orders in OneEntry and records what changed."""

    def __init__(
        self,
        client: OneEntryClient,
        ledger: Ledger,
        events: OrderEvents,
        status_titles: OrderStatusTitles,
        *,
        default_lang: str,
        meanings: StatusMeanings,
    ) -> None:
        self._client = client
        self._ledger = ledger
        self._events = events
        self._titles = status_titles
        self._default_lang = default_lang
        self._meanings = meanings
        self._locks: WeakValueDictionary[tuple[str, int], asyncio.Lock] = WeakValueDictionary()

    async def look(self, storage: str, order_id: int) -> LookResult | None:
        """Look at the order now; None when the ledger has no such order."""
        lock = self._locks.get((storage, order_id))
        if lock is None:
            lock = asyncio.Lock()
            self._locks[(storage, order_id)] = lock
        async with lock:
            order = await self._ledger.order(storage, order_id)
            if order is None:
                return None
            try:
                seen = await self._observe(order)
            except OneEntryError as error:
                logger.info("order %s: follow-up look failed: %s", order_id, error)
                return LookResult(order, reachable=False)
            assessment = assess(order, seen, self._meanings)
            updated = assessment.order
            if assessment.wants_new_session:
                updated = await self._with_new_session(updated)
            if not assessment.events and shown_state(updated) == shown_state(order):
                return LookResult(order)
            return await self._record(order, updated, assessment)

    # -- the steps ---------------------------------------------------------------------------

    async def _observe(self, order: OrderRecord) -> Observation:
        lang = order.content_lang or self._default_lang
        sessions, remote = await asyncio.gather(
            self._client.payments.sessions_for_order(order.order_id),
            self._client.orders.get(order.storage, order.order_id, lang=lang),
        )
        newest = max(sessions, key=lambda session: session.id) if sessions else None
        title = await self._titles.title(lang, remote.status_identifier)
        return Observation(
            session_id=newest.id if newest else None,
            session_state=self._meanings.payment_state(newest.status) if newest else None,
            payment_url=(newest.payment_url or remote.payment_url) if newest else None,
            order_paid=order_says_paid(remote, self._meanings),
            order_status=remote.status_identifier,
            order_status_title=title or remote.status_title,
        )

    async def _with_new_session(self, order: OrderRecord) -> OrderRecord:
        """A fresh session to replace a finished one; the order unchanged when none can be
        had now (the next look tries again: the old session is still finished)."""
        session: PaymentSession | None
        try:
            session = await self._client.payments.create_session(order.order_id, type=SESSION_TYPE)
        except (OutcomeUnknownError, ResponseValidationError):
            session = await self._newest_session_quietly(order)
        except OneEntryError as error:
            logger.warning("order %s: no new payment session: %s", order.order_id, error)
            session = None
        if session is None or session.id == order.payment_session_id:
            return order
        return dataclasses.replace(
            order,
            payment_session_id=session.id,
            payment_url=session.payment_url,
            payment_status=self._meanings.payment_state(session.status),
        )

    async def _newest_session_quietly(self, order: OrderRecord) -> PaymentSession | None:
        try:
            sessions = await self._client.payments.sessions_for_order(order.order_id)
        except OneEntryError as error:
            logger.warning("order %s: session look-up failed: %s", order.order_id, error)
            return None
        return max(sessions, key=lambda session: session.id) if sessions else None

    async def _record(
        self, before: OrderRecord, updated: OrderRecord, assessment: Assessment
    ) -> LookResult:
        changes = [
            OrderChange(
                kind.value,
                previous_status=assessment.previous_status
                if kind in (OrderEventKind.STATUS_CHANGED, OrderEventKind.CANCELLED)
                else None,
            )
            for kind in assessment.events
        ]
        stored, recorded = await self._ledger.record_changes(updated, changes)
        for change in recorded:
            await self._events.publish(
                OrderEvent(OrderEventKind(change.kind), stored, change.previous_status)
            )
        changed = shown_state(stored) != shown_state(before)
        return LookResult(stored, tuple(recorded), message_changed=changed)
