"""`python bot.py check` against the stand-ins: all ✓ when healthy, and each misconfiguration
on its own row with a ✗, a fix and a non-zero exit, while the other checks still report."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from application.setup_check import (
    Status,
    check_environment,
    exit_code,
    render_report,
    run_setup_check,
)
from sandbox.oneentry import RunningEmulator
from settings import Settings
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import TelegramFake

ROOT = Path(__file__).resolve().parents[2]
READ_ONLY_POSTS = {"auth.login", "auth.refresh", "products.list"}


@pytest.fixture
async def healthy(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Callable[..., Settings]:
    """Settings for the stand-ins, with `overrides` applied; the admin has opened the bot."""
    await telegram_fake.client.customer(4242, "Sam")

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {"admin_ids": "4242"}
        values.update(overrides)
        data_dir = values.pop("data_dir", tmp_path / "data")
        return bot_settings_for(telegram_fake, oneentry_emulator, data_dir, **values)  # type: ignore[arg-type]

    return make


def by_name(results) -> dict[str, Status]:
    return {result.name: result.status for result in results}


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
async def test_healthy_setup_is_all_ticks_and_changes_nothing(
    healthy, oneentry_emulator: RunningEmulator, tmp_path: Path, oneentry_shop: str
) -> None:
    orders, sessions = set(oneentry_emulator.state.orders), set(oneentry_emulator.state.sessions)
    results = await run_setup_check(healthy())
    report = render_report(results)
    assert all(result.status is Status.OK for result in results), report
    assert exit_code(results) == 0
    assert "@oneentry_shop_bot" in report
    assert ("cash, stripe" if oneentry_shop == "tea" else "paypal") in report
    assert "1 admin(s), each has opened the bot" in report
    writes = [r for r in oneentry_emulator.state.requests if r.method != "GET"]
    assert {r.endpoint for r in writes} <= READ_ONLY_POSTS
    assert set(oneentry_emulator.state.orders) == orders  # the market's past ones, no new one
    assert set(oneentry_emulator.state.sessions) == sessions
    assert not (tmp_path / "data").exists()  # not even the data directory is created


async def test_missing_admins_is_a_warning_not_a_failure(healthy) -> None:
    results = await run_setup_check(healthy(admin_ids=""))
    assert by_name(results)["Staff (ADMIN_IDS)"] is Status.WARN
    assert exit_code(results) == 0


async def test_inline_mode_off_in_botfather_is_a_warning_with_the_way_to_turn_it_on(
    healthy, telegram_fake: TelegramFake
) -> None:
    on = await run_setup_check(healthy())
    assert by_name(on)["Inline mode"] is Status.OK
    await telegram_fake.client.set_bot(inline_mode=False)
    results = await run_setup_check(healthy())
    [row] = [result for result in results if result.name == "Inline mode"]
    assert row.status is Status.WARN
    assert "off in BotFather" in row.detail and "/setinline" in row.fix
    assert exit_code(results) == 0
    assert "/setinline" in render_report(results)


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
async def test_the_categories_row_names_the_catalog_page_or_how_to_make_one(
    healthy, oneentry_emulator: RunningEmulator, oneentry_shop: str
) -> None:
    results = await run_setup_check(healthy())
    [row] = [result for result in results if result.name == "Categories"]
    assert row.status is Status.OK
    assert (
        row.detail
        == {
            "tea": "'catalog': 3 top categories, 3 in all",
            "market": "'catalog': 4 top categories, 8 in all",
        }[oneentry_shop]
    )
    missing = await run_setup_check(healthy(catalog_page_url="shop"))
    [warned] = [result for result in missing if result.name == "Categories"]
    assert warned.status is Status.WARN and "one list of every product" in warned.detail
    assert "CATALOG_PAGE_URL" in warned.fix and exit_code(missing) == 0


def _remove_product_prices(state) -> None:
    for product in state.data["products"]:
        product["price"] = None


def _require_a_file(state) -> None:
    """A required field customers cannot fill through Telegram: no order could be placed."""
    form = next(f for f in state.data["forms"] if f["identifier"] == "guest_order")
    form["attributes"].append(
        {
            "marker": "passport_scan",
            "type": "file",
            "position": 9,
            "validators": {"requiredValidator": {"strict": True}},
        }
    )


def _storage_without_cash(state) -> None:
    state.data["orderStorages"][0]["paymentAccountIdentifiers"] = ["stripe"]


BROKEN_EMULATOR = {
    "Products": _remove_product_prices,
    "Order form": _require_a_file,
    "Payment accounts": _storage_without_cash,
}


@pytest.mark.parametrize("row", list(BROKEN_EMULATOR))
async def test_each_broken_oneentry_setup_fails_its_own_row(
    row: str, healthy, oneentry_emulator: RunningEmulator
) -> None:
    BROKEN_EMULATOR[row](oneentry_emulator.state)
    results = await run_setup_check(healthy())
    statuses = by_name(results)
    assert statuses[row] is Status.FAIL
    assert [name for name, status in statuses.items() if status is Status.FAIL] == [row]
    failed = next(result for result in results if result.name == row)
    assert failed.fix
    assert exit_code(results) == 1


BROKEN_SETTINGS = {
    "Telegram bot token": {"telegram_bot_token": "987654321:someone-elses-token"},
    "OneEntry app token": {"oneentry_app_token": "wrong-app-token"},
    "Guest login": {"oneentry_guest_password": "wrong-password"},
    "Order storage": {"oneentry_order_storage": "no_such_storage"},
}


@pytest.mark.parametrize("row", list(BROKEN_SETTINGS))
async def test_each_wrong_setting_fails_its_own_row(
    row: str, healthy, telegram_fake: TelegramFake
) -> None:
    telegram_fake.state.bot.token = telegram_fake.token  # the fake's bot is ours
    results = await run_setup_check(healthy(**BROKEN_SETTINGS[row]))
    statuses = by_name(results)
    assert [name for name, status in statuses.items() if status is Status.FAIL] == [row]
    assert statuses["Telegram bot token"] is (
        Status.FAIL if row.startswith("Telegram") else Status.OK
    )
    assert exit_code(results) == 1


async def test_a_bad_app_token_still_reports_telegram_and_skips_what_needs_it(healthy) -> None:
    results = await run_setup_check(healthy(oneentry_app_token="wrong-app-token"))
    statuses = by_name(results)
    assert statuses["Telegram bot token"] is Status.OK
    assert statuses["Guest login"] is Status.SKIPPED
    assert statuses["Products"] is Status.SKIPPED


async def test_unwritable_data_directory(healthy, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    results = await run_setup_check(healthy(data_dir=blocker / "data"))
    assert by_name(results)["Data directory"] is Status.FAIL
    assert exit_code(results) == 1


async def test_unreachable_oneentry(healthy) -> None:
    results = await run_setup_check(healthy(oneentry_project_url="http://127.0.0.1:9"))
    reachable = next(result for result in results if result.name == "OneEntry app token")
    assert reachable.status is Status.FAIL
    assert "cannot reach" in reachable.detail


async def test_command_line_prints_the_table_and_exits_non_zero(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    await telegram_fake.client.customer(4242, "Sam")
    env = _environment(telegram_fake, oneentry_emulator, tmp_path)
    env["ONEENTRY_ORDER_FORM"] = "no_such_form"
    result = await _run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    assert "✗ Order form" in result.stdout
    assert "fix: Create an order form" in result.stdout
    assert "✓ Telegram bot token" in result.stdout
    assert "2 problems to fix" in result.stdout  # the form, and the storage that names another
    assert "not checked: the order storage uses another form" in result.stdout
    assert oneentry_emulator.guest_password not in result.stdout + result.stderr


async def test_command_line_reports_bad_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}
    result = await _run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    assert "✗ Settings" in result.stdout
    assert "TELEGRAM_BOT_TOKEN: is not set." in result.stdout
    assert "5 problems to fix" in result.stdout  # the five required settings
    lines = result.stdout.splitlines()
    assert lines[2].startswith("  ⚠ .env file") and str(tmp_path / ".env") in result.stdout


def _environment(
    telegram: TelegramFake, oneentry: RunningEmulator, tmp_path: Path
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_API_BASE_URL=telegram.url,
        ONEENTRY_PROJECT_URL=oneentry.url,
        ONEENTRY_APP_TOKEN=oneentry.app_token,
        ONEENTRY_GUEST_LOGIN=oneentry.guest_login,
        ONEENTRY_GUEST_PASSWORD=oneentry.guest_password,
        DATA_DIR=str(tmp_path / "data"),
        ADMIN_IDS="4242",
    )
    return env


async def _run_cli(args: list[str], env: dict[str, str], cwd: Path):
    """`python bot.py ...` in a subprocess, in a directory without a .env, while this event
    loop keeps serving the stand-ins."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        *args,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    return subprocess.CompletedProcess(args, process.returncode, stdout.decode(), stderr.decode())


