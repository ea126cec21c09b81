"""Showing a screen: edit the message a button was tapped on, or send a new one.

Navigation edits in place so the chat does not fill up with menus. Telegram cannot turn a text
message into a photo or back: a product's photo card opened from a list comes below the list,
which stays (one call, not two, and the list is still there to tap), and a text screen opened
from a photo card replaces the card. A double tap
that would show the same screen again ("message is not modified") is not an error. An order's
own message is never overwritten: the payment follow-up keeps it up to date, so a screen
opened from it goes below it. Parse mode (HTML) and link previews (off) are the bot's
`Defaults`, set once in the builder. The customer's data is written first
(`ShopContext.save_now`), so nothing a screen acknowledges can be lost after it is seen.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Bot, Message, Update
from telegram.error import BadRequest

from ui.context import ShopContext
from ui.screen import Screen

logger = logging.getLogger(__name__)


def is_not_modified(error: BadRequest) -> bool:
    return "message is not modified" in str(error).lower()


async def show(update: Update, context: ShopContext, screen: Screen) -> Message | None:
    """Show `screen` where the customer is looking: in place after a tap, else as a new
    message. Handlers answer the callback query themselves, first, before any slow work."""
    await context.save_now(screen)
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        chat = update.effective_chat
        return await send(context, chat.id, screen) if chat is not None else None
    message = query.message
    if not screen.is_editable or await context.shop.ledger.order_shown_in(
        message.chat_id, message.message_id
    ):
        return await send(context, message.chat_id, screen)
    if bool(message.photo) == bool(screen.photo_url):
        return await _edit(message, screen)
    sent = await send(context, message.chat_id, screen)
    if message.photo:  # a list tapped into a photo stays above it, still a list to tap
        await _delete_quietly(message)
    return sent


async def send(context: ShopContext, chat_id: int, screen: Screen) -> Message:
    """Send `screen` as a new message; a photo Telegram cannot fetch falls back to text."""
    await context.save_now(screen)
    return await deliver(context.bot, chat_id, screen)


async def deliver(bot: Bot, chat_id: int, screen: Screen) -> Message:
    """`screen` as a new message, with nothing saved first (`send` saves; the inbox's
    take-over shows a saved screen again)."""
    if screen.photo_url:
        try:
            return await bot.send_photo(
                chat_id, screen.photo_url, caption=screen.text, reply_markup=screen.keyboard
            )
        except BadRequest as error:
            if "can't parse" in str(error).lower():
                raise
    return await bot.send_message(chat_id, screen.text, reply_markup=screen.keyboard)


async def redraw(bot: Bot, chat_id: int, message_id: int, screen: Screen) -> bool:
    """Show `screen` in an existing text message (an order's own message); False when
    Telegram cannot edit it any more (deleted, or too old), so the caller sends a new one."""
    try:
        await bot.edit_message_text(
            screen.text, chat_id=chat_id, message_id=message_id, reply_markup=screen.inline_keyboard
        )
    except BadRequest as error:
        if is_not_modified(error):
            return True
        logger.info("message %s not redrawn: %s", message_id, error.message)
        return False
    return True


async def _edit(message: Message, screen: Screen) -> Message:
    keyboard = screen.inline_keyboard
    try:
        if screen.photo_url:
            edited = await message.edit_caption(screen.text, reply_markup=keyboard)
        else:
            edited = await message.edit_text(screen.text, reply_markup=keyboard)
    except BadRequest as error:
        if is_not_modified(error):
            return message
        raise
    return edited if isinstance(edited, Message) else message


async def _delete_quietly(message: Message) -> None:
    """Old screens may be too old to delete (48 h) or already gone; that is fine."""
    with contextlib.suppress(BadRequest):
        await message.delete()
