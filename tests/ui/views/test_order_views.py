"""The order message without Telegram: what the customer gave at the checkout shows after the
items and the total, escaped and within Telegram's message limit; an order placed before the
bot kept the answers shows none."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from locales import Texts
from shop.ledger_records import OrderItem, OrderRecord
from shop.order_details import ShownField
from ui.views.orders import ANSWER_CHARS, order_message

ORDER = OrderRecord(
    order_id=1001,
    storage="market_orders",
    user_id=7,
    chat_id=7,
    checkout_id="a1b2c3d4e5f6",
    items=(OrderItem(10, 2, "Earl Grey loose tea, 200 g"),),
    total=Decimal("25.00"),
    currency="USD",
    payment_account="cash",
    payment_session_id=5001,
    payment_status="waiting",
    order_status="inProgress",
    order_status_title="In progress",
)
DETAILS = (
    ShownField("customer_name", "Your name", "Alice <b>& Co</b>"),
    ShownField("delivery_method", "Delivery", "Courier to the door"),
    ShownField("delivery_address", "Delivery address", "12 Tverskaya St\nMoscow"),
)


def test_the_answers_follow_the_items_and_the_total_escaped() -> None:
    text = order_message(Texts("en"), dataclasses.replace(ORDER, details=DETAILS), "en").text
    block = (
        "Your name: Alice &lt;b&gt;&amp; Co&lt;/b&gt;\n"
        "Delivery: Courier to the door\n"
        "Delivery address: 12 Tverskaya St\nMoscow"
    )
    assert block in text
    assert text.index("Total:") < text.index("Status: In progress") < text.index(block)
    assert "<b>&" not in text


def test_an_order_without_kept_answers_shows_no_block() -> None:
    with_none = order_message(Texts("en"), ORDER, "en").text
    assert "Your name" not in with_none and "Delivery" not in with_none
    assert "Status: In progress\n\nYou pay when you receive the order." in with_none


def test_a_long_answer_is_cut_so_the_message_fits() -> None:
    note = ShownField("order_comment", "Comment", "word " * 1000)
    text = order_message(Texts("en"), dataclasses.replace(ORDER, details=(note,)), "en").text
    [line] = [line for line in text.splitlines() if line.startswith("Comment: ")]
    assert len(line) <= len("Comment: ") + ANSWER_CHARS and line.endswith("…")
    assert len(text) < 4096