# -- the staff chat, the admins, the products --------------------------------------------------

STAFF = -100777


def row(results, name: str):  # type: ignore[no-untyped-def]
    return next(result for result in results if result.name == name)


async def test_a_staff_chat_the_bot_is_in_and_may_post_in(
    healthy, telegram_fake: TelegramFake
) -> None:
    await telegram_fake.client.group(STAFF, "Shop staff")
    results = await run_setup_check(healthy(staff_chat_id=str(STAFF)))
    staff = row(results, "Staff chat")
    assert staff.status is Status.OK and "'Shop staff' (supergroup)" in staff.detail
    assert row(results, "Staff (ADMIN_IDS)").status is Status.OK


@pytest.mark.parametrize(
    ("group", "detail"),
    [
        (None, "Telegram knows no chat -100777 for this bot"),
        ({"bot_status": "left"}, "Telegram knows no chat -100777 for this bot"),
        ({"bot_status": "kicked"}, "the bot was removed from chat -100777"),
        (
            {"bot_status": "restricted", "bot_can_send_messages": False},
            "the bot is restricted: it may not send messages",
        ),
        (
            {"members_can_send_messages": False},
            "its members may not send messages, and the bot is not one of its admins",
        ),
        ({"chat_type": "channel"}, "it is a channel and the bot is not one of its admins"),
    ],
)
async def test_a_staff_chat_the_bot_cannot_post_in_fails_its_row(
    healthy, telegram_fake: TelegramFake, group: dict[str, object] | None, detail: str
) -> None:
    if group is not None:
        await telegram_fake.client.group(STAFF, "Shop staff", **group)  # type: ignore[arg-type]
    results = await run_setup_check(healthy(staff_chat_id=str(STAFF)))
    staff = row(results, "Staff chat")
    assert staff.status is Status.FAIL and detail in staff.detail, staff
    assert "Add the bot to the staff group" in staff.fix or "admin" in staff.fix
    assert [r.name for r in results if r.status is Status.FAIL] == ["Staff chat"]
    assert exit_code(results) == 1
    await telegram_fake.client.findings(clear=True)  # the unknown chat was the point


