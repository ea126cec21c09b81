"""A bot upgraded mid-checkout: what the earlier version persisted (a draft with three fixed
details, its conversation at the email step, the details it saved) loads, goes to the order
form's fields of those roles, and the customer carries on where they were."""

from __future__ import annotations

import copyreg
import pickle
import time
from typing import Any

from sandbox.oneentry import RunningEmulator
from settings import Settings
from shop.cart import Cart
from shop.chat_state import STATE_FILE, ChatStateStore
from shop.checkout import CheckoutDraft
from shop.contact import ContactDetails
from tests.e2e.journeys import EMAIL, PHONE, command, say, tap
from tests.fixtures.bot import run_shop_bot
from tests.fixtures.telegram import TelegramFake


class _EarlierDraft:
    """Pickles as the earlier version's CheckoutDraft did: its slots, with name, phone and
    email among them."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    def __reduce__(self) -> tuple[Any, ...]:
        return (copyreg._reconstructor, (CheckoutDraft, object, None), (None, self.state))  # type: ignore[attr-defined]


async def persist(settings: Settings, user_id: int, data: dict[str, Any], step: str | None) -> None:
    async with ChatStateStore(settings.data_dir / STATE_FILE) as store:
        await store.save_user_data(user_id, pickle.dumps(data))
        if step is not None:
            await store.save_conversation("checkout", f"[{user_id}, {user_id}]", f'"{step}"')


async def test_a_checkout_persisted_by_the_earlier_version_goes_on(
    bot_settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    draft = _EarlierDraft(
        {
            "checkout_id": "0123456789ab",
            "name": "Alice",
            "phone": PHONE,
            "email": None,
            "payment_account": None,
            "updated_at": time.time(),
            "answers": {"name": 3},
            "step": "checkout.email",
        }
    )
    await persist(bot_settings, 6001, {"cart": Cart({1: 2}), "checkout": draft}, "checkout.email")
    alice = await telegram_fake.client.customer(6001, "Alice")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        summary = await say(bot, alice, EMAIL)  # the answer to the step she was at
        assert f"Name: Alice\nPhone: {PHONE}\nEmail: {EMAIL}" in summary.text
        placed = await tap(bot, alice, "✅ Cash")
        assert "Your order is placed." in placed.text
    [order] = [o for o in oneentry_emulator.state.orders.values() if o.id >= 1000]
    assert {e["marker"]: e["value"] for e in order.form_data} == {
        "guest_name": "Alice",
        "guest_phone": PHONE,
        "guest_email": EMAIL,
    }


async def test_details_saved_by_the_earlier_version_are_offered_field_by_field(
    bot_settings: Settings, telegram_fake: TelegramFake
) -> None:
    saved = ContactDetails("Bob", PHONE, "bob@example.com")
    await persist(bot_settings, 6002, {"cart": Cart({1: 1}), "details": saved}, None)
    bob = await telegram_fake.client.customer(6002, "Bob")
    async with run_shop_bot(bot_settings, telegram_fake) as bot:
        offer = await command(bot, bob, "checkout")
        assert f"Name: Bob\nPhone: {PHONE}\nEmail: bob@example.com" in offer.text
        summary = await tap(bot, bob, "✅ Use these")
        assert "Please check your order" in summary.text
