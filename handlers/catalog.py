"""Browsing: catalog pages, product cards with a quantity picker, and adding to the cart."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from application.context import ShopContext
from handlers import callback_data as cd
from handlers.formatting import escape, money, shorten
from handlers.keyboards import back_to_menu_row, pager_row
from handlers.screens import Screen, show
from locales import Texts
from shop.cart import MAX_QUANTITY, CartFull
from shop.catalog import CatalogPage, CatalogProduct, CatalogUnavailable

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
                f"{shorten(product.title, BUTTON_TITLE_LIMIT)} · "
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
        f"<b>{escape(shorten(product.title, CARD_TITLE_LIMIT))}</b>",
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


async def show_catalog(update: Update, context: ShopContext, page: int = 0) -> None:
    """Shows one page of the catalog (from the cache; OneEntry is asked once per period)."""
    _ = context.texts
    try:
        snapshot = await context.shop.catalog.snapshot(context.content_lang)
    except CatalogUnavailable:
        await show(update, context, unavailable_screen(_))
        return
    catalog_page = snapshot.page(page, context.shop.config.catalog_page_size)
    await show(update, context, catalog_screen(_, catalog_page, context.language))


async def open_product(
    update: Update, context: ShopContext, product_id: int, page: int, quantity: int = 1
) -> None:
    """Shows a product card; used by catalog buttons and `/start p_<id>` deep links."""
    _ = context.texts
    try:
        product = await context.shop.catalog.product(product_id, context.content_lang)
    except CatalogUnavailable:
        await show(update, context, unavailable_screen(_))
        return
    if product is None:
        await show(update, context, missing_product_screen(_))
        return
    quantity = min(max(quantity, 1), MAX_QUANTITY)
    in_cart = context.cart.quantity(product_id)
    await show(
        update, context, product_screen(_, product, quantity, in_cart, page, context.language)
    )


async def catalog_command(update: Update, context: ShopContext) -> None:
    await show_catalog(update, context)


async def catalog_button(update: Update, context: ShopContext) -> None:
    """The menu's Catalog button and the page arrows."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    page = (
        int(context.matches[0].group(1)) if context.matches and context.matches[0].groups() else 0
    )
    await show_catalog(update, context, page)


async def product_button(update: Update, context: ShopContext) -> None:
    query = update.callback_query
    assert query is not None and context.matches
    await query.answer()
    product_id, page = (int(value) for value in context.matches[0].groups())
    await open_product(update, context, product_id, page)


async def quantity_button(update: Update, context: ShopContext) -> None:
    """− / + on a card: changes the quantity shown; nothing is added yet."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id, quantity, page = (int(value) for value in context.matches[0].groups())
    if not 1 <= quantity <= MAX_QUANTITY:
        await query.answer(
            context.texts("You can order from 1 to {max} at once.", max=MAX_QUANTITY)
        )
        return
    await query.answer()
    await open_product(update, context, product_id, page, quantity)


async def add_to_cart_button(update: Update, context: ShopContext) -> None:
    """Adds the chosen quantity; out-of-stock or vanished products are refused with a reason."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id, quantity, page = (int(value) for value in context.matches[0].groups())
    _ = context.texts
    try:
        product = await context.shop.catalog.product(product_id, context.content_lang)
    except CatalogUnavailable:
        await query.answer(_("The catalog cannot be loaded right now."), show_alert=True)
        return
    if product is None or not product.orderable:
        await query.answer(_("Sorry, this product cannot be ordered right now."), show_alert=True)
        return
    try:
        total = context.cart.add(product_id, max(quantity, 1))
    except CartFull:
        await query.answer(_("Your cart is full. Remove something first."), show_alert=True)
        return
    await query.answer(_("Added. In your cart: {count}", count=total))
    await open_product(update, context, product_id, page)


async def noop_button(update: Update, context: ShopContext) -> None:
    """Label-only buttons (page counter, quantity) still need an answer, or the spinner stays."""
    await update.callback_query.answer()  # type: ignore[union-attr]


def catalog_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("catalog", catalog_command),
        CallbackQueryHandler(catalog_button, pattern=cd.menu_pattern(cd.SECTION_CATALOG)),
        CallbackQueryHandler(catalog_button, pattern=cd.pattern(cd.CATALOG_PAGE, cd.NUMBER)),
        CallbackQueryHandler(product_button, pattern=cd.pattern(cd.PRODUCT, cd.NUMBER, cd.NUMBER)),
        CallbackQueryHandler(
            quantity_button,
            pattern=cd.pattern(cd.PRODUCT_QUANTITY, cd.NUMBER, cd.SIGNED, cd.NUMBER),
        ),
        CallbackQueryHandler(
            add_to_cart_button, pattern=cd.pattern(cd.ADD_TO_CART, cd.NUMBER, cd.NUMBER, cd.NUMBER)
        ),
        CallbackQueryHandler(noop_button, pattern=f"^{cd.NOOP}$"),
    ]
