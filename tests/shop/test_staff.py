"""The staff desk against the OneEntry emulator over HTTP (no Telegram): listing and paging the
storage's orders, orders in the staff's language with the shop's own titles, pending (bounded
by a date, and saying so), stats per currency, find by any part of a phone, email or name,
every field the customer gave, a year of orders, and status changes with what they mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from application.builder import shop_config
from oneentry_client import OneEntryClient
from sandbox.oneentry import RunningEmulator
from settings import load_settings
from shop.config import PaymentState, ShopConfig
from shop.contact import ContactDetails
from shop.ledger import Ledger
from shop.ledger_records import OrderItem
from shop.ordering import OrderPlacement
from shop.placement_types import PlacementRequest
from shop.staff import StaffDesk, fold, matcher
from shop.staff_records import (
    CustomerTold,
    StaffOrder,
    StaffUnavailable,
    StatsPeriod,
    StatusChangeRefused,
    StatusEffect,
    UnknownStatus,
)
from tests.e2e import staff_shops
from tests.e2e.journeys import order_details

PEOPLE = [
    ContactDetails("Ivan Petrov", "+79990000001", "ivan@example.com"),
    ContactDetails("Alice Smith", "+447911123456", "alice@example.com"),
    ContactDetails("Bob Jones", "+12025550123", "bob@example.org"),
]


def config_for(emulator: RunningEmulator) -> ShopConfig:
    """The shop's configuration as the bot builds it from the emulator's printed lines."""
    printed = {name.lower(): value for name, value in emulator.bot_settings().items()}
    settings = load_settings(env_file=None, telegram_bot_token="1:x", **printed)
    return shop_config(settings)


@pytest.fixture
def config(oneentry_emulator: RunningEmulator) -> ShopConfig:
    return config_for(oneentry_emulator)


@pytest.fixture
def desk(client: OneEntryClient, ledger: Ledger, config: ShopConfig) -> StaffDesk:
    return StaffDesk(client, ledger, config, page_size=2, cache_seconds=0)


async def place(
    client: OneEntryClient,
    ledger: Ledger,
    number: int,
    account: str = "cash",
    config: ShopConfig | None = None,
) -> int:
    """Order `number`: placed by Telegram user 500+number through the real placement."""
    placement = OrderPlacement(client, ledger, config or ShopConfig())
    result = await placement.place(
        PlacementRequest(
            checkout_id=f"{number:012x}",
            user_id=500 + number,
            chat_id=500 + number,
            contact=order_details(
                "market" if (config and config.order_form == "market_checkout") else "tea",
                PEOPLE[number % len(PEOPLE)],
            ),
            items=(OrderItem(1, number + 1, "Green tea"),),
            payment_account=account,
            content_lang="en_US",
        )
    )
    assert result.order is not None
    return result.order.order_id


async def test_an_empty_storage_has_one_empty_page(desk: StaffDesk) -> None:
    page = await desk.page(0)
    assert (page.orders, page.number, page.count, page.total) == ((), 0, 1, 0)
    pending = await desk.pending()
    assert (pending.orders, pending.older_exist, pending.days) == ((), False, 30)
    found = await desk.find("ivan")
    assert (found.orders, found.limited) == ((), False)
    stats = await desk.stats(StatsPeriod.TODAY)
    assert (stats.orders, stats.paid_orders, stats.currencies) == (0, 0, ())


async def test_pages_newest_first_with_the_customer_and_the_telegram_user(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger
) -> None:
    ids = [await place(client, ledger, number) for number in range(5)]
    first = await desk.page(0)
    assert [o.order_id for o in first.orders] == [ids[4], ids[3]]
    assert (first.count, first.total, first.has_previous, first.has_next) == (3, 5, False, True)
    newest = first.orders[0]
    assert newest.customer_name == "Alice Smith" and newest.phone == "+447911123456"
    assert newest.email == "alice@example.com" and newest.telegram_user_id == 504
    assert newest.total == Decimal("62.50") and newest.currency == "USD"
    assert newest.lines[0].quantity == 5 and newest.order_status == "inProgress"
    assert newest.lines[0].total == Decimal("62.50")  # the line as the cart showed it
    last = await desk.page(7)  # past the end: the last page
    assert last.number == 2 and [o.order_id for o in last.orders] == [ids[0]]


async def test_orders_the_bot_did_not_place_have_no_telegram_user(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, tmp_path: Path
) -> None:
    async with Ledger(tmp_path / "other.sqlite3") as other:
        await place(client, other, 1)  # placed by another installation
    [order] = (await desk.page(0)).orders
    assert order.telegram_user_id is None and order.customer_name == "Alice Smith"
    assert not order.placed_by_bot


async def test_one_order_with_its_payment_session_in_the_bots_words(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 0, account="stripe")
    detail = await desk.order(order_id)
    assert detail is not None
    assert detail.order.payment_account == "stripe"
    assert detail.session_state is PaymentState.WAITING  # the gateway's "waiting"
    assert detail.payment_url and detail.payment_url.startswith("http")
    assert [change.kind for change in detail.history] == ["placed"]
    [session] = oneentry_emulator.state.sessions.values()
    oneentry_emulator.state.pay_session(session.id)  # the gateway says "completed"
    paid = await desk.order(order_id)
    assert paid is not None and paid.session_state is PaymentState.PAID
    assert await desk.order(999_999) is None


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("en_US", {"tea": ("In progress", "Awaiting payment"), "market": ("Created", None)}),
        ("ru_RU", {"tea": ("В работе", "Ожидает оплаты"), "market": ("Создан", None)}),
    ],
)
async def test_orders_read_in_the_staff_language_with_the_shops_titles(
    desk: StaffDesk,
    client: OneEntryClient,
    ledger: Ledger,
    config: ShopConfig,
    oneentry_shop: str,
    lang: str,
    titles: dict[str, tuple[str, str | None]],
) -> None:
    """The status titles are the storage's own in the staff's language, and a product with no
    text in it (the market's Earl Grey has no Russian) keeps its title."""
    order_id = await place(client, ledger, 1, config.default_payment_account, config)
    status, payment = titles[oneentry_shop]
    detail = await desk.order(order_id, lang=lang)
    assert detail is not None
    order = detail.order
    assert order.order_status_title == status
    if payment is not None:
        assert order.payment_status_title == payment
    assert order.lines[0].title  # never empty, whatever the language
    [listed] = (await desk.page(0, lang=lang)).orders[:1]
    assert listed.order_status_title == status
    choices = await desk.statuses(lang)
    assert choices[0].identifier == order.order_status
    assert choices[0].title == status


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
@pytest.mark.parametrize(
    ("lang", "title"), [("en_US", "Delivery note"), ("ru_RU", "Комментарий к доставке")]
)
async def test_every_field_the_customer_gave_with_the_forms_title(
    make_oneentry_client, ledger: Ledger, tmp_path: Path, oneentry_shop: str, lang: str, title: str
) -> None:
    """A form with a field beyond name, phone and email (the form-driven checkout will ask
    for more): staff see it under the form's own title, in their language."""
    from sandbox.oneentry import EmulatorState, serve_emulator

    path, order_id = staff_shops.with_a_delivery_note(oneentry_shop, tmp_path, "Leave at the door")
    async with serve_emulator(EmulatorState.from_shop(path)) as emulator:
        from tests.fixtures.oneentry import guest_credentials

        async with OneEntryClient(
            emulator.url, emulator.app_token, credentials=guest_credentials(emulator)
        ) as client:
            desk = StaffDesk(client, ledger, config_for(emulator), cache_seconds=0)
            detail = await desk.order(order_id, lang=lang)
    assert detail is not None
    order = detail.order
    assert (order.customer_name, order.email) == ("Dora Note", "dora@example.com")
    [field] = [f for f in order.fields if f.marker == staff_shops.EXTRA_FIELD]
    assert (field.marker, field.title, field.value) == (
        staff_shops.EXTRA_FIELD,
        title,
        "Leave at the door",
    )


async def test_pending_is_unpaid_and_neither_cancelled_nor_done_oldest_first(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    ids = [await place(client, ledger, number, account="stripe") for number in range(5)]
    [paid_session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == ids[1]]
    oneentry_emulator.state.pay_session(paid_session.id)
    oneentry_emulator.state.set_order_status(ids[2], "cancelled")
    oneentry_emulator.state.set_order_status(ids[4], "completed")
    pending = await desk.pending()
    assert [o.order_id for o in pending.orders] == [ids[0], ids[3]]
    assert not pending.older_exist


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_pending_reads_back_to_its_date_and_says_older_orders_exist(
    desk: StaffDesk,
) -> None:
    """The market's past orders go back 40 days: 30 days read, the older ones announced (126
    is another user's: the guest does not see it)."""
    month = await desk.pending()
    assert month.older_exist and month.days == 30
    assert [o.order_id for o in month.orders] == [116, 118, 121, 122, 124]
    assert all(o.awaits_payment for o in month.orders)
    longer = await desk.pending(days=60)
    assert not longer.older_exist and [o.order_id for o in longer.orders] == [
        o.order_id for o in month.orders
    ]


async def test_stats_count_orders_paid_orders_and_revenue_per_currency(
    client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    ids = [await place(client, ledger, number, account="stripe") for number in range(4)]
    for order_id in ids[:3]:
        [session] = [s for s in oneentry_emulator.state.sessions.values() if s.order_id == order_id]
        oneentry_emulator.state.pay_session(session.id)
    oneentry_emulator.state.set_order_status(ids[2], "cancelled")  # paid, then cancelled
    oneentry_emulator.state.orders[ids[0]].created_date = (
        (datetime.now(UTC) - timedelta(days=10)).isoformat().replace("+00:00", "Z")
    )
    desk = StaffDesk(client, ledger, ShopConfig())
    week = await desk.stats(StatsPeriod.WEEK)
    [usd] = week.currencies
    assert (usd.currency, usd.orders, usd.paid_orders, usd.cancelled) == ("USD", 3, 1, 1)
    assert (usd.revenue, usd.average) == (Decimal("25.00"), Decimal("25.00"))
    assert (week.orders, week.paid_orders) == (3, 1)
    month = await desk.stats(StatsPeriod.MONTH)
    [usd] = month.currencies
    assert (usd.orders, usd.paid_orders, usd.revenue, usd.average) == (
        4,
        2,
        Decimal("37.50"),
        Decimal("18.75"),
    )


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("+7 999 000-00-01", ["Ivan Petrov"]),
        ("79990000001", ["Ivan Petrov"]),
        ("000-00", ["Ivan Petrov"]),  # any part of the number
        ("ALICE@example.com", ["Alice Smith"]),
        ("example.org", ["Bob Jones"]),  # the domain alone
        ("example", ["Bob Jones", "Alice Smith", "Ivan Petrov"]),
        ("ivan@", ["Ivan Petrov"]),  # the local part
        ("bob", ["Bob Jones"]),
        ("smith", ["Alice Smith"]),
        ("smith alice", ["Alice Smith"]),  # the words in any order
        ("nobody", []),
    ],
)
async def test_find_by_any_part_of_a_phone_an_email_or_a_name(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, query: str, who: list[str]
) -> None:
    for number in range(3):
        await place(client, ledger, number)
    found = await desk.find(query)
    assert [o.customer_name for o in found.orders] == who
    assert not found.limited


@pytest.mark.parametrize("oneentry_shop", ["market"])
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("joao", "João Silva"),  # accents aside
        ("JOÃO SILVA", "João Silva"),
        ("ольга", "Ольга Иванова"),  # case aside, in any script
        ("example.de", "Anna Schmidt"),
        ("schmidt@", "Anna Schmidt"),  # the end of the local part
        ("nowak", None),  # another user's orders: the guest does not see them
        ("49 151 1234", "Anna Schmidt"),
    ],
)
async def test_find_across_the_market_case_and_accents_aside(
    desk: StaffDesk, query: str, name: str | None
) -> None:
    found = await desk.find(query)
    assert {o.customer_name for o in found.orders} == ({name} if name else set())
    dates = [o.created_at for o in found.orders]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_folding_and_matching_ignore_case_and_accents() -> None:
    assert fold("Zoë Ÿ ÉCOLE Ёлка") == "zoe y ecole елка"
    order = StaffOrder(
        1, None, "Zoë Oldfield", "+44 (1632) 960-001", "Zoe@Old.example", (), None, "", None,
        None, None, None, False, None, None,
    )  # fmt: skip
    assert matcher("zoe")(order) and matcher("OLDFIELD ZOË")(order)
    assert matcher("1632960")(order) and matcher("(1632) 960")(order)
    assert matcher("old.example")(order) and not matcher("12")(order)
    assert not matcher("   ")(order)