async def test_an_admin_of_a_group_whose_members_may_not_post_is_fine(
    healthy, telegram_fake: TelegramFake
) -> None:
    await telegram_fake.client.group(
        STAFF, "Shop staff", bot_status="administrator", members_can_send_messages=False
    )
    results = await run_setup_check(healthy(staff_chat_id=str(STAFF)))
    assert row(results, "Staff chat").status is Status.OK


async def test_a_private_chat_as_the_staff_chat_is_a_warning(healthy) -> None:
    results = await run_setup_check(healthy(staff_chat_id="4242"))
    staff = row(results, "Staff chat")
    assert staff.status is Status.WARN and "is a private chat" in staff.detail


@pytest.mark.parametrize(
    ("topics", "thread", "status", "detail"),
    [
        ([7], "7", Status.OK, "in topic 7"),
        ([7], "8", Status.FAIL, "has no topic 8 the bot can post in"),
        (None, "7", Status.FAIL, "has no topics (it is not a forum)"),
    ],
)
async def test_the_staff_topic(
    healthy,
    telegram_fake: TelegramFake,
    topics: list[int] | None,
    thread: str,
    status: Status,
    detail: str,
) -> None:
    await telegram_fake.client.group(STAFF, "Shop staff", topics=topics)
    results = await run_setup_check(healthy(staff_chat_id=str(STAFF), staff_thread_id=thread))
    staff = row(results, "Staff chat")
    assert staff.status is status and detail in staff.detail, staff
    [action] = await telegram_fake.client.calls("sendChatAction") or [None]
    if topics is not None:  # a typing… in the topic is all it leaves
        assert action is not None and action["params"]["message_thread_id"] == int(thread)
    assert not await telegram_fake.client.calls("sendMessage")


