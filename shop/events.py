"""What happened to an order, for whoever must hear about it (the customer's follow-up
messages, the staff notifications).

The shop publishes; subscribers register at start-up. A subscriber must return quickly (hand
slow work such as sending messages to a task) and its failures are logged, never raised:
telling someone about an order must never undo or delay the order itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from shop.ledger_records import OrderRecord

logger = logging.getLogger(__name__)


class OrderEventKind(StrEnum):
    PLACED = "placed"  # the order exists in OneEntry and in the ledger
    PAID = "paid"  # its payment completed
    STATUS_CHANGED = "status_changed"  # staff (or OneEntry) changed the order status
    CANCELLED = "cancelled"  # the order or its payment was cancelled
    PAYMENT_FAILED = "payment_failed"  # the payment session expired or failed


@dataclass(frozen=True, slots=True)
class OrderEvent:
    kind: OrderEventKind
    order: OrderRecord  # as the ledger holds it after the change
    previous_status: str | None = None  # the order status before a STATUS_CHANGED


Subscriber = Callable[[OrderEvent], Awaitable[None]]


class OrderEvents:
    """A tiny in-process publish/subscribe hub, one per Shop."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    async def publish(self, event: OrderEvent) -> None:
        for subscriber in self._subscribers:
            try:
                await subscriber(event)
            except Exception:
                logger.exception(
                    "order %s: a %s subscriber failed", event.order.order_id, event.kind.value
                )
