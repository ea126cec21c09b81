"""The demo shop seed, a replaced seed file, and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.oneentry import EmulatorState, SeedError, load_seed

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_demo_shop_has_what_the_bot_needs() -> None:
    data = load_seed().data
    products = data["products"]
    assert len(products) >= 12
    assert all({"en_US", "ru_RU"} <= set(p["localizeInfos"]) for p in products)
    assert any(not p["isVisible"] for p in products)
    assert any(p["statusIdentifier"] == "out_of_stock" for p in products)
    storage = data["orderStorages"][0]
    assert storage["identifier"] == "guest_orders"
    assert storage["paymentAccountIdentifiers"] == ["cash", "stripe"]
    linked = set(storage["paymentAccountIdentifiers"])
    assert any(a["identifier"] not in linked for a in data["paymentAccounts"])


def test_a_bad_seed_file_names_every_problem(tmp_path: Path) -> None:
    data = load_seed().fresh_copy()
    data["products"][0]["price"] = "cheap"
    data["orderStorages"][0]["paymentAccountIdentifiers"].append("bitcoin")
    bad = tmp_path / "shop.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        EmulatorState.from_seed(bad)
    message = str(caught.value)
    assert str(bad) in message
    assert "products[0].price must be a number" in message
    assert "bitcoin" in message


def test_a_missing_or_broken_seed_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SeedError, match="not valid JSON"):
        load_seed(broken)
    with pytest.raises(SeedError, match="cannot read seed file"):
        load_seed(tmp_path / "absent.json")


def test_cli_prints_env_lines_then_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.oneentry", "--port", "0", "--access-token-ttl", "30"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(4)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    keys = [line.partition("=")[0] for line in lines]
    assert keys == [
        "ONEENTRY_PROJECT_URL",
        "ONEENTRY_APP_TOKEN",
        "ONEENTRY_GUEST_LOGIN",
        "ONEENTRY_GUEST_PASSWORD",
    ]
    assert lines[0].startswith("ONEENTRY_PROJECT_URL=http://127.0.0.1:")
    assert not lines[0].endswith(":0")
    assert lines[1] == "ONEENTRY_APP_TOKEN=sandbox-app-token"
    assert lines[2] == "ONEENTRY_GUEST_LOGIN=guest@shop.example"


def test_cli_refuses_a_bad_seed(tmp_path: Path) -> None:
    bad = tmp_path / "shop.json"
    bad.write_text("[]", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.oneentry", "--port", "0", "--seed", str(bad)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "the top level must be a JSON object" in result.stderr