async def test_a_topic_without_a_staff_chat(healthy) -> None:
    results = await run_setup_check(healthy(staff_thread_id="7"))
    assert row(results, "Staff chat").status is Status.FAIL


async def test_admins_who_never_opened_the_bot_are_named(
    healthy, telegram_fake: TelegramFake
) -> None:
    results = await run_setup_check(healthy(admin_ids="4242, 5151"))
    admins = row(results, "Staff (ADMIN_IDS)")
    assert admins.status is Status.WARN
    assert "1 of 2 admin(s) never opened the bot (5151)" in admins.detail
    assert "their cards about new and paid orders cannot be sent" in admins.detail
    assert "taps Start" in admins.fix
    assert exit_code(results) == 0  # the bot can run; those admins just hear nothing
    await telegram_fake.client.findings(clear=True)


@pytest.mark.parametrize(("oneentry_shop", "hidden"), [("tea", 15), ("market", 17)])
async def test_every_catalog_product_id_must_exist(
    healthy, oneentry_shop: str, hidden: int
) -> None:
    results = await run_setup_check(healthy(catalog_product_ids=f"1,2,{hidden},999"))
    products = row(results, "Products")
    assert products.status is Status.FAIL
    assert f"no visible product {hidden}, 999 (2 of 4 ids)" in products.detail
    assert "CATALOG_PRODUCT_IDS" in products.fix
    fine = await run_setup_check(healthy(catalog_product_ids="1,2"))
    assert row(fine, "Products").status is Status.OK


# -- the settings and the .env file ------------------------------------------------------------


async def test_every_bad_setting_is_one_plain_line_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "ONEENTRY_", "ADMIN_IDS", "STAFF_")):
            monkeypatch.delenv(name)
    env = tmp_path / ".env"
    env.write_text(
        "\n".join(
            [
                "TELEGRAM_BOT_TOKEN=not-a-token",
                "ONEENTRY_PROJECT_URL=my-shop",
                "ONEENTRY_APP_TOKEN=t",
                "ONEENTRY_GUEST_LOGIN=guest@shop.example",
                "ONEENTRY_GUEST_PASSWORD=p",
                "ADMIN_IDS=@sam",
                "STAFF_CHAT_ID=staff",
                "STAFF_LANGUAGE=de",
                "ONEENTRY_TIMEOUT=-1",
                "CATALOG_PRODUCT_IDS=12,tea",
            ]
        )
    )
    results = await check_environment(env)
    [settings] = results  # the .env is there: no row about it
    assert settings.status is Status.FAIL and settings.problems == 7
    lines = settings.fix.splitlines()
    assert len(lines) == 7
    expected = {
        "TELEGRAM_BOT_TOKEN": "must look like 123456:ABC-DEF",
        "ONEENTRY_PROJECT_URL": "is not a full web address",
        "ADMIN_IDS": "'@sam' is not a numeric Telegram user id",
        "STAFF_CHAT_ID": "is not a whole number",
        "STAFF_LANGUAGE": "must be one of 'en' or 'ru'",
        "ONEENTRY_TIMEOUT": "must be more than 0",
        "CATALOG_PRODUCT_IDS": "'tea' is not a OneEntry product id",
    }
    by_name = {line.split(":")[0]: line for line in lines}
    assert set(by_name) == set(expected)
    for name, problem in expected.items():
        assert by_name[name].startswith(f"{name}: {problem}"), by_name[name]
        assert f"Example: {name}=" in by_name[name], by_name[name]
    report = render_report(results)
    assert "7 problems to fix before the bot can take orders." in report
    assert report.count("@BotFather") == 1  # the hint once, not twice
    for developer_speak in ("Value error", "invalid literal", "Input should be", "relative URL"):
        assert developer_speak not in report
    assert "not-a-token" not in report


