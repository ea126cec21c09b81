"""The cart as the customer sees it: lines with − / + / ✖, the total, and the way to checkout.

Prices come from the catalog each time the cart is shown, so the customer always sees what
OneEntry charges now. Lines whose product is no longer sold or out of stock stay visible,
marked, and must be removed before checkout. A cart too long for one Telegram message shows
its first lines and says how many more there are; the total always covers every line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.cart import Cart, PricedCart, price_cart
from shop.catalog import CatalogProduct
from ui import callback_data as cd
from ui.formatting import escape, money, shorten
from ui.keyboards import back_to_menu_row
from ui.screen import Screen

LINE_TITLE_LIMIT = 100
LINES_BUDGET = 3300  # characters of cart lines per message; Telegram allows 4096 in all


@dataclass(frozen=True, slots=True)
class CartView:
    """The cart as text lines, numbered; which products got a line; how many did not fit."""

    lines: tuple[str, ...]
    shown: tuple[tuple[int, int, bool], ...]  # (number, product id, orderable)
    hidden: int
    priced: PricedCart


def describe_cart(
    _: Texts, cart: Cart, products: Mapping[int, CatalogProduct], language: str
) -> CartView:
    """Numbered lines in the order the customer added them, cut to fit one message."""
    priced = price_cart(cart, products)
    totals = {line.product_id: line.total for line in priced.lines}
    lines: list[str] = []
    shown: list[tuple[int, int, bool]] = []
    used = 0
    for number, (product_id, quantity) in enumerate(cart.lines.items(), start=1):
        product = products.get(product_id)
        line = _cart_line(_, number, product, quantity, totals.get(product_id), language)
        if used + len(line) > LINES_BUDGET:
            break
        used += len(line) + 1
        lines.append(line)
        shown.append((number, product_id, product_id in totals))
    hidden = len(cart.lines) - len(lines)
    if hidden:
        lines.append(_.plural("…and {count} more item", "…and {count} more items", hidden))
    return CartView(tuple(lines), tuple(shown), hidden, priced)


def _cart_line(
    _: Texts,
    number: int,
    product: CatalogProduct | None,
    quantity: int,
    total: Decimal | None,
    language: str,
) -> str:
    if product is None:
        return f"{number}. " + _("<s>A product no longer sold</s> × {quantity}", quantity=quantity)
    title = escape(shorten(product.shown_title, LINE_TITLE_LIMIT))
    if total is None:
        return f"{number}. <s>{title}</s> × {quantity} — " + _("not available")
    return f"{number}. {title} × {quantity} — {money(total, product.currency, language)}"


def total_line(_: Texts, priced: PricedCart, language: str) -> str:
    return _("<b>Total: {total}</b>", total=money(priced.total, priced.currency, language))


def cart_screen(
    _: Texts, cart: Cart, products: Mapping[int, CatalogProduct], language: str
) -> Screen:
    if not cart:
        return Screen(
            _("<b>Your cart</b>") + "\n" + _("Your cart is empty. Add something from the catalog."),
            InlineKeyboardMarkup([[_catalog_button(_), *back_to_menu_row(_)]]),
        )
    view = describe_cart(_, cart, products, language)
    text = [_("<b>Your cart</b>"), "", *view.lines, "", total_line(_, view.priced, language)]
    rows = [
        _line_buttons(number, product_id, orderable) for number, product_id, orderable in view.shown
    ]
    if view.priced.unavailable:
        text += ["", _("⚠️ Remove the products that are not available to check out.")]
    else:
        rows.append(
            [InlineKeyboardButton(_("✅ Checkout"), callback_data=cd.menu(cd.SECTION_CHECKOUT))]
        )
    rows.append([_catalog_button(_), *back_to_menu_row(_)])
    return Screen("\n".join(text), InlineKeyboardMarkup(rows))


def _line_buttons(number: int, product_id: int, orderable: bool) -> list[InlineKeyboardButton]:
    remove = InlineKeyboardButton(f"✖ {number}", callback_data=cd.build(cd.CART_REMOVE, product_id))
    if not orderable:
        return [remove]
    return [
        InlineKeyboardButton(f"➖ {number}", callback_data=cd.build(cd.CART_DECREASE, product_id)),
        InlineKeyboardButton(f"➕ {number}", callback_data=cd.build(cd.CART_INCREASE, product_id)),
        remove,
    ]


def _catalog_button(_: Texts) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, 0, 0))


def cart_unavailable_screen(_: Texts) -> Screen:
    return Screen(
        _(
            "Your cart cannot be shown right now: the shop does not answer. "
            "It is kept; please try again in a minute."
        ),
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_("🔄 Try again"), callback_data=cd.menu(cd.SECTION_CART))],
                back_to_menu_row(_),
            ]
        ),
    )
