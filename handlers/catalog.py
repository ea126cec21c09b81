"""Browsing: categories and catalog pages, product cards with a quantity picker and their
photos, and adding to the cart."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from shop.cart import MAX_QUANTITY, CartFull
from shop.catalog import CatalogUnavailable
from ui import callback_data as cd
from ui.album import send_album
from ui.context import ShopContext
from ui.sending import show
from ui.updates import callback_query, chat_id
from ui.views import catalog as views

Place = tuple[int, int]  # (category id, page): where a card's "back" returns; (0, 0) the front
FRONT: Place = (0, 0)


async def show_catalog(
    update: Update, context: ShopContext, category_id: int = 0, page: int = 0
) -> None:
    """Shows a category's page (0: the catalog's first screen), from the cache: OneEntry is
    asked once per category page per period."""
    _ = context.texts
    try:
        listing = await context.shop.catalog.listing(context.content_lang, category_id, page)
    except CatalogUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    await show(update, context, views.catalog_screen(_, listing, context.language))


async def open_product(
    update: Update, context: ShopContext, product_id: int, place: Place, quantity: int = 1
) -> None:
    """Shows a product card; used by catalog and search buttons and `/start p_<id>` links."""
    _ = context.texts
    try:
        product = await context.shop.catalog.product(product_id, context.content_lang)
    except CatalogUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    if product is None:
        await show(update, context, views.missing_product_screen(_))
        return
    quantity = min(max(quantity, 1), MAX_QUANTITY)
    in_cart = context.cart.quantity(product_id)
    await show(
        update,
        context,
        views.product_screen(_, product, quantity, in_cart, place, context.language),
    )


async def catalog_command(update: Update, context: ShopContext) -> None:
    await show_catalog(update, context)


async def catalog_button(update: Update, context: ShopContext) -> None:
    """The menu's Catalog button, a category, the page arrows and "back"."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    groups = context.matches[0].groups() if context.matches else ()
    category_id, page = (int(value) for value in groups) if groups else FRONT
    await show_catalog(update, context, category_id, page)


async def product_button(update: Update, context: ShopContext) -> None:
    query = update.callback_query
    assert query is not None and context.matches
    await query.answer()
    product_id, category_id, page = (int(value) for value in context.matches[0].groups())
    await open_product(update, context, product_id, (category_id, page))


async def quantity_button(update: Update, context: ShopContext) -> None:
    """− / + on a card: changes the quantity shown; nothing is added yet."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id, quantity, category_id, page = (int(v) for v in context.matches[0].groups())
    if not 1 <= quantity <= MAX_QUANTITY:
        await query.answer(
            context.texts("You can order from 1 to {max} at once.", max=MAX_QUANTITY)
        )
        return
    await query.answer()
    await open_product(update, context, product_id, (category_id, page), quantity)


async def add_to_cart_button(update: Update, context: ShopContext) -> None:
    """Adds the chosen quantity; out-of-stock or vanished products are refused with a reason."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id, quantity, category_id, page = (int(v) for v in context.matches[0].groups())
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
    await open_product(update, context, product_id, (category_id, page))


async def photos_button(update: Update, context: ShopContext) -> None:
    """🖼 Photos on a card: every picture of the product as one album, under the card."""
    query = callback_query(update)
    assert context.matches
    _ = context.texts
    product_id = int(context.matches[0].group(1))
    try:
        product = await context.shop.catalog.product(product_id, context.content_lang)
    except CatalogUnavailable:
        await query.answer(_("The catalog cannot be loaded right now."), show_alert=True)
        return
    if product is None or len(product.image_urls) < 2:
        await query.answer(_("This product is no longer available."), show_alert=True)
        return
    await query.answer()
    photos, caption = views.album(product)
    await send_album(context, chat_id(update), photos, caption)


async def noop_button(update: Update, context: ShopContext) -> None:
    """Label-only buttons (page counter, quantity) still need an answer, or the spinner stays."""
    await callback_query(update).answer()


def catalog_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    return [
        CommandHandler("catalog", catalog_command),
        CallbackQueryHandler(catalog_button, pattern=cd.menu_pattern(cd.SECTION_CATALOG)),
        CallbackQueryHandler(
            catalog_button, pattern=cd.pattern(cd.CATALOG_PAGE, cd.NUMBER, cd.NUMBER)
        ),
        CallbackQueryHandler(
            product_button, pattern=cd.pattern(cd.PRODUCT, cd.NUMBER, cd.NUMBER, cd.NUMBER)
        ),
        CallbackQueryHandler(
            quantity_button,
            pattern=cd.pattern(cd.PRODUCT_QUANTITY, cd.NUMBER, cd.SIGNED, cd.NUMBER, cd.NUMBER),
        ),
        CallbackQueryHandler(
            add_to_cart_button,
            pattern=cd.pattern(cd.ADD_TO_CART, cd.NUMBER, cd.NUMBER, cd.NUMBER, cd.NUMBER),
        ),
        CallbackQueryHandler(photos_button, pattern=cd.pattern(cd.PRODUCT_PHOTOS, cd.NUMBER)),
        CallbackQueryHandler(noop_button, pattern=cd.exact_pattern(cd.NOOP)),
    ]