async def test_a_missing_env_file_is_said_first_with_where_it_was_looked_for(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for name, value in _environment(telegram_fake, oneentry_emulator, tmp_path).items():
        monkeypatch.setenv(name, value)
    await telegram_fake.client.customer(4242, "Sam")
    results = await check_environment(tmp_path / "nowhere" / ".env")
    first = results[0]
    assert first.name == ".env file" and first.status is Status.WARN
    assert str(tmp_path / "nowhere" / ".env") in first.detail
    assert results[1].name == "Settings" and results[1].status is Status.OK
    assert exit_code(results) == 0


@pytest.mark.parametrize("oneentry_shop", ["market"])
async def test_the_form_row_lists_what_the_checkout_asks_in_order(healthy) -> None:
    results = await run_setup_check(healthy())
    [form] = [result for result in results if result.name == "Order form"]
    assert form.status is Status.OK
    lines = form.detail.splitlines()
    assert lines[0] == "'market_checkout': the checkout asks, in this order:"
    assert lines[1] == (
        '1. customer_name "Your name" (string, required, name; 2–40 characters; trimmed; '
        "the shop's own error texts)"
    )
    assert "mask +7 (999) 999-99-99" in lines[2]
    assert lines[4] == (
        '4. delivery_method "Delivery" (radioButton, required; choices: Courier to the door, '
        "Pick up at the shop)"
    )
    assert lines[6] == '6. delivery_date "Preferred delivery date" (date, optional)'
    assert lines[-1].startswith("not asked: receipt_scan (a file field")
    report = render_report(results).splitlines()  # each field on a line of its own, under the row
    [address] = [line for line in report if '5. delivery_address "Delivery address"' in line]
    [title] = [line for line in report if "Order form" in line]
    assert address.index("5.") == title.index("'market_checkout'")


async def test_a_form_without_a_phone_field_is_a_warning(
    healthy, oneentry_emulator: RunningEmulator
) -> None:
    form = next(
        f for f in oneentry_emulator.state.data["forms"] if f["identifier"] == "guest_order"
    )
    form["attributes"] = [a for a in form["attributes"] if a["marker"] != "guest_phone"]
    results = await run_setup_check(healthy())
    [row] = [result for result in results if result.name == "Order form"]
    assert row.status is Status.WARN
    assert row.detail.startswith("no field for the customer's phone")
    assert "Set ONEENTRY_PHONE_FIELD" in row.fix
    assert exit_code(results) == 0


async def test_a_required_field_the_bot_cannot_fill_says_which_and_why(
    healthy, oneentry_emulator: RunningEmulator
) -> None:
    form = next(
        f for f in oneentry_emulator.state.data["forms"] if f["identifier"] == "guest_order"
    )
    form["attributes"].append(
        {
            "marker": "slot",
            "type": "timeInterval",
            "position": 9,
            "validators": {"requiredValidator": {}},
        }
    )
    results = await run_setup_check(healthy())
    [row] = [result for result in results if result.name == "Order form"]
    assert row.status is Status.FAIL
    assert row.detail.startswith(
        "'slot' is required, but the bot cannot fill a field of type 'timeInterval'"
    )
    assert "Make 'slot' optional in 'guest_order'" in row.fix