async def test_find_stops_at_its_limit_and_says_so(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger
) -> None:
    ids = [await place(client, ledger, number) for number in range(4)]
    found = await desk.find("example", limit=2)
    assert [o.order_id for o in found.orders] == [ids[3], ids[2]] and found.limited


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
async def test_a_year_of_orders_is_read_as_far_as_each_question_needs(
    make_oneentry_client, ledger: Ledger, tmp_path: Path, oneentry_shop: str
) -> None:
    """More orders than any fixed count: stats and pending count every order back to their
    date, and find reaches a customer whose only order is a year old."""
    from sandbox.oneentry import EmulatorState, serve_emulator
    from tests.fixtures.oneentry import guest_credentials

    path = staff_shops.with_a_year_of_orders(oneentry_shop, tmp_path)
    async with (
        serve_emulator(EmulatorState.from_shop(path)) as emulator,
        OneEntryClient(
            emulator.url, emulator.app_token, credentials=guest_credentials(emulator)
        ) as client,
    ):
        desk = StaffDesk(client, ledger, config_for(emulator), cache_seconds=0)
        month = await desk.stats(StatsPeriod.MONTH)
        pending = await desk.pending()
        found = await desk.find(staff_shops.OLDEST_EMAIL)
        by_phone = await desk.find("1632 960 001")
    generated_unpaid = len(range(0, staff_shops.RECENT, staff_shops.UNPAID_EVERY))
    assert month.orders >= staff_shops.RECENT > 500
    assert sum(c.paid_orders for c in month.currencies) >= staff_shops.RECENT - generated_unpaid
    generated = [o for o in pending.orders if 5001 <= o.order_id < 5001 + staff_shops.RECENT]
    assert len(generated) == generated_unpaid and pending.older_exist
    assert max(o.order_id for o in generated) > 5001 + 500  # beyond the 500 newest
    assert [o.customer_name for o in found.orders] == [staff_shops.OLDEST_NAME]
    assert [o.customer_name for o in by_phone.orders] == [staff_shops.OLDEST_NAME]


