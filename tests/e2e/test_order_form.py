"""The checkout follows the shop's OneEntry order form: every field it defines, asked in its
order with its own titles and rules, sent in the shape each type takes; a form the owner
changes is followed by the next checkout and by a customer who is mid-checkout; a field
OneEntry refuses is asked again; saved answers are reused field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from settings import Settings
from tests.e2e.journeys import (
    CONFIRM,
    EMAIL,
    MARKET_ADDRESS,
    PHONE,
    add_product,
    command,
    say,
    share,
    tap,
)
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake


@pytest.fixture
def settings(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Settings:
    """The form is read afresh for every step: a change in the emulator shows at once."""
    return bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", catalog_cache_seconds=0
    )


def tea_form(emulator: RunningEmulator) -> dict[str, Any]:
    return next(f for f in emulator.state.data["forms"] if f["identifier"] == "guest_order")


def en(title: str) -> dict[str, dict[str, str]]:
    return {"en_US": {"title": title}}


def choice(value: str, title: str) -> dict[str, Any]:
    return {"value": value, "localizeInfos": en(title)}


EVERY_TYPE = [
    {"marker": "floor", "type": "integer", "position": 4, "localizeInfos": en("Floor"),
     "validators": {"requiredValidator": {"strict": True}}},
    {"marker": "weight", "type": "real", "position": 5, "localizeInfos": en("Weight, kg"),
     "validators": {}},
    {"marker": "address", "type": "text", "position": 6, "localizeInfos": en("Address"),
     "placeholder": {"en_US": "Street, house, town"},
     "validators": {"requiredValidator": {"strict": True}, "stringInspectionValidator": {
         "stringMin": 10, "stringMax": 0, "stringLength": 0,
         "customErrorText": {"en_US": "Street and house, please"}}}},
    {"marker": "day", "type": "date", "position": 7, "localizeInfos": en("Delivery day"),
     "validators": {"requiredValidator": {"strict": True}}},
    {"marker": "slot", "type": "time", "position": 8, "localizeInfos": en("Time"),
     "validators": {"requiredValidator": {"strict": True}}},
    {"marker": "call_at", "type": "dateTime", "position": 9, "localizeInfos": en("Call me at"),
     "validators": {}},
    {"marker": "wrap", "type": "list", "position": 10, "localizeInfos": en("Wrapping"),
     "validators": {}, "listTitles": [choice("gift", "Gift wrap"), choice("plain", "Plain")]},
    {"marker": "carrier", "type": "radioButton", "position": 11, "localizeInfos": en("Carrier"),
     "validators": {"requiredValidator": {"strict": True}},
     "listTitles": [choice("dhl", "DHL"), choice("post", "Post")]},
    {"marker": "consent", "type": "list", "position": 12, "localizeInfos": en("Terms"),
     "validators": {"requiredValidator": {"strict": True}},
     "listTitles": [choice("yes", "I agree to the terms")]},
    {"marker": "code", "type": "string", "position": 13, "localizeInfos": en("Promo code"),
     "validators": {"regExpValidator": {"patternValue": "^[A-Z]{2}[0-9]{2}$"}}},
    {"marker": "ref", "type": "string", "position": 14, "localizeInfos": en("Heard of us"),
     "validators": {"defaultValueValidator": {"fieldDefaultValue": "Telegram"}}},
    {"marker": "scan", "type": "file", "position": 15, "localizeInfos": en("A scan"),
     "validators": {}},
]  # fmt: skip


async def test_every_type_is_asked_checked_and_sent_in_its_shape(
    settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    tea_form(oneentry_emulator)["attributes"] += EVERY_TYPE
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(2001, "Alice")
        await add_product(bot, alice, 1, times=2)
        await command(bot, alice, "checkout")
        await say(bot, alice, "Alice")
        await share(bot, alice, PHONE)
        floor = await say(bot, alice, EMAIL)
        assert floor.text.startswith("Floor\nPlease send a whole number.")
        assert "⏭ Skip" not in floor.labels  # required
        refused = await say(bot, alice, "second")
        assert "Please send a whole number, like 3." in refused.text
        weight = await say(bot, alice, "2")
        assert "Weight, kg (optional)" in weight.text and "⏭ Skip" in weight.labels
        address = await say(bot, alice, "1,5")
        assert "Street, house, town" in address.text  # the placeholder as the hint
        short = await say(bot, alice, "Short")
        assert short.text.startswith("⚠️ Street and house, please")  # the shop's own words
        day = await say(bot, alice, "5 Long Street\nTown")
        assert "Delivery day" in day.text
        slot = await say(bot, alice, "05.06.2030")
        assert slot.text.startswith("✅ Delivery day: 5 June 2030")  # said back unambiguously
        call_at = await say(bot, alice, "2:30 pm")
        assert "Call me at (optional)" in call_at.text
        wrap = await tap(bot, alice, "⏭ Skip")
        assert wrap.labels[:2] == ["Gift wrap", "Plain"]
        await tap(bot, alice, "Gift wrap")
        consent = await tap(bot, alice, "DHL")
        assert consent.labels[0] == "I agree to the terms"
        code = await tap(bot, alice, "I agree to the terms")
        assert "Promo code (optional)" in code.text
        bad_code = await say(bot, alice, "ab12")
        assert "The shop does not accept “Promo code” in this form" in bad_code.text
        ref = await say(bot, alice, "AB12")
        assert "✅ Telegram" in ref.labels  # the default value, one tap away
        summary = await tap(bot, alice, "✅ Telegram")
        assert "A scan" not in summary.text  # an optional file is not asked
        for line in (
            "Floor: 2",
            "Weight, kg: 1.5",
            "Address: 5 Long Street\nTown",
            "Delivery day: 5 June 2030",
            "Time: 14:30",
            "Wrapping: Gift wrap",
            "Carrier: DHL",
            "Terms: I agree to the terms",
            "Promo code: AB12",
            "Heard of us: Telegram",
        ):
            assert line in summary.text
        assert "Call me at" not in summary.text
        placed = await tap(bot, alice, "✅ Cash")
        assert "Your order is placed." in placed.text
    [order] = [o for o in oneentry_emulator.state.orders.values() if o.id >= 1000]
    sent = {entry["marker"]: entry for entry in order.form_data}
    assert sent["floor"] == {"marker": "floor", "type": "integer", "value": 2}
    assert sent["weight"]["value"] == 1.5
    assert sent["address"]["value"] == [{"plainValue": "5 Long Street\nTown"}]
    assert sent["day"]["value"]["formattedValue"] == "05-06-2030"
    assert sent["day"]["value"]["formatString"] == "DD-MM-YYYY"
    assert sent["slot"]["value"]["formattedValue"] == "14:30"
    assert sent["wrap"]["value"][0]["value"] == "gift"
    assert sent["carrier"]["value"][0]["value"] == "dhl"
    assert sent["code"]["value"] == "AB12" and sent["ref"]["value"] == "Telegram"
    assert "call_at" not in sent and "scan" not in sent


async def test_a_changed_form_is_followed_mid_checkout_and_by_the_next_one(
    settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(2001, "Alice")
        await add_product(bot, alice, 1, times=2)
        await command(bot, alice, "checkout")
        await say(bot, alice, "Alice")
        await share(bot, alice, PHONE)
        # The owner edits the form while Alice is at her email: names of at most 3 letters,
        # and a new required field.
        form = tea_form(oneentry_emulator)
        form["attributes"][0]["validators"]["stringInspectionValidator"]["stringMax"] = 3
        form["attributes"].append(
            {"marker": "floor", "type": "integer", "position": 4, "localizeInfos": en("Floor"),
             "validators": {"requiredValidator": {"strict": True}}}
        )  # fmt: skip
        name = await say(bot, alice, EMAIL)
        assert "What is your name?" in name.text  # "Alice" no longer fits
        assert "At most 3 characters." in name.text
        floor = await say(bot, alice, "Ali")
        assert floor.text.startswith("Floor")  # new; the phone and the email are kept
        summary = await say(bot, alice, "4")
        assert f"Name: Ali\nPhone: {PHONE}\nEmail: {EMAIL}\nFloor: 4" in summary.text
        await tap(bot, alice, "✅ Cash")

        # The owner removes the field again: the next checkout does not ask it.
        form["attributes"].pop()
        bob = await telegram_fake.client.customer(2002, "Bob")
        await add_product(bot, bob, 1)
        await command(bot, bob, "checkout")
        await say(bot, bob, "Bob")
        await share(bot, bob, PHONE)
        summary = await say(bot, bob, "bob@example.com")
        assert "Please check your order" in summary.text and "Floor" not in summary.text
    [first] = [o for o in oneentry_emulator.state.orders.values() if o.id >= 1000]
    assert {e["marker"]: e["value"] for e in first.form_data}["floor"] == 4


async def test_a_field_oneentry_refuses_is_asked_again_exactly(
    settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    tea_form(oneentry_emulator)["attributes"] += EVERY_TYPE[:1]
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await telegram_fake.client.customer(2001, "Alice")
        await add_product(bot, alice, 1)
        await command(bot, alice, "checkout")
        await say(bot, alice, "Alice")
        await share(bot, alice, PHONE)
        await say(bot, alice, EMAIL)
        await say(bot, alice, "7")
        oneentry_emulator.state.add_fault(
            "orders.create", status=400, message="formData's marker 'floor' value is incorrect"
        )
        asked = await tap(bot, alice, "✅ Cash")
        assert "The shop did not accept your answer to “Floor”" in asked.text
        assert "Please send a whole number." in asked.text
        summary = await say(bot, alice, "8")
        assert "Floor: 8" in summary.text  # straight back to the summary
        placed = await tap(bot, alice, "✅ Cash")
        assert "Your order is placed." in placed.text


async def market_customer(bot: RunningBot, fake: TelegramFake, language: str) -> Customer:
    customer = await fake.client.customer(2001, "Alice", language_code=language)
    await add_product(bot, customer, 10, label={"en": "Add to cart", "ru": "В корзину"}[language])
    return customer


@pytest.mark.parametrize("oneentry_shop", ["market"])
@pytest.mark.parametrize("language", ["en", "ru"])
async def test_the_market_asks_its_form_in_its_own_words(
    settings: Settings, telegram_fake: TelegramFake, language: str
) -> None:
    """The market's phone has a mask (a foreign number is refused in the shop's words), its
    name a limit of 40, its delivery a choice, its address its own error text."""
    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await market_customer(bot, telegram_fake, language)
        name = await command(bot, alice, "checkout")
        assert name.text.startswith({"en": "Your name", "ru": "Ваше имя"}[language])
        long = await say(bot, alice, "A" * 41)
        assert {"en": "2 to 40 characters", "ru": "от 2 до 40 символов"}[language] in long.text
        phone = await say(bot, alice, "Alice")
        assert "+7 (999) 999-99-99" in phone.text
        foreign = await share(bot, alice, PHONE)
        assert {"en": "We deliver in Russia only", "ru": "Мы доставляем только по России"}[
            language
        ] in foreign.text
        email = await say(bot, alice, "8 916 123 45 67")
        said = "\n".join(m.text or "" for m in (await alice.chat()).bot_messages)
        assert "+7 (916) 123-45-67" in said
        delivery = await say(bot, alice, EMAIL)
        assert (
            delivery.labels[:2]
            == {
                "en": ["Courier to the door", "Pick up at the shop"],
                "ru": ["Курьером до двери", "Самовывоз из магазина"],
            }[language]
        )
        assert email is not None
        address = await tap(bot, alice, delivery.labels[0])
        assert {"en": "Street, house, flat, city", "ru": "Улица, дом, квартира, город"}[
            language
        ] in address.text
        short = await say(bot, alice, "Moscow")
        assert {"en": "The courier needs the street", "ru": "Курьеру нужны улица"}[
            language
        ] in short.text
        await say(bot, alice, MARKET_ADDRESS)
        comment = await say(bot, alice, "31.12.2030")
        assert "Comment for the shop" in comment.text  # no Russian title: the main language's


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_a_returning_customer_reuses_every_answer_and_forget_deletes_them(
    settings: Settings, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    from tests.e2e.journeys import answer_the_form

    async with run_shop_bot(settings, telegram_fake) as bot:
        alice = await market_customer(bot, telegram_fake, "en")
        await command(bot, alice, "checkout")
        await answer_the_form(bot, alice, "market", "Alice")
        await tap(bot, alice, CONFIRM["en"])
        await add_product(bot, alice, 10)
        offer = await command(bot, alice, "checkout")
        for line in ("Your name: Alice", "Delivery: Courier to the door", "Delivery address: 12"):
            assert line in offer.text
        summary = await tap(bot, alice, "✅ Use these")  # nothing asked again
        assert "Preferred delivery date: 31 December 2030" in summary.text
        placed = await tap(bot, alice, CONFIRM["en"])
        assert "Your order is placed." in placed.text
        forgotten = await command(bot, alice, "forget")
        assert "Your saved details are deleted" in forgotten.text
        await add_product(bot, alice, 10)
        fresh = await command(bot, alice, "checkout")
        assert fresh.text.startswith("Your name")
    second = max(o.id for o in oneentry_emulator.state.orders.values())
    values = {e["marker"]: e["value"] for e in oneentry_emulator.state.orders[second].form_data}
    assert values["customer_phone"] == "+7 (916) 123-45-67"
    assert values["delivery_address"] == [{"plainValue": MARKET_ADDRESS}]
