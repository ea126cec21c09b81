"""A minimal PTB application against the fake, end to end over HTTP: start-up, a command, a
button tap answered and edited, a not-modified edit, a contact share and a clean shutdown,
with the exact Bot API calls checked in order."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fixtures.telegram import TelegramFake, fake_application_builder, running

ALICE = 1001
CART = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Add tea", callback_data="add")],
        [InlineKeyboardButton("Refresh", callback_data="refresh")],
    ]
)
ASK_PHONE = ReplyKeyboardMarkup(
    [[KeyboardButton("Share my phone", request_contact=True)]], one_time_keyboard=True
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets with the deep-link payload and shows the cart buttons."""
    payload = " ".join(context.args or [])
    await update.effective_message.reply_html(f"Welcome! <i>{payload}</i>", reply_markup=CART)


async def add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the tap first, then shows the cart and asks for the phone."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_text("Cart: 1 tea", reply_markup=CART)
    await query.message.chat.send_message("Your phone?", reply_markup=ASK_PHONE)


async def refresh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Re-renders an unchanged cart: Telegram says 'not modified', which is fine."""
    query = update.callback_query
    await query.answer()
    try:
        await query.edit_message_text("Cart: 1 tea", reply_markup=CART)
    except BadRequest as exc:
        if "message is not modified" not in str(exc).lower():
            raise
        context.chat_data["not_modified"] = True


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    phone = update.effective_message.contact.phone_number
    await update.effective_message.reply_text(
        f"Thanks, {phone}", reply_markup=ReplyKeyboardRemove()
    )


def smoke_application(fake: TelegramFake) -> Application:
    application = fake_application_builder(fake).build()
    application.add_handlers(
        [
            CommandHandler("start", start),
            CallbackQueryHandler(add, pattern="^add$"),
            CallbackQueryHandler(refresh, pattern="^refresh$"),
            MessageHandler(filters.CONTACT, contact),
        ]
    )
    return application


async def test_a_minimal_ptb_bot_runs_against_the_fake(telegram_fake: TelegramFake):
    fake = telegram_fake.client
    alice = await fake.customer(user_id=ALICE, first_name="Alice")
    application = smoke_application(telegram_fake)
    async with running(application, telegram_fake) as bot:
        await alice.command("start", payload="p_12")
        await bot.settle()
        await alice.tap("Add tea")
        await bot.settle()
        await alice.tap("Refresh")
        await bot.settle()
        await alice.share_contact("+79991234567")
        await bot.settle()
        assert application.chat_data[ALICE]["not_modified"] is True

    chat = await alice.chat()
    assert [m.text for m in chat.messages] == [
        "/start p_12",
        "Cart: 1 tea",
        "Your phone?",
        None,  # the contact
        "Thanks, +79991234567",
    ]
    assert chat.messages[1].labels == ["Add tea", "Refresh"] and chat.messages[1].edited
    assert chat.reply_keyboard is None

    calls = await fake.calls()
    # Start-up exactly as PTB does it, and the final confirming poll at shutdown.
    assert [c["method"] for c in calls[:3]] == ["getMe", "deleteWebhook", "getUpdates"]
    assert calls[2]["params"].get("offset", 0) == 0
    last = calls[-1]
    assert (last["method"], last["params"]["timeout"]) == ("getUpdates", 0)
    assert last["params"]["offset"] == telegram_fake.state.updates.last_update_id + 1
    assert telegram_fake.state.updates.pending == []

    # Everything the bot did, in order (the getUpdates polls interleave freely).
    done = [
        (c["method"], c["error_code"], c["params"].get("text"))
        for c in calls
        if c["method"] != "getUpdates"
    ]
    assert done == [
        ("getMe", None, None),
        ("deleteWebhook", None, None),
        ("sendMessage", None, "Welcome! p_12"),
        ("answerCallbackQuery", None, None),
        ("editMessageText", None, "Cart: 1 tea"),
        ("sendMessage", None, "Your phone?"),
        ("answerCallbackQuery", None, None),
        ("editMessageText", 400, "Cart: 1 tea"),
        ("sendMessage", None, "Thanks, +79991234567"),
    ]
    offsets = [c["params"].get("offset", 0) for c in calls if c["method"] == "getUpdates"]
    assert offsets == sorted(offsets)
