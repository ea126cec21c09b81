"""What a callback reads off its update. Handlers are registered for updates that carry these
(a command has a sender and a chat, a button a query), so a missing one is a wiring bug and
fails loudly instead of being typed away."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import filters

# A customer's own data (their orders, the checkout's phone and email) is asked for and shown
# in their private chat with the bot only, never in a group the bot is in.
PRIVATE_CHAT = filters.ChatType.PRIVATE


def sender_id(update: Update) -> int:
    """The Telegram user the update comes from."""
    user = update.effective_user
    if user is None:
        raise LookupError(f"update {update.update_id} has no sender")
    return user.id


def chat_id(update: Update) -> int:
    """The chat the answer goes to."""
    chat = update.effective_chat
    if chat is None:
        raise LookupError(f"update {update.update_id} has no chat")
    return chat.id


def callback_query(update: Update) -> CallbackQuery:
    """The tapped button's query."""
    if update.callback_query is None:
        raise LookupError(f"update {update.update_id} is not a button tap")
    return update.callback_query


def message(update: Update) -> Message:
    """The customer's message (new or edited)."""
    if update.effective_message is None:
        raise LookupError(f"update {update.update_id} has no message")
    return update.effective_message


def message_text(update: Update) -> str:
    """The text the customer sent (handlers for it filter on TEXT)."""
    return message(update).text or ""


def telegram_unreachable(error: TelegramError) -> bool:
    """Telegram did not take a call for a reason outside the bot: the customer blocked it, the
    network failed or timed out, flood control outlasted the retries. A refusal of what the
    bot sent (BadRequest, though PTB makes it a NetworkError) is the bot's own bug."""
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, Forbidden | NetworkError | RetryAfter)
