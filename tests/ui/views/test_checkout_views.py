"""Checkout and cart rendering without Telegram: problem texts, escaping, the message limit,
and which payment account is taken without asking."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from locales import Texts
from shop.cart import Cart
from shop.catalog import CatalogProduct
from shop.checkout import CheckoutDraft
from shop.form_answers import AnswerProblem, InvalidAnswer
from shop.payment_options import PaymentOption, choose_silently
from tests.shop.form_builders import field_of, tea_form
from ui.views import checkout as views
from ui.views.cart import cart_screen, describe_cart


def product(
    product_id: int, title: str, price: str = "2.50", orderable: bool = True
) -> CatalogProduct:
    return CatalogProduct(
        id=product_id,
        title=title,
        price=Decimal(price),
        currency="USD",
        status="in_stock",
        status_title=None,
        orderable=orderable,
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_problem_has_its_own_message_in_both_languages(language: str) -> None:
    item = field_of(validators={"fieldMaskValidator": {"maskValue": "99-99"}})
    texts = {
        views.problem_text(Texts(language), item, InvalidAnswer(problem, limit=5))
        for problem in AnswerProblem
    }
    assert len(texts) == len(AnswerProblem)
    assert all(texts)


def test_russian_problem_messages_are_russian() -> None:
    name = tea_form().fields[0]
    error = InvalidAnswer(AnswerProblem.TOO_LONG, limit=100)
    text = views.problem_text(Texts("ru"), name, error)
    assert text == "Имя слишком длинное. Пожалуйста, не больше 100 символов."


def test_the_shops_own_error_text_is_used_and_escaped() -> None:
    item = field_of()
    error = InvalidAnswer(AnswerProblem.PATTERN, custom_text="Only <digits>")
    assert views.problem_text(Texts("en"), item, error) == "Only &lt;digits&gt;"


def test_summary_escapes_what_the_customer_typed_and_the_titles() -> None:
    form = tea_form()
    draft = CheckoutDraft(
        values={
            "guest_name": "<i>Eve</i>",
            "guest_phone": "+447911123456",
            "guest_email": "e&e@example.com",
        }
    )
    draft.payment_account = "cash"
    payments = [PaymentOption("cash", "Cash <fast>")]
    screen = views.summary_screen(
        Texts("en"), draft, form, Cart({1: 2}), {1: product(1, "Tea & <Co>")}, payments, "en"
    )
    assert "1. Tea &amp; &lt;Co&gt; × 2 — $5.00" in screen.text
    assert "Name: &lt;i&gt;Eve&lt;/i&gt;" in screen.text
    assert "Email: e&amp;e@example.com" in screen.text
    assert "Payment: Cash &lt;fast&gt;" in screen.text
    assert screen.keyboard is not None
    confirm = screen.keyboard.inline_keyboard[0][0]
    assert confirm.callback_data == f"cf:{draft.checkout_id}:{draft.revision(Cart({1: 2}))}"


def test_with_several_payment_methods_each_is_a_confirm_that_chooses_it() -> None:
    draft = CheckoutDraft(
        values={"guest_name": "Eve", "guest_phone": "+447911123456", "guest_email": "e@e.co"}
    )
    payments = [PaymentOption("cash", "Cash"), PaymentOption("stripe", "Card (Stripe)")]
    cart = Cart({1: 1})
    screen = views.summary_screen(
        Texts("en"), draft, tea_form(), cart, {1: product(1, "Tea")}, payments, "en"
    )
    assert "How would you like to pay? Tap it to place the order." in screen.text
    assert "Payment:" not in screen.text
    assert screen.keyboard is not None
    rows = screen.keyboard.inline_keyboard
    assert [row[0].text for row in rows[:2]] == ["✅ Cash", "✅ Card (Stripe)"]
    revision = draft.revision(cart)
    assert [row[0].callback_data for row in rows[:2]] == [
        f"cf:{draft.checkout_id}:{revision}:0",
        f"cf:{draft.checkout_id}:{revision}:1",
    ]


def test_saved_details_are_escaped() -> None:
    values = {"guest_name": "A<b>", "guest_phone": "+1", "guest_email": "a@b.co"}
    screen = views.saved_details_screen(Texts("en"), tea_form(), values, "en")
    assert "Name: A&lt;b&gt;" in screen.text


def test_a_long_cart_keeps_within_the_message_limit_and_counts_the_rest() -> None:
    products = {n: product(n, f"Tea {n} " + "word " * 200) for n in range(30)}
    cart = Cart({n: 1 for n in range(30)})
    view = describe_cart(Texts("en"), cart, products, "en")
    screen = cart_screen(Texts("en"), cart, products, "en")
    assert len(screen.text) < 4096
    assert view.hidden > 0
    assert view.lines[-1] == Texts("en").plural(
        "…and {count} more item", "…and {count} more items", view.hidden
    )
    assert len(view.lines) - 1 + view.hidden == 30
    assert view.priced.total == Decimal("75.00")
    assert "Total: $75.00" in screen.text


def test_russian_more_items_uses_plural_forms() -> None:
    products = {n: product(n, "Чай " + "слово " * 300) for n in range(30)}
    view = describe_cart(Texts("ru"), Cart({n: 1 for n in range(30)}), products, "ru")
    assert view.lines[-1].startswith("…и ещё")


def test_the_reply_keyboard_labels_match_in_every_language() -> None:
    back = re.compile(views.reply_label_pattern(1))
    cancel = re.compile(views.reply_label_pattern(2))
    assert back.match("⬅️ Back") and back.match("⬅️ Назад") and not back.match("⬅️ Backup")
    assert cancel.match("✖ Cancel") and cancel.match("✖ Отмена")


@pytest.mark.parametrize(
    ("options", "chosen"),
    [
        ([], "cash"),
        ([PaymentOption("stripe", "Card")], "stripe"),
        ([PaymentOption("cash", "Cash"), PaymentOption("stripe", "Card")], None),
    ],
    ids=["none-offered", "one", "a-choice"],
)
def test_which_account_is_taken_without_asking(
    options: list[PaymentOption], chosen: str | None
) -> None:
    assert choose_silently(options, default_account="cash") == chosen