async def test_statuses_in_the_shops_order_and_the_asked_language(desk: StaffDesk) -> None:
    english = await desk.statuses("en_US")
    russian = await desk.statuses("ru_RU")
    assert [s.identifier for s in english] == [
        "inProgress",
        "paid_for",
        "shipped",
        "completed",
        "cancelled",
    ]
    assert english[2].title == "Shipped" and russian[2].title == "Отправлен"


async def test_what_each_status_would_do(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 0)
    effects = {}
    for status in ("inProgress", "paid_for", "shipped", "completed", "cancelled"):
        plan = await desk.plan_status_change(order_id, status)
        assert plan is not None
        effects[status] = (plan.effect, plan.needs_confirmation, plan.customer_is_told)
    assert effects == {
        "inProgress": (StatusEffect.SAME, False, False),
        "paid_for": (StatusEffect.PAID, True, True),
        "shipped": (StatusEffect.MOVE, False, True),
        "completed": (StatusEffect.FINISH, True, True),
        "cancelled": (StatusEffect.CANCEL, True, True),
    }
    oneentry_emulator.state.set_order_payment_status(order_id, "paid")
    after_payment = await desk.plan_status_change(order_id, "shipped")
    assert after_payment is not None and after_payment.needs_confirmation
    cancel = await desk.plan_status_change(order_id, "cancelled")
    assert cancel is not None and cancel.refund_is_due
    assert await desk.plan_status_change(999_999, "shipped") is None
    with pytest.raises(UnknownStatus):
        await desk.plan_status_change(order_id, "teleported")


