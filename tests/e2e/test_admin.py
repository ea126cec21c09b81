"""Staff commands end to end: the real bot, the Telegram fake and the OneEntry emulator.

Each command with data and with none, paging, a status change from the buttons, the command
menus per admin chat, and the gate: a non-admin's admin command or (forged) admin button
reveals nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.driver import Customer
from shop.contact import ContactDetails
from shop.ledger_records import OrderItem
from shop.placement_types import PlacementRequest
from tests.e2e.journeys import ADMIN_ID, PHONE, command, confirm, walk_to_summary
from tests.fixtures.bot import bot_settings_for, run_shop_bot
from tests.fixtures.telegram import RunningBot, TelegramFake
from ui import callback_data as cd


@pytest.fixture
async def admin_bot(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> AsyncIterator[RunningBot]:
    settings = bot_settings_for(
        telegram_fake, oneentry_emulator, tmp_path / "data", admin_ids=str(ADMIN_ID)
    )
    await admin(telegram_fake)  # the admin opened the bot before it started
    async with run_shop_bot(settings, telegram_fake) as bot:
        yield bot


async def admin(fake: TelegramFake, language: str = "en") -> Customer:
    return await fake.client.customer(ADMIN_ID, "Sam", language_code=language)


async def place_orders(bot: RunningBot, count: int) -> list[int]:
    """`count` cash orders through the shop's real placement (quicker than the chat), by
    customers who opened the bot (users 700, 701, ...)."""
    shop = bot.application.shop  # type: ignore[attr-defined]
    ids = []
    for number in range(count):
        await bot.fake.client.customer(700 + number, f"Buyer {number}")
        result = await shop.placement.place(
            PlacementRequest(
                checkout_id=f"{number + 1:012x}",
                user_id=700 + number,
                chat_id=700 + number,
                contact=ContactDetails(f"Buyer {number}", "+447911123456", "b@example.com"),
                items=(OrderItem(1, 1, "Green tea"),),
                payment_account="cash",
                content_lang="en_US",
            )
        )
        ids.append(result.order.order_id)
    return ids


async def test_every_command_with_no_orders(
    admin_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    sam = await admin(telegram_fake)
    assert "There are no orders yet." in (await command(admin_bot, sam, "orders")).text
    assert "Every order since" in (await command(admin_bot, sam, "pending")).text
    stats = (await command(admin_bot, sam, "stats")).text
    assert "Orders for today" in stats and "No orders in this period." in stats
    assert "No orders match “Bob”." in (await command(admin_bot, sam, "find", "Bob")).text
    assert "There is no order #5." in (await command(admin_bot, sam, "order", "5")).text
    assert "There is no order #5." in (await command(admin_bot, sam, "status", "5")).text
    assert "Usage: /order" in (await command(admin_bot, sam, "order")).text
    assert "Usage: /find" in (await command(admin_bot, sam, "find")).text
    assert "Usage: /stats" in (await command(admin_bot, sam, "stats", "year")).text
    assert "Usage: /pending" in (await command(admin_bot, sam, "pending", "forever")).text


async def test_orders_page_with_buttons(admin_bot: RunningBot, telegram_fake: TelegramFake) -> None:
    ids = await place_orders(admin_bot, 7)
    sam = await admin(telegram_fake)
    first = await command(admin_bot, sam, "orders")
    assert (
        "7 in all" in first.text and f"#{ids[6]}" in first.text and f"#{ids[1]}" not in first.text
    )
    assert "1/2" in first.labels
    await sam.tap("▶️")
    await admin_bot.settle()
    second = await sam.last_message()
    assert second.message_id == first.message_id and "2/2" in second.labels
    assert f"#{ids[0]}" in second.text and f"#{ids[6]}" not in second.text
    assert f"#{ids[1]}" in (await command(admin_bot, sam, "orders", "2")).text


async def test_one_order_with_contact_links_and_history(
    admin_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    alice = await telegram_fake.client.customer(1001, "Alice <b>", language_code="en")
    await walk_to_summary(admin_bot, alice, "Cash")
    await confirm(admin_bot, alice)
    [order] = oneentry_emulator.state.orders.values()
    sam = await admin(telegram_fake)
    shown = await command(admin_bot, sam, "order", str(order.id))
    assert "Customer: Alice &lt;b&gt;" not in shown.text  # escaped on the way, shown as typed
    assert "Customer: Alice <b>" in shown.text
    assert f"Phone: {PHONE}" in shown.text and "Email: alice@example.com" in shown.text
    [mention] = [e for e in shown.entities if e["type"] == "text_mention"]
    assert mention["user"]["id"] == 1001
    assert "Green tea Sencha × 2 — $25.00" in shown.text and "Total: $34.90" in shown.text
    assert "Payment method: Cash" in shown.text and "History" in shown.text
    assert shown.labels == ["🏷 Change status", "📋 Orders"]


async def test_pending_stats_and_find_with_orders(
    admin_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    ids = await place_orders(admin_bot, 2)
    oneentry_emulator.state.set_order_payment_status(ids[1], "paid")
    sam = await admin(telegram_fake)
    pending = await command(admin_bot, sam, "pending")
    assert f"#{ids[0]}" in pending.text and f"#{ids[1]}" not in pending.text
    stats = (await command(admin_bot, sam, "stats", "7d")).text
    assert "Orders placed: 2" in stats and "Paid orders: 1" in stats
    assert "Revenue (paid orders): $12.50" in stats and "Average paid order: $12.50" in stats
    found = await command(admin_bot, sam, "find", "buyer 1")
    assert f"#{ids[1]}" in found.text and f"#{ids[0]}" not in found.text


async def test_pending_pages_through_every_unpaid_order(
    admin_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    ids = await place_orders(admin_bot, 12)  # oldest first: ids[0] .. ids[11]
    sam = await admin(telegram_fake)
    first = await command(admin_bot, sam, "pending")
    assert "12, oldest first" in first.text and "1/2" in first.labels
    assert all(f"#{order_id}" in first.text for order_id in ids[:10])
    assert f"#{ids[10]}" not in first.text
    await sam.tap("▶️")
    await admin_bot.settle()
    second = await sam.last_message()
    assert second.message_id == first.message_id and "2/2" in second.labels
    assert f"#{ids[10]}" in second.text and f"#{ids[11]}" in second.text
    assert f"#{ids[9]}" not in second.text


async def test_status_change_from_the_buttons(
    admin_bot: RunningBot, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    [order_id] = await place_orders(admin_bot, 1)
    sam = await admin(telegram_fake)
    choices = await command(admin_bot, sam, "status", str(order_id))
    assert choices.labels == ["✓ In progress", "Paid for", "Shipped", "Completed", "Cancelled"]
    await sam.tap("Shipped")
    await admin_bot.settle()
    result = await sam.last_message()
    assert result.message_id == choices.message_id and "status is now Shipped" in result.text
    assert oneentry_emulator.state.orders[order_id].status_identifier == "shipped"


async def test_admin_texts_in_russian(admin_bot: RunningBot, telegram_fake: TelegramFake) -> None:
    [order_id] = await place_orders(admin_bot, 1)
    sam = await admin(telegram_fake, "ru")
    assert "Заказы" in (await command(admin_bot, sam, "orders")).text
    choices = await command(admin_bot, sam, "status", str(order_id))
    assert "Выберите новый статус" in choices.text and "Отправлен" in choices.labels


async def test_admin_command_menus_per_chat_in_both_languages(
    admin_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    scope = json.dumps({"chat_id": ADMIN_ID, "type": "chat"}, sort_keys=True)
    english = [c["command"] for c in telegram_fake.state.commands[(scope, "")]]
    russian = telegram_fake.state.commands[(scope, "ru")]
    assert english[:7] == ["orders", "order", "pending", "stats", "find", "status", "myorders"]
    assert "start" in english and "help" in english and english.count("orders") == 1
    assert russian[0]["description"] == "Заказы магазина [страница]"
    default = json.dumps({"type": "default"}, sort_keys=True)
    assert "pending" not in [c["command"] for c in telegram_fake.state.commands[(default, "")]]


ADMIN_COMMANDS = ["orders", "order 1", "pending", "stats", "find Buyer", "status 1", "myorders"]


async def test_a_customer_gets_nothing_from_admin_commands(
    admin_bot: RunningBot, telegram_fake: TelegramFake
) -> None:
    await place_orders(admin_bot, 1)
    eve = await telegram_fake.client.customer(666, "Eve")
    unknown = await command(admin_bot, eve, "nosuchcommand")
    assert unknown.text.startswith("There is no command /nosuchcommand:")
    for line in ADMIN_COMMANDS[1:]:  # /orders is the customer's own "My orders"
        name, _, payload = line.partition(" ")
        answer = await command(admin_bot, eve, name, payload or None)
        # the same one line as for any command the bot does not have: nothing of the staff's
        assert answer.text == unknown.text.replace("/nosuchcommand", f"/{name}")
        assert answer.labels == unknown.labels
    mine = await command(admin_bot, eve, "orders")
    assert "My orders" in mine.text and "Buyer" not in mine.text


@pytest.mark.parametrize(
    "data",
    [
        cd.build(cd.ADMIN_ORDER, 1),
        cd.build(cd.ADMIN_ORDERS_PAGE, 0),
        cd.build(cd.ADMIN_PENDING_PAGE, 0),
        cd.build(cd.ADMIN_STATUS, 1),
        cd.build(cd.ADMIN_SET_STATUS, 1, "cancelled"),
        cd.build(cd.ADMIN_CONFIRM_STATUS, 1, "cancelled"),
        cd.build(cd.ADMIN_STATUS_BACK, 1),
        cd.build(cd.ADMIN_PENDING_PAGE, 30, 1),
    ],
)
async def test_forged_admin_buttons_from_a_customer_reveal_nothing(
    admin_bot: RunningBot,
    telegram_fake: TelegramFake,
    oneentry_emulator: RunningEmulator,
    data: str,
) -> None:
    [order_id] = await place_orders(admin_bot, 1)
    eve = await telegram_fake.client.customer(666, "Eve")
    await command(admin_bot, eve, "start")
    await eve.forge_tap(data.replace(":1", f":{order_id}", 1))
    await admin_bot.settle()
    [answer] = await telegram_fake.client.calls("answerCallbackQuery")
    assert answer["params"].get("text") == "This button has expired."
    shown = " ".join(m.shown_text for m in (await eve.chat()).bot_messages)
    assert "Buyer" not in shown and f"#{order_id}" not in shown
    assert oneentry_emulator.state.orders[order_id].status_identifier == "inProgress"


@pytest.mark.parametrize("name", ["orders", "order", "status"])
@pytest.mark.parametrize("payload", ["²", "#٣", "1²"])
async def test_staff_numbers_in_other_digits_are_a_usage_answer(
    admin_bot: RunningBot, telegram_fake: TelegramFake, name: str, payload: str
) -> None:
    sam = await admin(telegram_fake)
    answer = (await command(admin_bot, sam, name, payload)).text
    assert "something went wrong" not in answer
    assert "Usage:" in answer or "Orders" in answer
