"""Placing orders exactly once, against the OneEntry emulator over HTTP (no Telegram)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from oneentry_client import OneEntryClient
from sandbox.oneentry import RunningEmulator
from shop.config import ShopConfig
from shop.contact import ContactDetails
from shop.ledger import Ledger
from shop.ledger_records import CheckoutState, OrderItem
from shop.order_details import OrderDetails, ShownField, SubmittedField
from shop.ordering import OrderPlacement
from shop.placement_types import (
    CartEmpty,
    OrderRejected,
    PlacementRequest,
    PlacementStatus,
    RejectedPart,
    ShopUnavailable,
)

CONTACT = ContactDetails("Ivan", "+79990000000", "ivan@example.com")
ITEMS = (OrderItem(1, 2, "Green tea"), OrderItem(2, 1, "Black tea"))
TOTAL = Decimal("34.90")  # 2 × 12.50 + 9.90, as the emulator prices it


def request(
    checkout_id: str = "a1b2c3d4e5f6",
    account: str = "cash",
    contact: ContactDetails | OrderDetails = CONTACT,
    items: tuple[OrderItem, ...] = ITEMS,
    user_id: int = 7,
) -> PlacementRequest:
    return PlacementRequest(
        checkout_id=checkout_id,
        user_id=user_id,
        chat_id=user_id,
        contact=contact,
        items=items,
        payment_account=account,
        content_lang="en_US",
    )


class Clock:
    """The placement's clock: now, until a test moves it past a create call's timeout."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def pass_the_outcome_window(self) -> None:
        self.now += ShopConfig().outcome_window + timedelta(seconds=1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def placement(client: OneEntryClient, ledger: Ledger, clock: Clock) -> OrderPlacement:
    return OrderPlacement(client, ledger, ShopConfig(), clock=clock)


def calls(emulator: RunningEmulator, endpoint: str) -> list[object]:
    return [r for r in emulator.state.requests if r.endpoint == endpoint]


async def test_cash_order_is_created_with_the_form_and_products(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger
) -> None:
    result = await placement.place(request())

    assert result.status is PlacementStatus.PLACED and result.order is not None
    [stored] = oneentry_emulator.state.orders.values()
    assert result.order.order_id == stored.id
    assert (result.order.total, result.order.currency) == (TOTAL, "usd")  # as OneEntry wrote it
    assert result.order.payment_url is None and result.order.has_payment_session
    [create] = calls(oneentry_emulator, "orders.create")
    assert create.body == {
        "formIdentifier": "guest_order",
        "paymentAccountIdentifier": "cash",
        "formData": {
            "en_US": [
                {"marker": "guest_name", "type": "string", "value": "Ivan"},
                {"marker": "guest_phone", "type": "string", "value": "+79990000000"},
                {"marker": "guest_email", "type": "string", "value": "ivan@example.com"},
            ]
        },
        "products": [{"productId": 1, "quantity": 2}, {"productId": 2, "quantity": 1}],
    }
    [session] = calls(oneentry_emulator, "payments.create_session")
    assert session.body["type"] == "session" and session.body["orderId"] == stored.id
    checkout = await ledger.checkout("a1b2c3d4e5f6")
    assert checkout is not None and checkout.state is CheckoutState.PLACED


async def test_stripe_order_gets_the_payment_url(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    result = await placement.place(request(account="stripe"))

    assert result.order is not None
    [session] = oneentry_emulator.state.sessions.values()
    assert result.order.payment_url == session.payment_url
    assert result.order.payment_url.startswith(oneentry_emulator.url)
    assert result.order.payment_status == "waiting" and result.order.awaits_payment_link


async def test_the_same_checkout_placed_twice_is_one_order(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    first = await placement.place(request())
    second = await placement.place(request())

    assert len(oneentry_emulator.state.orders) == 1
    assert first.order == second.order
    assert len(calls(oneentry_emulator, "orders.create")) == 1


async def test_concurrent_calls_for_one_checkout_make_one_order(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    results = await asyncio.gather(*(placement.place(request()) for _ in range(3)))

    assert len(oneentry_emulator.state.orders) == 1
    assert len({result.order.order_id for result in results if result.order}) == 1


async def test_two_checkouts_with_the_same_cart_are_two_orders(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    await placement.place(request("000000000001"))
    await placement.place(request("000000000002"))
    assert len(oneentry_emulator.state.orders) == 2


@pytest.mark.parametrize(
    ("contact", "part"),
    [
        (ContactDetails("Ivan", "+79990000000", "not-an-email"), RejectedPart.EMAIL),
        (ContactDetails("I" * 101, "+79990000000", "ivan@example.com"), RejectedPart.NAME),
        (ContactDetails("Ivan", "", "ivan@example.com"), RejectedPart.PHONE),
    ],
)
async def test_a_refused_field_is_named(
    placement: OrderPlacement,
    oneentry_emulator: RunningEmulator,
    ledger: Ledger,
    contact: ContactDetails,
    part: RejectedPart,
) -> None:
    with pytest.raises(OrderRejected) as caught:
        await placement.place(request(contact=contact))
    assert caught.value.part is part
    assert not oneentry_emulator.state.orders
    checkout = await ledger.checkout("a1b2c3d4e5f6")
    assert checkout is not None and checkout.state is CheckoutState.FAILED
    assert checkout.contact is None


async def test_a_hidden_product_means_the_cart_changed(placement: OrderPlacement) -> None:
    with pytest.raises(OrderRejected) as caught:
        await placement.place(request(items=(OrderItem(15, 1),)))
    assert caught.value.part is RejectedPart.CART


async def test_after_a_refusal_the_corrected_checkout_is_placed(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    bad = ContactDetails("Ivan", "+79990000000", "not-an-email")
    with pytest.raises(OrderRejected):
        await placement.place(request(contact=bad))
    result = await placement.place(request())
    assert result.is_placed and len(oneentry_emulator.state.orders) == 1


async def test_an_empty_cart_is_refused_before_oneentry(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    with pytest.raises(CartEmpty):
        await placement.place(request(items=()))
    assert not calls(oneentry_emulator, "orders.create")


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_oneentry_failing_is_unavailable_and_nothing_is_placed(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger, status: int
) -> None:
    oneentry_emulator.state.add_fault("orders.create", status=status, retry_after=0)
    with pytest.raises(ShopUnavailable):
        await placement.place(request())
    assert not oneentry_emulator.state.orders
    checkout = await ledger.checkout("a1b2c3d4e5f6")
    assert checkout is not None and checkout.state is CheckoutState.FAILED
    assert await ledger.order_for_checkout("a1b2c3d4e5f6") is None

    result = await placement.place(request())  # Retry
    assert result.is_placed and len(oneentry_emulator.state.orders) == 1


async def test_dropped_after_store_is_found_not_created_again(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    result = await placement.place(request(account="stripe"))

    [stored] = oneentry_emulator.state.orders.values()
    assert result.is_placed and result.order is not None
    assert result.order.order_id == stored.id and result.order.total == TOTAL
    assert len(calls(oneentry_emulator, "orders.create")) == 1
    assert calls(oneentry_emulator, "orders.list")
    assert result.order.payment_url is not None


async def test_the_lookup_ignores_an_identical_order_already_in_the_ledger(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    earlier = await placement.place(request("000000000001"))
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    later = await placement.place(request("000000000002"))

    assert len(oneentry_emulator.state.orders) == 2
    assert earlier.order is not None and later.order is not None
    assert later.order.order_id != earlier.order.order_id


async def test_a_timeout_is_checked_and_created_only_once_proven_missing(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger, clock: Clock
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="timeout")
    first = await placement.place(request())

    assert first.status is PlacementStatus.CHECKING and first.order is None
    checkout = await ledger.checkout("a1b2c3d4e5f6")
    assert checkout is not None and checkout.state is CheckoutState.UNKNOWN
    assert not oneentry_emulator.state.orders

    # "Check again" at once: nothing found, but the create may still land: no second create.
    soon = await placement.place(request())
    assert soon.status is PlacementStatus.CHECKING and not oneentry_emulator.state.orders
    assert len(calls(oneentry_emulator, "orders.create")) == 1

    clock.pass_the_outcome_window()
    again = await placement.place(request())  # now a look that finds nothing proves it
    assert again.is_placed and len(oneentry_emulator.state.orders) == 1
    assert len(calls(oneentry_emulator, "orders.list")) == 3


CHANGED = (OrderItem(1, 4, "Green tea"),)


async def test_other_contents_under_an_unknown_checkout_wait_for_the_earlier_one(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, clock: Clock
) -> None:
    """The cart changed while the first Confirm's outcome was unknown: the new contents are
    not ordered while the first may still land, and then ordered once proven missing."""
    oneentry_emulator.state.add_fault("orders.create", kind="timeout")
    assert (await placement.place(request())).status is PlacementStatus.CHECKING

    changed = await placement.place(request(items=CHANGED))
    assert changed.status is PlacementStatus.CHECKING and not oneentry_emulator.state.orders

    clock.pass_the_outcome_window()
    placed = await placement.place(request(items=CHANGED))
    assert placed.is_placed
    [order] = oneentry_emulator.state.orders.values()
    assert [(line.product_id, line.quantity) for line in order.lines] == [(1, 4)]


async def test_other_contents_after_the_earlier_order_landed_get_that_order_as_earlier(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    """The first Confirm did make an order: confirming other contents under the same
    checkout returns that order as EARLIER and never creates one of the new contents."""
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
    assert (await placement.place(request())).status is PlacementStatus.CHECKING

    earlier = await placement.place(request(items=CHANGED))
    assert earlier.is_earlier_order and earlier.order is not None
    assert [(item.product_id, item.quantity) for item in earlier.order.items] == [(1, 2), (2, 1)]
    assert len(oneentry_emulator.state.orders) == 1
    again = await placement.place(request(items=CHANGED))  # and so it stays
    assert again.is_earlier_order and len(oneentry_emulator.state.orders) == 1


async def test_check_again_finds_an_order_that_landed_late(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
    first = await placement.place(request())
    assert first.status is PlacementStatus.CHECKING

    again = await placement.place(request())
    assert again.is_placed and len(oneentry_emulator.state.orders) == 1
    assert len(calls(oneentry_emulator, "orders.create")) == 1


async def test_session_dropped_after_store_is_found_not_created_again(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("payments.create_session", kind="drop_after_store")
    result = await placement.place(request(account="stripe"))

    [session] = oneentry_emulator.state.sessions.values()
    assert result.order is not None and result.order.payment_session_id == session.id
    assert result.order.payment_url == session.payment_url
    assert len(calls(oneentry_emulator, "payments.create_session")) == 1


async def test_no_session_yet_keeps_the_order_and_the_next_call_gets_the_link(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger
) -> None:
    oneentry_emulator.state.add_fault("payments.create_session", status=503)
    first = await placement.place(request(account="stripe"))

    assert first.is_placed and first.payment_pending
    checkout = await ledger.checkout("a1b2c3d4e5f6")
    assert checkout is not None and checkout.state is CheckoutState.PLACED

    second = await placement.place(request(account="stripe"))
    assert second.order is not None and second.order.payment_url is not None
    assert len(oneentry_emulator.state.orders) == 1
    assert len(oneentry_emulator.state.sessions) == 1


async def test_start_up_resolves_checkouts_left_placing(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger, clock: Clock
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
    await placement.place(request("000000000001"))  # stored, but not found yet
    await ledger.begin_placing(  # as a bot killed before its create call left it
        "000000000002",
        user_id=8,
        chat_id=8,
        items=ITEMS,
        payment_account="cash",
        content_lang="ru_RU",
        contact=CONTACT,
    )

    resolutions = {r.checkout.checkout_id: r for r in await placement.resolve_unfinished()}

    found = resolutions["000000000001"].result
    assert found is not None and found.is_placed
    waiting = resolutions["000000000002"]  # its create may still land: not decided yet
    assert waiting.result is None and not waiting.settled and waiting.decide_after is not None

    clock.pass_the_outcome_window()
    [resolution] = await placement.resolve_unfinished()
    assert resolution.checkout.checkout_id == "000000000002" and resolution.settled
    assert resolution.result is None
    missing = await ledger.checkout("000000000002")
    assert missing is not None and missing.state is CheckoutState.FAILED
    assert len(oneentry_emulator.state.orders) == 1
    assert await ledger.unresolved_checkouts() == []


# The tea shop's three fields, sent and as the Russian summary showed them.
SHOWN = (
    ShownField("guest_name", "Имя", "Иван"),
    ShownField("guest_phone", "Телефон", "+79990000000"),
    ShownField("guest_email", "Эл. почта", "ivan@example.com"),
)
DETAILS = OrderDetails(
    (
        SubmittedField("guest_name", "string", "Иван"),
        SubmittedField("guest_phone", "string", "+79990000000"),
        SubmittedField("guest_email", "string", "ivan@example.com"),
    ),
    shown=SHOWN,
)


async def test_the_answers_as_shown_go_with_the_order_also_when_found_at_start_up(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator, ledger: Ledger
) -> None:
    placed = await placement.place(request("000000000001", contact=DETAILS))
    assert placed.order is not None and placed.order.details == SHOWN
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
    checking = await placement.place(request("000000000002", contact=DETAILS, user_id=8))
    assert checking.status is PlacementStatus.CHECKING  # a restart comes before the look-up

    [resolution] = await placement.resolve_unfinished()

    assert resolution.result is not None and resolution.result.order is not None
    assert resolution.result.order.details == SHOWN
    [first, second] = [
        await ledger.order_for_checkout(checkout_id)
        for checkout_id in ("000000000001", "000000000002")
    ]
    assert first is not None and first.details == SHOWN
    assert second is not None and second.details == SHOWN
    settled = await ledger.checkout("000000000002")
    assert settled is not None and settled.contact is None  # the checkout holds them no longer


async def test_an_order_of_the_three_details_alone_shows_none(
    placement: OrderPlacement,
) -> None:
    result = await placement.place(request())  # a checkout confirmed by an earlier version
    assert result.order is not None and result.order.details == ()


async def test_resume_is_only_the_customers_own(placement: OrderPlacement) -> None:
    placed = await placement.place(request())
    resumed = await placement.resume("a1b2c3d4e5f6", user_id=7)
    assert resumed is not None and resumed.order == placed.order
    assert await placement.resume("a1b2c3d4e5f6", user_id=8) is None
    assert await placement.resume("ffffffffffff", user_id=7) is None


async def test_resume_gets_the_payment_link_that_was_missing(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("payments.create_session", status=503)
    first = await placement.place(request(account="stripe"))
    assert first.payment_pending
    resumed = await placement.resume("a1b2c3d4e5f6", user_id=7)
    assert resumed is not None and resumed.order is not None
    assert resumed.order.payment_url is not None
    assert len(oneentry_emulator.state.sessions) == 1


async def test_resume_checks_an_unknown_outcome_again(
    placement: OrderPlacement, oneentry_emulator: RunningEmulator
) -> None:
    oneentry_emulator.state.add_fault("orders.create", kind="drop_after_store")
    oneentry_emulator.state.add_fault("orders.list", status=500, count=3)
    assert (await placement.place(request())).status is PlacementStatus.CHECKING
    resumed = await placement.resume("a1b2c3d4e5f6", user_id=7)
    assert resumed is not None and resumed.is_placed
    assert len(oneentry_emulator.state.orders) == 1
