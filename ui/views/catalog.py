"""The catalog as the customer sees it: pages of products, and a product's card with its
quantity picker."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.catalog import CatalogPage, CatalogProduct
from ui import callback_data as cd
from ui.formatting import escape, money, shorten
from ui.keyboards import back_to_menu_row, pager_row
from ui.screen import Screen

BUTTON_TITLE_LIMIT = 40
# A photo caption holds 1024 characters in all: title, price, status and notes stay well
# within what is left after the description.
CARD_TITLE_LIMIT = 150
CARD_STATUS_LIMIT = 60
CARD_DESCRIPTION_LIMIT = 500


def catalog_screen(_: Texts, page: CatalogPage, language: str) -> Screen:
    rows = [
        [
            InlineKeyboardButton(
                f"{shorten(product.shown_title, BUTTON_TITLE_LIMIT)} · "
                f"{money(product.price, product.currency, language)}"
                + ("" if product.orderable else " ✖"),
                callback_data=cd.build(cd.PRODUCT, product.id, page.number),
            )
        ]
        for product in page.products
    ]
    if page.count > 1:
        rows.append(pager_row(cd.CATALOG_PAGE, page.number, page.count))
    rows.append(
        [
            InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART)),
            *back_to_menu_row(_),
        ]
    )
    text = _("<b>Catalog</b>") + "\n" + _("Tap a product to see it.")
    if not page.products:
        text = _("<b>Catalog</b>") + "\n" + _("There is nothing for sale right now.")
    return Screen(text, InlineKeyboardMarkup(rows))


def product_screen(
    _: Texts, product: CatalogProduct, quantity: int, in_cart: int, page: int, language: str
) -> Screen:
    lines = [
        f"<b>{escape(shorten(product.shown_title, CARD_TITLE_LIMIT))}</b>",
        money(product.price, product.currency, language),
    ]
    if product.status_title:
        lines.append(f"<i>{escape(shorten(product.status_title, CARD_STATUS_LIMIT))}</i>")
    if not product.orderable:
        lines.append(_("Out of stock: this product cannot be ordered right now."))
    if product.description:
        lines.append("")
        lines.append(escape(shorten(product.description, CARD_DESCRIPTION_LIMIT)))
    if in_cart:
        lines.append("")
        lines.append(_("In your cart: {count}", count=in_cart))
    rows: list[list[InlineKeyboardButton]] = []
    if product.orderable:
        rows.append(
            [
                InlineKeyboardButton(
                    "➖",
                    callback_data=cd.build(cd.PRODUCT_QUANTITY, product.id, quantity - 1, page),
                ),
                InlineKeyboardButton(str(quantity), callback_data=cd.NOOP),
                InlineKeyboardButton(
                    "➕",
                    callback_data=cd.build(cd.PRODUCT_QUANTITY, product.id, quantity + 1, page),
                ),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    _("Add to cart"),
                    callback_data=cd.build(cd.ADD_TO_CART, product.id, quantity, page),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(_("⬅️ Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, page)),
            InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART)),
        ]
    )
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows), photo_url=product.image_url)


def unavailable_screen(_: Texts) -> Screen:
    return Screen(
        _("The catalog cannot be loaded right now. Please try again in a minute."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("🔄 Try again"), callback_data=cd.build(cd.CATALOG_PAGE, 0)
                    )
                ],
                back_to_menu_row(_),
            ]
        ),
    )


def missing_product_screen(_: Texts) -> Screen:
    return Screen(
        _("This product is no longer available."),
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, 0))]]
        ),
    )
