"""Sending several photos as one album (a product's gallery): Telegram's media group."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InputMediaPhoto

from ui.context import ShopContext


async def send_album(
    context: ShopContext, chat_id: int, photo_urls: Sequence[str], caption: str
) -> None:
    """The photos in one message group, `caption` (HTML, escaped) under the first."""
    await context.save_now()
    media = [
        InputMediaPhoto(url, caption=caption if number == 0 else None)
        for number, url in enumerate(photo_urls)
    ]
    await context.bot.send_media_group(chat_id, media)
