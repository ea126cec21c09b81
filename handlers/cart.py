"""The cart's buttons: − / + / ✖ on a line, and the cart from the menu or /cart.

Prices come from the catalog each time the cart is shown (the cached listing), so the
customer always sees what OneEntry charges now.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from shop.cart import MAX_QUANTITY
from shop.catalog import CatalogUnavailable
from ui import callback_data as cd
from ui.context import ShopContext
from ui.sending import show
from ui.updates import callback_query
from ui.views import cart as views


async def show_cart(update: Update, context: ShopContext) -> None:
    """Shows the cart priced from the catalog (its products, cached)."""
    _ = context.texts
    try:
        snapshot = await context.shop.catalog.products(context.cart.lines, context.content_lang)
    except CatalogUnavailable:
        await show(update, context, views.cart_unavailable_screen(_))
        return
    await show(
        update, context, views.cart_screen(_, context.cart, snapshot.by_id, context.language)
    )


async def cart_command(update: Update, context: ShopContext) -> None:
    await show_cart(update, context)


async def cart_button(update: Update, context: ShopContext) -> None:
    """The menu's and the catalog's Cart button."""
    await callback_query(update).answer()
    await show_cart(update, context)


async def increase_button(update: Update, context: ShopContext) -> None:
    """➕ on a line: one more, up to the per-line limit."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id = int(context.matches[0].group(1))
    _ = context.texts
    quantity = context.cart.quantity(product_id)
    if quantity == 0:
        await query.answer(_("This product is no longer in your cart."))
    elif quantity >= MAX_QUANTITY:
        await query.answer(_("You can order from 1 to {max} at once.", max=MAX_QUANTITY))
        return
    else:
        await query.answer()
        context.cart.set(product_id, quantity + 1)
    await show_cart(update, context)


async def decrease_button(update: Update, context: ShopContext) -> None:
    """➖ on a line: one fewer; at one, the line goes."""
    query = update.callback_query
    assert query is not None and context.matches
    product_id = int(context.matches[0].group(1))
    await query.answer()
    context.cart.set(product_id, context.cart.quantity(product_id) - 1)
    await show_cart(update, context)


async def remove_button(update: Update, context: ShopContext) -> None:
    """✖ on a line: the line goes, whatever its quantity."""
    query = update.callback_query
    assert query is not None and context.matches
    await query.answer(context.texts("Removed from your cart."))
    context.cart.remove(int(context.matches[0].group(1)))
    await show_cart(update, context)


def cart_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    return [
        CommandHandler("cart", cart_command),
        CallbackQueryHandler(cart_button, pattern=cd.menu_pattern(cd.SECTION_CART)),
        CallbackQueryHandler(increase_button, pattern=cd.pattern(cd.CART_INCREASE, cd.NUMBER)),
        CallbackQueryHandler(decrease_button, pattern=cd.pattern(cd.CART_DECREASE, cd.NUMBER)),
        CallbackQueryHandler(remove_button, pattern=cd.pattern(cd.CART_REMOVE, cd.NUMBER)),
    ]
