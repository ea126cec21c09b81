"""Staff rendering without Telegram, in both languages: cards and orders with every field the
customer gave and line totals, payment and session in words (never a marker), history lines
that say each thing once, what a status change will tell the customer, /stats per currency,
and the staff buttons' callback data within Telegram's 64 bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from locales import Texts
from shop.config import PaymentState
from shop.staff_records import (
    CurrencyTotals,
    CustomerTold,
    OrderStats,
    StaffField,
    StaffOrder,
    StaffOrderDetail,
    StaffOrderLine,
    StatsPeriod,
    StatusChange,
    StatusChangePlan,
    StatusChoice,
    StatusEffect,
)
from ui import callback_data as cd
from ui.views import admin as views

MOMENT = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def order(**changes: object) -> StaffOrder:
    values: dict[str, object] = {
        "order_id": 1001,
        "created_at": MOMENT,
        "customer_name": "Alice <b>",
        "phone": "+447911123456",
        "email": "alice@example.com",
        "lines": (StaffOrderLine("Green tea", 2, Decimal("12.50"), 1),),
        "total": Decimal("25.00"),
        "currency": "USD",
        "payment_account": "stripe",
        "payment_account_title": "Card (Stripe)",
        "payment_status": "waiting",
        "payment_status_title": None,
        "is_paid": False,
        "order_status": "inProgress",
        "order_status_title": "In progress",
        "telegram_user_id": 7,
        "fields": (StaffField("delivery_note", "Delivery note", "Ring twice"),),
    }
    values.update(changes)
    return StaffOrder(**values)  # type: ignore[arg-type]


CARD_LINES = {
    "en": ["Email: alice@example.com", "Delivery note: Ring twice", "• Green tea × 2 — $25.00"],
    "ru": ["Эл. почта: alice@example.com", "Delivery note: Ring twice", "• Green tea × 2 — 25,00"],
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_card_has_everything_the_customer_gave_and_their_line_totals(language: str) -> None:
    card = views.order_card(Texts(language), order(), False, language)
    for line in CARD_LINES[language]:
        assert line in card.text
    assert "Alice &lt;b&gt;" in card.text  # escaped
    assert "Nov 29, 2026, 9:30" in card.text or "29 нояб. 2026" in card.text


@pytest.mark.parametrize(
    ("language", "payment", "session"),
    [
        ("en", "Payment: Not paid", "Payment session: open, not paid yet"),
        ("ru", "Оплата: Не оплачен", "Платёжная сессия: открыта, ещё не оплачена"),
    ],
)
def test_payment_and_session_in_words_and_history_said_once(
    language: str, payment: str, session: str
) -> None:
    detail = StaffOrderDetail(
        order(),
        PaymentState.WAITING,
        None,
        (
            StatusChange("placed", "In progress", MOMENT),
            StatusChange("cancelled", "Cancelled", MOMENT),
        ),
    )
    text = views.order_detail_screen(Texts(language), detail, language).text
    assert payment in text and session in text
    assert "waiting" not in text.replace("не оплачена", "")
    history = text.split("\n")[-2:]
    assert history[0].endswith(("placed", "оформлен"))  # no status after "placed"
    assert history[1].endswith(("status changed to Cancelled", "статус изменён на «Cancelled»"))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_stats_per_currency_with_the_average_paid_order(language: str) -> None:
    stats = OrderStats(
        StatsPeriod.WEEK,
        MOMENT,
        orders=7,
        paid_orders=1,
        currencies=(
            CurrencyTotals("EUR", orders=1, paid_orders=0, revenue=Decimal("0")),
            CurrencyTotals("USD", orders=6, paid_orders=1, revenue=Decimal("159"), cancelled=2),
        ),
    )
    text = views.stats_screen(Texts(language), stats, language).text
    eur, usd = text.split("\n\n")[1:]
    assert eur.startswith("<b>EUR</b>") and usd.startswith("<b>USD</b>")
    assert ("Average paid order" in eur) is False and ("Средний" in eur) is False
    expected = {
        "en": ["Orders placed: 6", "Paid orders: 1", "Average paid order: $159.00",
               "Cancelled (not in the revenue): 2"],
        "ru": ["Оформлено заказов: 6", "Оплаченных заказов: 1",
               "Средний оплаченный заказ: 159,00", "Отменено (не входит в выручку): 2"],
    }[language]  # fmt: skip
    for line in expected:
        assert line in usd


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(
    ("effect", "paid", "placed_here", "says"),
    [
        (StatusEffect.CANCEL, True, True, {"en": "refund", "ru": "возврата"}),
        (StatusEffect.CANCEL, False, True, {"en": "is cancelled.", "ru": "заказ отменён."}),
        (StatusEffect.PAID, False, True, {"en": "is paid", "ru": "оплачен"}),
        (StatusEffect.MOVE, False, False, {"en": "not placed through", "ru": "не через"}),
    ],
)
def test_the_question_says_what_the_customer_will_be_told(
    language: str, effect: StatusEffect, paid: bool, placed_here: bool, says: dict[str, str]
) -> None:
    plan = StatusChangePlan(
        order(is_paid=paid, telegram_user_id=7 if placed_here else None),
        StatusChoice("cancelled" if effect is StatusEffect.CANCEL else "x", "Cancelled"),
        effect,
    )
    text = views.status_confirm_screen(Texts(language), plan).text
    assert says[language] in text
    assert (("The bot refunds nothing" in text) or ("Бот ничего не возвращает" in text)) is (
        paid and effect is StatusEffect.CANCEL
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_told_only_when_told(language: str) -> None:
    plan = StatusChangePlan(order(), StatusChoice("shipped", "Shipped"), StatusEffect.MOVE)
    _ = Texts(language)
    told = views.status_changed_screen(_, plan, CustomerTold.TOLD).text
    for outcome in (CustomerTold.FAILED, CustomerTold.NOT_YET, CustomerTold.NOT_PLACED_HERE):
        text = views.status_changed_screen(_, plan, outcome).text
        assert views.told_text(_, CustomerTold.TOLD) not in text
    assert views.told_text(_, CustomerTold.TOLD) in told


BIGGEST_ID = 999_999_999
STAFF_DATA = [
    (cd.build(cd.ADMIN_SET_STATUS, BIGGEST_ID, "s" * 40), cd.ADMIN_SET_STATUS, 2),
    (cd.build(cd.ADMIN_CONFIRM_STATUS, BIGGEST_ID, "s" * 40), cd.ADMIN_CONFIRM_STATUS, 2),
    (cd.build(cd.ADMIN_STATUS_BACK, BIGGEST_ID), cd.ADMIN_STATUS_BACK, 1),
    (cd.build(cd.ADMIN_PENDING_PAGE, 3660, BIGGEST_ID), cd.ADMIN_PENDING_PAGE, 2),
]


@pytest.mark.parametrize(("data", "prefix", "parts"), STAFF_DATA, ids=[d for d, *_ in STAFF_DATA])
def test_staff_callback_data_fits_and_matches_its_pattern(
    data: str, prefix: str, parts: int
) -> None:
    part_patterns = [cd.NUMBER] if parts == 1 else [cd.NUMBER, cd.STATUS_ID]
    if prefix == cd.ADMIN_PENDING_PAGE:
        part_patterns = [cd.NUMBER, cd.NUMBER]
    assert len(data.encode()) <= 64
    assert cd.pattern(prefix, *part_patterns).match(data)
    assert not cd.pattern(cd.ADMIN_SET_STATUS, cd.NUMBER, cd.STATUS_ID).match(
        cd.build(cd.ADMIN_CONFIRM_STATUS, 1, "x")
    )
