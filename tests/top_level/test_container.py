"""The container image and the compose files, checked without a Docker engine (this machine
has none): the Dockerfile's entry point runs here as the image would run it, from a
directory holding only what the Dockerfile copies, with the environment the image and
compose.yaml give it, against both stand-ins; its HEALTHCHECK command runs against it.
What differs from a real container: this machine's Python and its installed packages (the
same versions requirements.lock pins are not enforced here), a temporary directory as the
/data volume, a free port for 8080 (8443 for the webhook), no DATABASE_URL (PostgreSQL is not
up here; the store's own tests run against it), and for the webhook variant the fake posting
straight to the bot where Caddy would forward the HTTPS requests (its routes are checked
against the bot's settings instead)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

from sandbox.oneentry import RunningEmulator
from shop.ledger import LEDGER_FILE
from tests.fixtures.bot import process_environment
from tests.fixtures.telegram import TelegramFake

ROOT = Path(__file__).resolve().parents[2]
_VARIABLE = re.compile(r"\$\{(\w+)(?::\?[^}]*)?\}")


@dataclass
class Dockerfile:
    base: str = ""
    env: dict[str, str] = field(default_factory=dict)
    copied: list[str] = field(default_factory=list)
    user: str = "root"
    volumes: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)  # ENTRYPOINT + CMD
    healthcheck: list[str] = field(default_factory=list)


def read_dockerfile() -> Dockerfile:
    """The instructions this test relies on, read the way Docker reads them."""
    text = (ROOT / "Dockerfile").read_text()
    lines = re.sub(r"\\\n\s*", " ", text).splitlines()
    image = Dockerfile()
    entrypoint: list[str] = []
    cmd: list[str] = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        if word == "FROM":
            image.base = rest
        elif word == "ENV":
            image.env.update(part.split("=", 1) for part in rest.split())
        elif word == "COPY":
            image.copied += rest.split()[:-1]
        elif word == "USER":
            image.user = rest
        elif word == "VOLUME":
            image.volumes += json.loads(rest)
        elif word == "ENTRYPOINT":
            entrypoint = json.loads(rest)
        elif word == "CMD":
            cmd = json.loads(rest)
        elif word == "HEALTHCHECK":
            image.healthcheck = json.loads(rest[rest.index("CMD ") + 4 :])
    image.command = entrypoint + cmd
    return image


def compose_environment(files: list[str], values: dict[str, str]) -> dict[str, str]:
    """The bot service's `environment:` across the compose files (later ones override), with
    `${VAR}` and `${VAR:?message}` filled from `values` (as compose fills them from .env)."""
    merged: dict[str, str] = {}
    for name in files:
        services = yaml.safe_load((ROOT / name).read_text())["services"]
        merged.update(services["bot"].get("environment", {}))
    return {
        key: _VARIABLE.sub(lambda match: values[match.group(1)], str(value))
        for key, value in merged.items()
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_image_is_slim_unprivileged_pinned_and_keeps_its_data_in_a_volume() -> None:
    image = read_dockerfile()
    assert image.base.startswith("python:3.11") and "slim" in image.base
    assert image.user not in {"root", "0", ""}
    assert image.env["DATA_DIR"] in image.volumes
    assert image.command == ["python", "bot.py", "run"]
    assert "requirements.lock" in image.copied
    assert ".env" in (ROOT / ".dockerignore").read_text().split()

    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"not pinned: {line!r}"
            pins[_normal(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        if "win32'" in requirement and "!=" not in requirement:
            continue
        name = _normal(re.split(r"[\[<>=!; ]", requirement, maxsplit=1)[0])
        assert name in pins, f"{name} is a dependency but requirements.lock does not pin it"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("variant", ["polling", "webhook"])
async def test_the_image_command_runs_the_bot_with_the_compose_environment(
    variant: str, tmp_path: Path, telegram_fake: TelegramFake, oneentry_emulator: RunningEmulator
) -> None:
    image = read_dockerfile()
    app = tmp_path / "app"  # the image's WORKDIR: only what the Dockerfile copies
    app.mkdir()
    for source in image.copied:
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, app / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(origin, app / source)
    volume = tmp_path / "volume"
    volume.mkdir()
    port = free_port()
    # What .env holds for compose's env_file: the stand-ins, as their owner would paste them.
    dot_env = process_environment(telegram_fake, oneentry_emulator, volume)
    files = ["compose.yaml"] if variant == "polling" else ["compose.yaml", "compose.webhook.yaml"]
    values = {"POSTGRES_PASSWORD": "pw", "BOT_DOMAIN": "bot.my-shop.example"}
    env = {
        **dot_env,
        **image.env,
        **compose_environment(files, values),
        "DATA_DIR": str(volume),  # the bot-data volume
    }
    assert env["HEALTH_LISTEN"] == "0.0.0.0"
    env.pop("DATABASE_URL")  # db:5432 exists only inside compose's network
    if variant == "polling":
        env["HEALTH_PORT"] = str(port)  # published as 8080 by the container
    else:
        # The proxy's public https URL stands for this address here: the fake posts to it.
        assert env["WEBHOOK_URL"] == "https://bot.my-shop.example/telegram"
        assert env["WEBHOOK_LISTEN"] == "0.0.0.0"
        env.update(
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            WEBHOOK_PORT=str(port),  # published as 8443 by the container
            WEBHOOK_SECRET="compose-webhook-secret",
        )
    command = [sys.executable if part == "python" else part for part in image.command]

    alice = await telegram_fake.client.customer(user_id=1001, first_name="Alice")
    bot = await asyncio.create_subprocess_exec(
        *command, cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        await alice.command("start")
        await alice.wait_for_message("Hello", timeout=30)
        async with httpx.AsyncClient() as http:
            base = f"http://127.0.0.1:{port}"
            assert (await http.get(f"{base}/healthz")).json() == {"status": "alive"}
            ready = await http.get(f"{base}/readyz")
            assert ready.status_code == 200, ready.text
            metrics = (await http.get(f"{base}/metrics")).text
            assert "shop_bot_updates_handled_total 1.0" in metrics

        probe = [sys.executable if part == "python" else part for part in image.healthcheck]
        healthcheck = await asyncio.create_subprocess_exec(*probe, env=env)
        assert await asyncio.wait_for(healthcheck.wait(), 10) == 0

        bot.send_signal(signal.SIGTERM)  # docker stop
        _, stderr = await asyncio.wait_for(bot.communicate(), 20)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    assert bot.returncode == 0, stderr.decode()
    assert (volume / LEDGER_FILE).exists()
    log = stderr.decode()
    assert f"mode={variant}" in log
    assert "/healthz" not in log and "/readyz" not in log  # probes are not logged


def test_the_webhook_variant_sends_only_the_webhook_path_to_the_bot() -> None:
    values = {"POSTGRES_PASSWORD": "pw", "BOT_DOMAIN": "bot.my-shop.example"}
    env = compose_environment(["compose.yaml", "compose.webhook.yaml"], values)
    assert env["WEBHOOK_URL"] == "https://bot.my-shop.example/telegram"
    proxy = yaml.safe_load((ROOT / "compose.webhook.yaml").read_text())["services"]["proxy"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]

    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    handled = re.findall(r"handle (/\S*) \{\s*reverse_proxy (\S+)\s*\}", caddyfile)
    assert handled == [("/telegram", f"bot:{env['WEBHOOK_PORT']}")]
    assert "respond 404" in caddyfile  # /healthz, /readyz and /metrics stay inside
