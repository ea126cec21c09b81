"""Run every check, each on its own, and collect the rows in the table's order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from application.builder import DEVICE_ID_FILE, oneentry_client
from application.setup_check.local_checks import (
    check_admins,
    check_data_dir,
    check_webhook,
    read_device_id,
)
from application.setup_check.oneentry_checks import check_oneentry
from application.setup_check.results import CheckResult
from application.setup_check.telegram_check import check_telegram
from settings import Settings, SettingsError, load_settings

SETTINGS = "Settings"


async def check_environment(env_file: Path | str | None = ".env") -> list[CheckResult]:
    """Load the settings as `run` would, then check the live setup; a settings problem is
    one ✗ row naming every bad setting (nothing else can be checked without them)."""
    try:
        settings = load_settings(env_file=env_file)
    except SettingsError as problem:
        head, _, rest = str(problem).partition("\n")
        return [CheckResult.fail(SETTINGS, head.rstrip(":"), rest)]
    return await run_setup_check(settings)


async def run_setup_check(settings: Settings) -> list[CheckResult]:
    """Every check against `settings`; Telegram and OneEntry are asked concurrently."""
    client = oneentry_client(
        settings, device_id=read_device_id(settings.data_dir, DEVICE_ID_FILE), max_retries=1
    )
    async with client:
        telegram, oneentry = await asyncio.gather(
            check_telegram(settings), check_oneentry(settings, client)
        )
    return [
        CheckResult.ok(SETTINGS, "valid"),
        telegram,
        check_webhook(settings),
        *oneentry,
        check_admins(settings),
        check_data_dir(settings),
    ]
