"""Run every check, each on its own, and collect the rows in the table's order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from application.builder import DEVICE_ID_FILE, oneentry_client
from application.setup_check.local_checks import (
    check_data_dir,
    check_webhook,
    read_device_id,
)
from application.setup_check.oneentry_checks import check_oneentry
from application.setup_check.results import CheckResult
from application.setup_check.store_check import check_store
from application.setup_check.telegram_check import check_telegram
from settings import Settings, SettingsError, load_settings, missing_env_file

SETTINGS = "Settings"
ENV_FILE = ".env file"


async def check_environment(env_file: Path | str | None = ".env") -> list[CheckResult]:
    """Load the settings as `run` would, then check the live setup. A `.env` that is not
    there is said first (with where it was looked for); bad settings are one ✗ row with a
    line per setting (nothing else can be checked without them), each counted."""
    rows: list[CheckResult] = []
    missing = missing_env_file(env_file)
    if missing is not None:
        rows.append(
            CheckResult.warn(
                ENV_FILE,
                f"not found: looked for {missing}; the settings come from the environment alone",
                "Copy .env.example to .env in the directory you start the bot from and fill "
                "it in (or set every setting in the environment, as a service manager can).",
            )
        )
    try:
        settings = load_settings(env_file=env_file)
    except SettingsError as problem:
        count = len(problem.problems)
        what = "1 setting cannot be used" if count == 1 else f"{count} settings cannot be used"
        rows.append(
            CheckResult.fail(SETTINGS, what, "\n".join(problem.problems), problems=max(count, 1))
        )
        return rows
    return rows + await run_setup_check(settings)


async def run_setup_check(settings: Settings) -> list[CheckResult]:
    """Every check against `settings`; Telegram and OneEntry are asked concurrently."""
    client = oneentry_client(
        settings, device_id=read_device_id(settings.data_dir, DEVICE_ID_FILE), max_retries=1
    )
    async with client:
        telegram, oneentry, store = await asyncio.gather(
            check_telegram(settings), check_oneentry(settings, client), check_store(settings)
        )
    token, inline_mode, staff_chat, admins = telegram
    return [
        CheckResult.ok(SETTINGS, "valid"),
        token,
        inline_mode,
        check_webhook(settings),
        *oneentry,
        admins,
        staff_chat,
        check_data_dir(settings),
        store,
    ]
