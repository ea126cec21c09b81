"""The checkout's detail steps end to end: name, phone and email, every error, Back, /cancel."""

from __future__ import annotations

import pytest

from tests.e2e.journeys import (
    EMAIL,
    PHONE,
    STEPS,
    add_product,
    command,
    say,
    share,
    tap,
    to_summary,
    walk_to,
)
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_the_summary_shows_items_prices_details_and_payment(
    shop_bot: RunningBot, alice
) -> None:  # type: ignore[no-untyped-def]
    summary = await to_summary(shop_bot, alice, payment="Card (Stripe)")
    assert "Green tea Sencha × 2 — $25.00" in summary.text
    assert "Total: $25.00" in summary.text
    assert f"Name: Alice\nPhone: {PHONE}\nEmail: {EMAIL}" in summary.text
    assert "How would you like to pay? Tap it to place the order." in summary.text
    assert summary.labels == [
        "✅ Cash",
        "✅ Card (Stripe)",
        "✏️ Name",
        "✏️ Phone",
        "✏️ Email",
        "✏️ Edit cart",
        "⬅️ Back",
        "✖ Cancel",
    ]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("\u200b", "invisible control characters"),
        ("A" * 5000, "too long. Please send at most 100 characters"),
        ("Al\u0007ice", "invisible control characters"),
    ],
    ids=["invisible-only", "5000-characters", "control-character"],
)
async def test_a_bad_name_is_refused_with_the_reason(
    shop_bot: RunningBot, alice, typed: str, problem: str
) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    reply = await say(shop_bot, alice, typed)
    assert problem in reply.text
    assert "What is your name?" in reply.text
    assert "Phone" not in reply.text
    # Still at the name: a good name moves on to the phone.
    await say(shop_bot, alice, "Alice")
    assert (await alice.chat()).reply_keyboard is not None


