"""Whole checkout journeys: edits from the summary, a returning customer, /forget, the empty
cart, the timeout, and restarts mid-checkout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sandbox.oneentry import RunningEmulator
from settings import Settings
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
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


async def test_edits_from_the_summary_return_to_the_summary(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await to_summary(shop_bot, alice)
    await tap(shop_bot, alice, "✏️ Name")
    summary = await say(shop_bot, alice, "Alice Liddell")
    assert "Name: Alice Liddell" in summary.text
    await tap(shop_bot, alice, "✏️ Phone")
    assert (await alice.chat()).reply_keyboard is not None
    summary = await say(shop_bot, alice, "+44 7911 123457")
    assert "Phone: +447911123457" in summary.text
    assert (await alice.chat()).reply_keyboard is None
    await tap(shop_bot, alice, "✏️ Email")
    summary = await say(shop_bot, alice, "liddell@example.org")
    assert "Email: liddell@example.org" in summary.text
    cart = await tap(shop_bot, alice, "✏️ Edit cart")
    assert "Your cart" in cart.text
    await tap(shop_bot, alice, "➕ 1")
    summary = await tap(shop_bot, alice, "✅ Checkout")
    assert "Please check your order" in summary.text
    assert "Green tea Sencha × 3 — $37.50" in summary.text
    assert summary.labels[:2] == ["✅ Cash", "✅ Card (Stripe)"]


async def test_an_empty_cart_shows_the_catalog_then_continues_from_the_cart(
    shop_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    bob = await telegram_fake.client.customer(user_id=4002, first_name="Bob")
    await command(shop_bot, bob, "checkout")
    await say(shop_bot, bob, "Bob")
    await share(shop_bot, bob, PHONE)
    catalog = await say(shop_bot, bob, EMAIL)
    assert catalog.text.startswith("Catalog")
    messages = (await bob.chat()).bot_messages
    assert "Your cart is empty. Add products from the catalog below" in messages[-2].text
    await tap(shop_bot, bob, "Black tea Assam · $9.90")
    await tap(shop_bot, bob, "Add to cart")
    await tap(shop_bot, bob, "🛒 Cart")
    summary = await tap(shop_bot, bob, "✅ Checkout")
    assert "Black tea Assam × 1" in summary.text and "Name: Bob" in summary.text


async def test_a_returning_customer_is_offered_their_details(shop_bot: RunningBot, alice) -> None:  # type: ignore[no-untyped-def]
    await to_summary(shop_bot, alice, name="Alice <A>")
    await command(shop_bot, alice, "cancel")
    offer = await command(shop_bot, alice, "checkout")
    assert "Last time you ordered with these details" in offer.text
    assert f"Name: Alice <A>\nPhone: {PHONE}\nEmail: {EMAIL}" in offer.text
    assert offer.labels == ["✅ Use these", "✏️ Change", "✖ Cancel"]
    summary = await tap(shop_bot, alice, "✅ Use these")
    assert "Please check your order" in summary.text
    # "Change" asks again, and Back returns to the offer.
    await command(shop_bot, alice, "cancel")
    await command(shop_bot, alice, "checkout")
    name = await tap(shop_bot, alice, "✏️ Change")
    assert "What is your name?" in name.text
    offer = await tap(shop_bot, alice, "⬅️ Back")
    assert "Use these?" in offer.text


async def test_forget_deletes_the_details_inside_and_outside_the_checkout(
    shop_bot: RunningBot, alice
) -> None:  # type: ignore[no-untyped-def]
    await to_summary(shop_bot, alice)
    reply = await command(shop_bot, alice, "forget")
    assert reply.text.startswith("Your saved details are deleted")
    name = await command(shop_bot, alice, "checkout")
    assert "What is your name?" in name.text  # no offer: nothing is kept
    await command(shop_bot, alice, "cancel")
    reply = await command(shop_bot, alice, "forget")
    assert reply.text == "There are no saved details to delete."
    cart = await command(shop_bot, alice, "cart")
    assert "Green tea Sencha × 2" in cart.text


async def test_an_idle_checkout_times_out_with_a_notice_and_keeps_the_cart(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", checkout_timeout_minutes=0.005
    )
    alice = await telegram_fake.client.customer(user_id=4001, first_name="Alice")
    async with run_shop_bot(settings, telegram_fake) as bot:
        await add_product(bot, alice, 1)
        await command(bot, alice, "checkout")
        await say(bot, alice, "Alice")  # at the phone, with the reply keyboard shown
        notice = await alice.wait_for_message("nothing happened for a while")
        assert "Your cart is kept" in notice.text
        assert (await alice.chat()).reply_keyboard is None
        reply = await command(bot, alice, "cancel")
        assert reply.text.startswith("There is no checkout to cancel")
        cart = await command(bot, alice, "cart")
        assert "Green tea Sencha × 1" in cart.text


async def _finish_from(bot: RunningBot, customer, step: str) -> str:  # type: ignore[no-untyped-def]
    """Carry on after a restart using only what the chat shows; returns the summary."""
    actions = {
        "name": lambda: say(bot, customer, "Alice"),
        "phone": lambda: share(bot, customer, PHONE),
        "email": lambda: say(bot, customer, EMAIL),
    }
    for name in STEPS[STEPS.index(step) : -1]:
        await actions[name]()
    return (await customer.last_message()).text or ""


@pytest.mark.parametrize("step", STEPS)
async def test_a_restart_mid_checkout_continues_where_the_customer_was(
    bot_settings: Settings, telegram_fake: TelegramFake, step: str
) -> None:
    alice = await telegram_fake.client.customer(user_id=4001, first_name="Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await add_product(bot, alice, 1, times=2)
        await walk_to(bot, alice, step)
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        summary = await _finish_from(bot, alice, step)
        assert "Please check your order" in summary
        assert "Green tea Sencha × 2" in summary
        assert f"Name: Alice\nPhone: {PHONE}\nEmail: {EMAIL}\nHow would you like to pay?" in summary
        # The summary's buttons work in the new bot.
        back = await tap(bot, alice, "⬅️ Back")
        assert "What is your email?" in back.text


async def test_a_checkout_idle_past_the_timeout_across_a_restart_has_expired(
    bot_settings: Settings, telegram_fake: TelegramFake
) -> None:
    alice = await telegram_fake.client.customer(user_id=4001, first_name="Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await add_product(bot, alice, 1)
        await walk_to(bot, alice, "summary")
        # The draft was last touched longer ago than the timeout (PTB's timeout job is lost
        # with the process, so the draft's age is what counts).
        draft = bot.application.user_data[4001]["checkout"]
        draft.updated_at = time.time() - bot_settings.checkout_timeout_minutes * 60 - 1
        # Changed outside a handler: PTB writes it only when told (the store keeps changes).
        bot.application.mark_data_for_update_persistence(user_ids=[4001])
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        await tap(bot, alice, "✏️ Name")
        chat = await alice.chat()
        assert any("nothing happened for a while" in (m.text or "") for m in chat.bot_messages)
        assert chat.bot_messages[-1].text == "What would you like to do?"
        reply = await command(bot, alice, "cancel")
        assert reply.text.startswith("There is no checkout to cancel")


async def test_the_summary_confirms_with_each_of_the_storage_accounts_by_their_titles(
    shop_bot: RunningBot, alice, oneentry_emulator: RunningEmulator
) -> None:  # type: ignore[no-untyped-def]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    summary = await say(shop_bot, alice, EMAIL)
    assert summary.labels[:2] == ["✅ Cash", "✅ Card (Stripe)"]  # not "invoice"
    assert "How would you like to pay? Tap it to place the order." in summary.text
    placed = await tap(shop_bot, alice, "✅ Card (Stripe)")
    assert "Your order is placed." in placed.text
    [order] = oneentry_emulator.state.orders.values()
    assert order.payment_account_identifier == "stripe"


async def test_one_account_is_chosen_silently(
    shop_bot: RunningBot, alice, oneentry_emulator: RunningEmulator
) -> None:  # type: ignore[no-untyped-def]
    oneentry_emulator.state.data["orderStorages"][0]["paymentAccountIdentifiers"] = ["stripe"]
    await command(shop_bot, alice, "checkout")
    await say(shop_bot, alice, "Alice")
    await share(shop_bot, alice, PHONE)
    summary = await say(shop_bot, alice, EMAIL)
    assert "Payment: Card (Stripe)" in summary.text
    assert summary.labels[0] == "✅ Confirm"


@pytest.mark.parametrize(
    ("language", "payment", "account", "pay_label"),
    [
        ("en", "Cash", "cash", None),
        ("en", "Card (Stripe)", "stripe", "💳 Pay"),
        ("ru", "Наличные", "cash", None),  # the accounts' own Russian titles from OneEntry
        ("ru", "Карта (Stripe)", "stripe", "💳 Оплатить"),
    ],
)
async def test_happy_path_to_the_result_then_a_second_order_with_saved_details(
    shop_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    language: str,
    payment: str,
    account: str,
    pay_label: str | None,
) -> None:
    add = {"en": "Add to cart", "ru": "В корзину"}[language]
    carol = await telegram_fake.client.customer(4005, "Carol", language_code=language)
    await add_product(shop_bot, carol, 3, label=add)
    await command(shop_bot, carol, "checkout")
    await say(shop_bot, carol, "Carol & Co")
    await share(shop_bot, carol, PHONE)
    await say(shop_bot, carol, EMAIL)
    result = await tap(shop_bot, carol, f"✅ {payment}")

    [order] = oneentry_emulator.state.orders.values()
    assert str(order.id) in result.text
    assert order.payment_account_identifier == account
    assert [(p["productId"], p["quantity"]) for p in order.requested_products] == [(3, 1)]
    values = {field["marker"]: field["value"] for field in order.form_data}
    assert values == {"guest_name": "Carol & Co", "guest_phone": PHONE, "guest_email": EMAIL}
    if pay_label:
        assert pay_label in result.labels
    # The next checkout offers the same details in one step.
    await add_product(shop_bot, carol, 2, label=add)
    offer = await command(shop_bot, carol, "checkout")
    assert "Carol &amp; Co" not in offer.text and "Carol & Co" in offer.text
