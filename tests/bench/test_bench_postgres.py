"""The load benchmark with the store in PostgreSQL (`--database postgresql`): a small run
that starts its own throwaway server and reports the figures, as on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.checkout import main
from tests.fixtures.store import require_binaries

pytestmark = pytest.mark.timeout(120)


def test_a_small_run_on_postgresql_reports_the_figures(tmp_path: Path) -> None:
    require_binaries()
    report = tmp_path / "figures.json"
    argv = ["--customers", "3", "--latency-ms", "5", "--think-ms", "0", "--idle-customers", "0"]
    argv += ["--sequential-customers", "0", "--database", "postgresql", "--flash-sale", ""]
    assert main([*argv, "--json", str(report), "--workdir", str(tmp_path / "work")]) == 0

    figures = json.loads(report.read_text())
    assert figures["database"] == "postgresql"
    assert figures["orders_completed"] == 3
    assert not any(key.endswith("journeys_failed") for key in figures)
    assert figures["3_oneentry_calls_per_order"]["orders.create"] == 1
    assert not (tmp_path / "work" / "bot-concurrent" / "ledger.sqlite3").exists()
