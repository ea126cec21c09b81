"""Small pieces of text every screen uses: escaping and money."""

from __future__ import annotations

import html
from collections.abc import Iterable
from decimal import Decimal

from babel.numbers import UnknownCurrencyError, format_currency, format_decimal

from shop.order_details import ShownField


def escape(text: object) -> str:
    """HTML-escape user or catalog text for parse mode HTML (quotes too, for attributes)."""
    return html.escape(str(text), quote=True)


def money(amount: Decimal | None, currency: str, language: str) -> str:
    """`$1,234.50` / `1 234,50 $`; a bare number when the currency is unknown or unset."""
    if amount is None:
        return "—"
    if currency:
        try:
            return format_currency(amount, currency.upper(), locale=language)
        except UnknownCurrencyError:
            pass
    return format_decimal(amount, format="#,##0.00", locale=language)


def shorten(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "…"


def answer_lines(answers: Iterable[ShownField], max_chars: int | None = None) -> list[str]:
    """Each of the customer's answers as "Title: answer", escaped (the summary's lines and
    the order message's); with `max_chars`, a longer answer is cut."""
    return [
        f"{escape(answer.title)}: "
        f"{escape(answer.text if max_chars is None else shorten(answer.text, max_chars))}"
        for answer in answers
    ]
