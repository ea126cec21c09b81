"""Products shared into any chat (inline mode): the list `@bot <words>` shows, and the card
each result sends, with a button that opens the product in the bot (a `p_<id>` deep link)."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from locales import Texts
from shop.catalog import CatalogProduct
from ui.formatting import escape, money, shorten

RESULT_TITLE_LIMIT = 100
CARD_DESCRIPTION_LIMIT = 300
INLINE_RESULTS_LIMIT = 50  # Telegram's most results for one inline query


def product_link(bot_username: str, product_id: int, campaign: str) -> str:
    """The deep link that opens the product in the bot: `/start p_<id>_<campaign>`."""
    return f"https://t.me/{bot_username}?start=p_{product_id}_{campaign}"


def shared_results(
    _: Texts,
    products: tuple[CatalogProduct, ...],
    bot_username: str,
    language: str,
    campaign: str,
) -> list[InlineQueryResultArticle]:
    """One result per product (photo, title, price); choosing one sends its card, whose
    button's link carries `campaign` to the order."""
    return [
        InlineQueryResultArticle(
            id=str(product.id),
            title=shorten(product.shown_title, RESULT_TITLE_LIMIT),
            description=_price_line(_, product, language),
            thumbnail_url=product.image_url,
            input_message_content=InputTextMessageContent(shared_card_text(_, product, language)),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("🛒 Order in the bot"),
                            url=product_link(bot_username, product.id, campaign),
                        )
                    ]
                ]
            ),
        )
        for product in products[:INLINE_RESULTS_LIMIT]
    ]


def shared_card_text(_: Texts, product: CatalogProduct, language: str) -> str:
    """The card as it lands in the other chat: title, price, status and description."""
    lines = [
        f"<b>{escape(shorten(product.shown_title, RESULT_TITLE_LIMIT))}</b>",
        escape(_price_line(_, product, language)),
    ]
    if product.description:
        lines += ["", escape(shorten(product.description, CARD_DESCRIPTION_LIMIT))]
    return "\n".join(lines)


def _price_line(_: Texts, product: CatalogProduct, language: str) -> str:
    price = money(product.price, product.currency, language)
    if not product.orderable:
        return f"{price} · {_('Out of stock')}"
    if product.status_title:
        return f"{price} · {shorten(product.status_title, 40)}"
    return price
