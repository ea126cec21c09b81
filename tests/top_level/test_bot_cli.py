"""`python bot.py run` as an operator starts it: against the stand-ins served by this test,
in polling and in webhook mode. SIGTERM stops it gracefully with the customer's cart saved,
and its log is key=value lines with no token, password, secret or phone number in them."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.telegram.webhook import SECRET_HEADER
from shop.chat_state import STATE_FILE, ChatStateStore
from tests.fixtures.bot import process_environment
from tests.fixtures.telegram import TelegramFake

ROOT = Path(__file__).resolve().parents[2]
PHONE_TEXT = "call me at +7 912 345-67-89"
WEBHOOK_SECRET = "webhook_Secret-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_environment(
    telegram: TelegramFake, oneentry: RunningEmulator, data_dir: Path
) -> dict[str, str]:
    return process_environment(telegram, oneentry, data_dir, LOG_LEVEL="DEBUG")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_run_saves_the_cart_on_sigterm_and_logs_no_secrets(
    mode: str, tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    env = bot_environment(telegram_fake, oneentry_emulator, tmp_path / "data")
    hook_url = ""
    if mode == "webhook":
        port = free_port()
        hook_url = f"http://127.0.0.1:{port}/telegram-hook"
        env.update(
            WEBHOOK_URL=hook_url,
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run",
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        await alice.send(PHONE_TEXT)
        await alice.command("catalog")
        await alice.wait_for_message("Catalog", timeout=20)
        await alice.tap("Green tea Sencha · $12.50")
        await alice.wait_for_message("Green tea Sencha", timeout=10)
        await alice.tap("Add to cart")
        await alice.command("cart")  # one chat's updates run in order: the add came first
        cart = await alice.wait_for_message("Your cart", timeout=10)
        assert "Green tea Sencha × 1" in cart.text
        if mode == "webhook":
            assert (await telegram_fake.client.calls(method="setWebhook"))[0]["params"][
                "secret_token"
            ] == WEBHOOK_SECRET
            async with httpx.AsyncClient() as client:
                forged = await client.post(
                    hook_url, json={"update_id": 1}, headers={SECRET_HEADER: "wrong"}
                )
            assert forged.status_code == 403
        bot.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(bot.communicate(), 20)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    assert bot.returncode == 0, stderr.decode()

    async with ChatStateStore(tmp_path / "data" / STATE_FILE) as store:
        user_data = {uid: pickle.loads(data) for uid, data in (await store.user_data()).items()}
    assert user_data[1001]["cart"].quantity(1) == 1

    log = stderr.decode()
    assert f"mode={mode}" in log
    lines = [line for line in log.splitlines() if line]
    assert lines and all(line.startswith("ts=") and " level=" in line for line in lines), log
    for secret in (
        telegram_fake.token,
        telegram_fake.token.partition(":")[2],
        oneentry_emulator.app_token,
        oneentry_emulator.guest_password,
        WEBHOOK_SECRET,
        "912 345-67-89",
        "9123456789",
    ):
        assert secret not in log


async def test_run_refuses_bad_settings_with_one_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}
    env["WEBHOOK_URL"] = "https://bot.example/hook"
    result = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run",
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(result.communicate(), 20)
    assert result.returncode == 2
    message = stderr.decode()
    assert "TELEGRAM_BOT_TOKEN: is not set" in message
    assert f"No .env file at {tmp_path / '.env'}" in message.splitlines()[0]
    assert "WEBHOOK_SECRET" in message and "required when WEBHOOK_URL is set" in message
