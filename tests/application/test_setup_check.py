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

from application.setup_check import Status, exit_code, render_report, run_setup_check
from sandbox.oneentry import RunningEmulator
from settings import Settings
from tests.fixtures.bot import bot_settings_for
from tests.fixtures.telegram import TelegramFake

ROOT = Path(__file__).resolve().parents[2]
READ_ONLY_POSTS = {"auth.login", "auth.refresh", "products.list"}


@pytest.fixture
def healthy(
    tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> Callable[..., Settings]:
    """Settings for the stand-ins, with `overrides` applied."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {"admin_ids": "4242"}
        values.update(overrides)
        data_dir = values.pop("data_dir", tmp_path / "data")
        return bot_settings_for(telegram_fake, oneentry_emulator, data_dir, **values)  # type: ignore[arg-type]

    return make


def by_name(results) -> dict[str, Status]:
    return {result.name: result.status for result in results}


async def test_healthy_setup_is_all_ticks_and_changes_nothing(
    healthy, oneentry_emulator: RunningEmulator, tmp_path: Path
) -> None:
    results = await run_setup_check(healthy())
    report = render_report(results)
    assert all(result.status is Status.OK for result in results), report
    assert exit_code(results) == 0
    assert "@oneentry_shop_bot" in report
    assert "cash, stripe" in report
    writes = [r for r in oneentry_emulator.state.requests if r.method != "GET"]
    assert {r.endpoint for r in writes} <= READ_ONLY_POSTS
    assert oneentry_emulator.state.orders == {}
    assert oneentry_emulator.state.sessions == {}
    assert not (tmp_path / "data").exists()  # not even the data directory is created


async def test_missing_admins_is_a_warning_not_a_failure(healthy) -> None:
    results = await run_setup_check(healthy(admin_ids=""))
    assert by_name(results)["Staff (ADMIN_IDS)"] is Status.WARN
    assert exit_code(results) == 0


def _remove_product_prices(state) -> None:
    for product in state.data["products"]:
        product["price"] = None


def _drop_form_field(state) -> None:
    form = next(f for f in state.data["forms"] if f["identifier"] == "guest_order")
    form["attributes"] = [a for a in form["attributes"] if a["marker"] != "guest_phone"]


def _storage_without_cash(state) -> None:
    state.data["orderStorages"][0]["paymentAccountIdentifiers"] = ["stripe"]


BROKEN_EMULATOR = {
    "Products": _remove_product_prices,
    "Order form": _drop_form_field,
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
    env = _environment(telegram_fake, oneentry_emulator, tmp_path)
    env["ONEENTRY_ORDER_FORM"] = "no_such_form"
    result = await _run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    assert "✗ Order form" in result.stdout
    assert "fix: Create an order form" in result.stdout
    assert "✓ Telegram bot token" in result.stdout
    assert oneentry_emulator.guest_password not in result.stdout + result.stderr


async def test_command_line_reports_bad_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}
    result = await _run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    assert "✗ Settings" in result.stdout
    assert "TELEGRAM_BOT_TOKEN is missing" in result.stdout


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
