"""The catalog as the customer sees it: categories and pages of products, search results, and
a product's card with its quantity picker."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from shop.catalog import CatalogListing, CatalogProduct, SearchResult
from ui import callback_data as cd
from ui.formatting import escape, money, shorten
from ui.keyboards import back_to_menu_row, pager_row
from ui.screen import Screen

BUTTON_TITLE_LIMIT = 40
BACK_TITLE_LIMIT = 30
# A photo caption holds 1024 characters in all: title, price, status and notes stay well
# within what is left after the description.
CARD_TITLE_LIMIT = 150
CARD_STATUS_LIMIT = 60
CARD_DESCRIPTION_LIMIT = 500
SEARCH_ECHO_LIMIT = 60
ALBUM_LIMIT = 10  # Telegram's most photos in one album
CARD_DETAILS = 6  # attributes on a card, at most (the caption holds 1024 characters)
CARD_DETAIL_LIMIT = 40


def catalog_screen(_: Texts, listing: CatalogListing, language: str) -> Screen:
    """A catalog screen: the category's sub-categories, a page of its own products, the pager
    and the way back (to the parent category, or to the menu from the first screen)."""
    category_id = listing.category_id
    rows = [
        [
            InlineKeyboardButton(
                f"📂 {shorten(category.title, BUTTON_TITLE_LIMIT)}",
                callback_data=cd.build(cd.CATALOG_PAGE, category.id, 0),
            )
        ]
        for category in listing.subcategories
    ]
    page = listing.page
    rows += [
        [product_button(product, language, category_id, page.number)] for product in page.products
    ]
    if page.count > 1:
        rows.append(pager_row(cd.CATALOG_PAGE, page.number, page.count, category_id))
    cart = InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))
    if listing.is_front:
        rows.append([cart, *back_to_menu_row(_)])
    else:
        parent = listing.parent
        back = (
            _("⬅️ Catalog")
            if listing.back_id == 0 or parent is None
            else f"⬅️ {shorten(parent.title, BACK_TITLE_LIMIT)}"
        )
        rows.append(
            [
                InlineKeyboardButton(
                    back, callback_data=cd.build(cd.CATALOG_PAGE, listing.back_id, 0)
                ),
                cart,
            ]
        )
    return Screen(_catalog_text(_, listing), InlineKeyboardMarkup(rows))


def _catalog_text(_: Texts, listing: CatalogListing) -> str:
    if listing.is_front or listing.category is None:
        heading = _("<b>Catalog</b>")
    else:
        heading = f"<b>{escape(shorten(listing.category.title, CARD_TITLE_LIMIT))}</b>"
    if listing.subcategories and listing.page.products:
        hint = _("Choose a category, or tap a product to see it.")
    elif listing.subcategories:
        hint = _("Choose a category.")
    elif listing.page.products:
        hint = _("Tap a product to see it.")
    elif listing.is_front:
        hint = _("There is nothing for sale right now.")
    else:
        hint = _("There is nothing in this category right now.")
    search = _("Or type a product's name to search.")
    return "\n".join([heading, hint, search])


def product_button(
    product: CatalogProduct, language: str, category_id: int, page: int
) -> InlineKeyboardButton:
    """A product's line in a list: its title and price (✖ when it cannot be ordered)."""
    return InlineKeyboardButton(
        f"{shorten(product.shown_title, BUTTON_TITLE_LIMIT)} · "
        f"{money(product.price, product.currency, language)}" + ("" if product.orderable else " ✖"),
        callback_data=cd.build(cd.PRODUCT, product.id, category_id, page),
    )


def product_screen(
    _: Texts,
    product: CatalogProduct,
    quantity: int,
    in_cart: int,
    place: tuple[int, int],
    language: str,
) -> Screen:
    """A product's card; `place` is the (category id, page) its "back" button returns to."""
    lines = [
        f"<b>{escape(shorten(product.shown_title, CARD_TITLE_LIMIT))}</b>",
        money(product.price, product.currency, language),
    ]
    if product.status_title:
        lines.append(f"<i>{escape(shorten(product.status_title, CARD_STATUS_LIMIT))}</i>")
    if not product.orderable:
        lines.append(_("Out of stock: this product cannot be ordered right now."))
    lines += [
        f"{escape(shorten(title, CARD_DETAIL_LIMIT))}: {escape(shorten(value, CARD_DETAIL_LIMIT))}"
        for title, value in product.details[:CARD_DETAILS]
    ]
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
                    callback_data=cd.build(cd.PRODUCT_QUANTITY, product.id, quantity - 1, *place),
                ),
                InlineKeyboardButton(str(quantity), callback_data=cd.NOOP),
                InlineKeyboardButton(
                    "➕",
                    callback_data=cd.build(cd.PRODUCT_QUANTITY, product.id, quantity + 1, *place),
                ),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    _("Add to cart"),
                    callback_data=cd.build(cd.ADD_TO_CART, product.id, quantity, *place),
                )
            ]
        )
    if len(product.image_urls) > 1:
        photos = min(len(product.image_urls), ALBUM_LIMIT)
        rows.append(
            [
                InlineKeyboardButton(
                    _("🖼 Photos ({count})", count=photos),
                    callback_data=cd.build(cd.PRODUCT_PHOTOS, product.id),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(_("⬅️ Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, *place)),
            InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART)),
        ]
    )
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows), photo_url=product.image_url)


def album(product: CatalogProduct) -> tuple[tuple[str, ...], str]:
    """A product's pictures as one album (Telegram's 10 at most) and its caption."""
    caption = f"<b>{escape(shorten(product.shown_title, CARD_TITLE_LIMIT))}</b>"
    return product.image_urls[:ALBUM_LIMIT], caption


def unavailable_screen(_: Texts) -> Screen:
    return Screen(
        _("The catalog cannot be loaded right now. Please try again in a minute."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("🔄 Try again"), callback_data=cd.build(cd.CATALOG_PAGE, 0, 0)
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
            [[InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, 0, 0))]]
        ),
    )


def search_screen(_: Texts, query: str, result: SearchResult, language: str) -> Screen:
    """Up to a page of matches as buttons, or "nothing found" with the way to the catalog."""
    shown = escape(shorten(query, SEARCH_ECHO_LIMIT))
    catalog = InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.build(cd.CATALOG_PAGE, 0, 0))
    if not result.products:
        text = "\n".join(
            [
                _("Nothing found for “{query}”.", query=shown),
                _("Try another word, or browse the catalog."),
            ]
        )
        return Screen(text, InlineKeyboardMarkup([[catalog, *back_to_menu_row(_)]]))
    lines = [_("<b>Found for “{query}”</b>", query=shown)]
    if result.total > len(result.products):
        lines.append(
            _(
                "The first {shown} of {total}: type more of the name to narrow it down.",
                shown=len(result.products),
                total=result.total,
            )
        )
    lines.append(_("Tap a product to see it."))
    rows = [[product_button(product, language, 0, 0)] for product in result.products]
    rows.append(
        [catalog, InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART))]
    )
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows))


def search_prompt_screen(_: Texts) -> Screen:
    """`/search` without words: what to do next."""
    return Screen(
        _("Type what you are looking for, for example: <i>green tea</i>."),
        InlineKeyboardMarkup([back_to_menu_row(_)]),
    )
