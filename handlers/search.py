"""Finding a product by typing: any text outside a checkout step, `/search <words>`, and
`@<bot> <words>` in any chat (inline mode), all answered from OneEntry's quick search."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import (
    BaseHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from shop.catalog import CatalogUnavailable
from ui.context import ShopContext
from ui.sending import show
from ui.updates import PRIVATE_CHAT, message
from ui.views import catalog as views
from ui.views import shared_products

logger = logging.getLogger(__name__)

# A customer's own words, typed in the bot's chat (not a card sent through the bot).
TYPED_TEXT = (
    filters.UpdateType.MESSAGE & PRIVATE_CHAT & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT
)
INLINE_CACHE_SECONDS = 30
SHARED_CAMPAIGN = "shared"  # the campaign of a card shared without a #tag
CAMPAIGN_TAG = re.compile(r"^#([A-Za-z0-9_-]{1,40})$")


def campaign_of(text: str) -> tuple[str, str]:
    """The search words and the campaign of an inline query: `green tea #spring`."""
    words, tags = [], []
    for word in text.split():
        match = CAMPAIGN_TAG.match(word)
        if match:
            tags.append(match.group(1))
        else:
            words.append(word)
    return " ".join(words), tags[0] if tags else SHARED_CAMPAIGN


async def search(update: Update, context: ShopContext, words: str) -> None:
    """Up to a page of matches, or "nothing found" with the way to the catalog."""
    _ = context.texts
    try:
        result = await context.shop.catalog.search(words, context.content_lang)
    except CatalogUnavailable:
        await show(update, context, views.unavailable_screen(_))
        return
    await show(update, context, views.search_screen(_, words, result, context.language))


async def typed_text(update: Update, context: ShopContext) -> None:
    """Text outside a checkout step is a search."""
    await search(update, context, message(update).text or "")


async def search_command(update: Update, context: ShopContext) -> None:
    """`/search green tea`; a bare `/search` says what to type."""
    words = " ".join(context.args or [])
    if not words.strip():
        await show(update, context, views.search_prompt_screen(context.texts))
        return
    await search(update, context, words)


async def inline_query(update: Update, context: ShopContext) -> None:
    """`@bot <words>` in any chat: matching products; no words: the catalog's first page.
    A `#tag` among the words is the campaign the cards' links carry (else "shared")."""
    query = update.inline_query
    assert query is not None
    _ = context.texts
    lang = context.content_lang
    words, campaign = campaign_of(query.query)
    try:
        if words:
            products = (await context.shop.catalog.search(words, lang)).products
        else:
            products = (await context.shop.catalog.listing(lang, 0, 0)).page.products
    except CatalogUnavailable:
        products = ()
    results = shared_products.shared_results(
        _, products, context.bot.username, context.language, campaign
    )
    # Personal: the texts are in the asker's language.
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)


async def chosen_result(update: Update, context: ShopContext) -> None:
    """A card was sent into a chat (Telegram tells when inline feedback is on): counted only."""
    chosen = update.chosen_inline_result
    assert chosen is not None
    logger.info("shared product %s through inline mode", chosen.result_id)


def search_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    """After every other handler of the customers': a text no step took is a search."""
    return [
        CommandHandler("search", search_command, filters=PRIVATE_CHAT),
        MessageHandler(TYPED_TEXT, typed_text),
        InlineQueryHandler(inline_query),
        ChosenInlineResultHandler(chosen_result),
    ]
