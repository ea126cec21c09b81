"""Order events reach every subscriber; a failing subscriber never stops the others."""

from decimal import Decimal

from shop.events import OrderEvent, OrderEventKind, OrderEvents
from shop.ledger_records import OrderRecord

ORDER = OrderRecord(
    order_id=7,
    storage="guest_orders",
    user_id=1,
    chat_id=1,
    checkout_id="0123456789ab",
    items=(),
    total=Decimal(10),
    currency="USD",
    payment_account="cash",
)


async def test_every_subscriber_hears_and_failures_are_contained() -> None:
    events = OrderEvents()
    heard: list[str] = []

    async def broken(event: OrderEvent) -> None:
        raise RuntimeError("staff chat is gone")

    async def listener(event: OrderEvent) -> None:
        heard.append(f"{event.kind}:{event.order.order_id}")

    events.subscribe(broken)
    events.subscribe(listener)
    await events.publish(OrderEvent(OrderEventKind.PAID, ORDER))
    assert heard == ["paid:7"]