async def test_a_blank_name_is_refused(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    reply = await say(shop_bot, alice, "\u3000\u3000")  # ideographic spaces: blank
    assert "“Name” is needed for the order" in reply.text


async def test_names_with_emoji_and_html_are_kept_and_escaped(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    summary = await to_summary(shop_bot, alice, name="  Zoë <b>&amp; 👩‍💻  ", payment="Cash")
    assert "Name: Zoë <b>&amp; 👩‍💻\n" in summary.text


async def test_a_contact_at_the_name_step_asks_for_text(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await alice.share_contact(PHONE, own=False)  # a contact card: not what the name step wants
    await shop_bot.settle()
    reply = await alice.last_message()
    assert "Please send “Name” as a text message." in reply.text


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("hello", "That is not a phone number"),
        ("📱 Share my phone", "That is not a phone number"),
        ("+7 000 000", "This phone number does not exist"),
        ("12", "This phone number does not exist"),
    ],
)
async def test_a_bad_phone_is_refused_with_the_reason(
    shop_bot: RunningBot, alice, typed: str, problem: str
) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    reply = await say(shop_bot, alice, typed)
    assert problem in reply.text
    keyboard = (await alice.chat()).reply_keyboard
    assert keyboard is not None and "📱 Share my phone" in keyboard.labels


async def test_someone_elses_contact_is_refused(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    reply = await share(shop_bot, alice, "+447700900123", own=False)
    assert "someone else's contact" in reply.text


@pytest.mark.parametrize("shared", ["+447911123456", "447911123456"], ids=["plus", "no-plus"])
async def test_own_contact_is_taken_with_or_without_plus_and_the_keyboard_goes(
    shop_bot: RunningBot, alice, shared: str
) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    reply = await share(shop_bot, alice, shared)
    assert "What is your email?" in reply.text
    chat = await alice.chat()
    assert chat.reply_keyboard is None  # one-time: used, so gone without a message to close it
    assert not any("📱 Phone:" in m.shown_text for m in chat.bot_messages)


async def test_a_typed_phone_uses_the_default_region(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    reply = await say(shop_bot, alice, "8 (912) 345-67-89")
    assert "What is your email?" in reply.text
    chat = await alice.chat()
    assert any(m.text == "📱 Phone: +79123456789" for m in chat.bot_messages)
    assert chat.reply_keyboard is None  # typed: still shown, so that message took it away


@pytest.mark.parametrize("typed", ["alice", "alice@", "alice@@example.com", "a b@example.com"])
async def test_a_bad_email_is_refused(shop_bot: RunningBot, alice, typed: str) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    reply = await say(shop_bot, alice, typed)
    assert "That email address is not valid" in reply.text
    assert "What is your email?" in reply.text


async def test_back_goes_one_step_back_at_every_step(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    summary = await to_summary(shop_bot, alice, payment="Cash")
    assert "Please check your order" in summary.text
    email = await tap(shop_bot, alice, "⬅️ Back")  # the summary follows the last field
    assert "What is your email?" in email.text
    phone = await tap(shop_bot, alice, "⬅️ Back")
    assert "What is your phone number?" in phone.text
    name = await say(shop_bot, alice, "⬅️ Back")  # the reply keyboard's Back
    assert "What is your name?" in name.text
    assert (await alice.chat()).reply_keyboard is None
    # Nothing given is lost: with the phone and email kept, the summary follows the name.
    again = await say(shop_bot, alice, "Alicia")
    assert "Please check your order" in again.text
    assert f"Phone: {PHONE}" in again.text
    assert "Name: Alicia" in again.text


@pytest.mark.parametrize("step", STEPS)
async def test_cancel_at_every_step_keeps_the_cart(shop_bot: RunningBot, alice, step: str) -> None:  # type: ignore[no-untyped-def]
    await walk_to(shop_bot, alice, step)
    reply = await command(shop_bot, alice, "cancel")
    assert reply.text.startswith("Checkout cancelled. Your cart is kept")
    assert (await alice.chat()).reply_keyboard is None
    cart = await command(shop_bot, alice, "cart")
    assert "Green tea Sencha × 2" in cart.text
    # The conversation is over: text is not taken as a detail any more.
    await command(shop_bot, alice, "cancel")
    assert (await alice.last_message()).text.startswith("There is no checkout to cancel")


async def test_the_cancel_button_and_the_reply_cancel_end_the_checkout(
    shop_bot: RunningBot, alice
) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    reply = await tap(shop_bot, alice, "✖ Cancel")
    assert reply.text.startswith("Checkout cancelled")
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    reply = await say(shop_bot, alice, "✖ Cancel")
    assert reply.text.startswith("Checkout cancelled")
    assert (await alice.chat()).reply_keyboard is None


async def test_cancel_outside_a_checkout_answers_politely(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    bob = await telegram_fake.client.customer(user_id=2002, first_name="Bob")
    reply = await command(shop_bot, bob, "cancel")
    assert reply.text == "There is no checkout to cancel. What would you like to do?"
    assert "🛍 Catalog" in reply.labels


async def test_russian_customer_gets_russian_steps_and_errors(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ivan = await telegram_fake.client.customer(user_id=2003, first_name="Иван", language_code="ru")
    await add_product(shop_bot, ivan, 2, label="В корзину")
    name = await command(shop_bot, ivan, "checkout")
    assert "Как вас зовут?" in name.text
    await say(shop_bot, ivan, "Иван")
    keyboard = (await ivan.chat()).reply_keyboard
    assert keyboard is not None and keyboard.labels == [
        "📱 Отправить мой номер",
        "⬅️ Назад",
        "✖ Отмена",
    ]
    wrong = await say(shop_bot, ivan, "не телефон")
    assert "Это не номер телефона" in wrong.text
    await share(shop_bot, ivan, "79123456789")
    bad_email = await say(shop_bot, ivan, "ivan@")
    assert "Этот адрес email неверный" in bad_email.text
    summary = await say(shop_bot, ivan, "ivan@example.com")
    assert "Как вы хотите оплатить? Нажмите способ — и заказ будет оформлен." in summary.text
    assert summary.labels[:2] == ["✅ Наличные", "✅ Карта (Stripe)"]


async def test_the_phone_keyboard_reopened_at_the_email_step_still_works(
    shop_bot: RunningBot, alice
) -> None:  # type: ignore[no-untyped-def]
    """The app keeps a used one-time keyboard a tap away: its Back and Cancel still mean so."""
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    reply = await say(shop_bot, alice, "⬅️ Back")
    assert "What is your phone number?" in reply.text
    await share(shop_bot, alice, PHONE)
    reply = await say(shop_bot, alice, "✖ Cancel")
    assert "cancelled" in reply.text.lower()