async def test_change_status_keeps_the_order_and_sets_the_status(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 2)
    before = oneentry_emulator.state.orders[order_id]
    form, total = list(before.form_data), before.total_sum
    changed = await desk.change_status(order_id, "shipped")
    assert changed is not None and changed.effect is StatusEffect.MOVE
    assert changed.status.title == "Shipped"
    after = oneentry_emulator.state.orders[order_id]
    assert after.status_identifier == "shipped"
    assert after.form_data == form and after.total_sum == total
    [put] = [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.update"]
    assert put.method == "PUT"
    assert await desk.change_status(999_999, "shipped") is None
    with pytest.raises(UnknownStatus):
        await desk.change_status(order_id, "teleported")


async def test_the_status_an_order_has_already_changes_nothing(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 0)
    same = await desk.change_status(order_id, "inProgress")
    assert same is not None and same.effect is StatusEffect.SAME
    assert not [r for r in oneentry_emulator.state.requests if r.endpoint == "orders.update"]
    assert await desk.customer_told(order_id, await desk.last_event(order_id), looked=True) is (
        CustomerTold.NOTHING
    )


async def test_whether_the_customer_was_told(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, tmp_path: Path
) -> None:
    async with Ledger(tmp_path / "other.sqlite3") as other:
        elsewhere = await place(client, other, 1)
    assert await desk.customer_told(elsewhere, 0, looked=True) is CustomerTold.NOT_PLACED_HERE
    order_id = await place(client, ledger, 2)
    last = await desk.last_event(order_id)
    assert last > 0  # "placed"
    assert await desk.customer_told(order_id, last, looked=False) is CustomerTold.NOT_YET


async def test_a_refused_status_change_and_an_unreachable_oneentry(
    desk: StaffDesk, client: OneEntryClient, ledger: Ledger, oneentry_emulator: RunningEmulator
) -> None:
    order_id = await place(client, ledger, 0)
    oneentry_emulator.state.add_fault("orders.update", status=403)
    with pytest.raises(StatusChangeRefused):
        await desk.change_status(order_id, "shipped")
    oneentry_emulator.state.add_fault("orders.list", status=503, count=5)
    with pytest.raises(StaffUnavailable):
        await desk.page(0)
