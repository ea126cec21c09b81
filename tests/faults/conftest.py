"""The fault matrix's fixtures and its report.

The two stand-ins are served once for the whole matrix and reset before each scenario (a
fresh Telegram world, the tea shop as defined): starting and stopping two servers costs more
than most scenarios, and every scenario runs its own bot on its own data directory anyway.
The matrix's tests run in one event loop for that (`pytestmark` in each module).

The report: with FAULT_MATRIX_REPORT naming a file, every scenario's outcome (orders expected
and found, duplicates, lost, what the customer saw, the ledger, pass or fail) is written there
as JSON when the session ends, so the figures can be quoted. Off by default. Each test hands
its `Outcome` to the `outcome_report` fixture; the pass/fail comes from pytest's own report.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from sandbox.oneentry import EmulatorState, RunningEmulator, serve_emulator
from sandbox.serving import serve_in_background
from sandbox.telegram.app import create_app
from sandbox.telegram.driver import TelegramFakeClient
from sandbox.telegram.state import FakeState
from tests.faults.matrix import EmulatorWatch, Outcome
from tests.fixtures.telegram import TelegramFake, problems

LOOP = "package"


@pytest_asyncio.fixture(scope="package", loop_scope=LOOP)
async def served_stand_ins() -> AsyncIterator[tuple[TelegramFake, RunningEmulator]]:
    """The Telegram fake and the OneEntry emulator, served once for the matrix."""
    state = FakeState(webhook_retry_delay=0)
    async with (
        serve_in_background(create_app(state)) as url,
        TelegramFakeClient(url) as client,
        serve_emulator(EmulatorState.from_shop("tea")) as emulator,
    ):
        try:
            yield TelegramFake(url, state, client), emulator
        finally:
            await state.close()


@pytest_asyncio.fixture(loop_scope=LOOP)
async def telegram_fake(
    served_stand_ins: tuple[TelegramFake, RunningEmulator],
) -> AsyncIterator[TelegramFake]:
    """The shared fake, fresh for this scenario; teardown fails the test on anything the
    fake saw wrong (as the fixture of the other suites does)."""
    fake = served_stand_ins[0]
    await fake.state.reset()
    yield fake
    left = problems(fake.state)
    await fake.state.reset()
    if left:
        pytest.fail("the Telegram fake saw problems:\n  - " + "\n  - ".join(left))


@pytest.fixture
def oneentry_emulator(
    served_stand_ins: tuple[TelegramFake, RunningEmulator],
) -> Iterator[RunningEmulator]:
    """The shared emulator, back to the tea shop as defined for this scenario."""
    emulator = served_stand_ins[1]
    emulator.state.reset()
    yield emulator
    emulator.state.reset()


@pytest.fixture
def emulator_watch(oneentry_emulator: RunningEmulator) -> Iterator[EmulatorWatch]:
    watch = EmulatorWatch(oneentry_emulator.state)
    yield watch
    watch.close()


REPORT_ENV = "FAULT_MATRIX_REPORT"
OUTCOME = pytest.StashKey[Outcome]()
RESULT = pytest.StashKey[dict[str, Any]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[None] | Any:
    report = yield
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        text = report.longreprtext if report.longrepr is not None else ""
        xpassed_strict = report.outcome == "failed" and "[XPASS(strict)]" in text
        xfailed = hasattr(report, "wasxfail") and report.outcome == "skipped"
        item.stash[RESULT] = {
            "outcome": "xpassed (strict)" if xpassed_strict else report.outcome,
            "xfail": xfailed or xpassed_strict or hasattr(report, "wasxfail"),
            # The bot met the spec: the test passed, or passed although marked to fail (a
            # strict XPASS fails the run, but the bot did meet the spec).
            "passed": report.outcome == "passed" or xpassed_strict,
        }
        if report.outcome != "passed" and text:
            lines = [line for line in text.splitlines() if line.strip()]
            item.stash[RESULT]["failure"] = lines[-1][:500] if lines else None
    return report


@pytest.fixture
def outcome_report(request: pytest.FixtureRequest) -> Callable[[Outcome], Outcome]:
    """`outcome_report(outcome)` keeps the test's outcome for the session's report."""

    def keep(outcome: Outcome) -> Outcome:
        request.node.stash[OUTCOME] = outcome
        return outcome

    return keep


@pytest.fixture(scope="session", autouse=True)
def fault_matrix_report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    rows = []
    for item in request.session.items:
        outcome = item.stash.get(OUTCOME, None)
        result = item.stash.get(RESULT, None)
        if outcome is None and result is None:
            continue
        row: dict[str, Any] = outcome.summary() if outcome is not None else {"scenario": item.name}
        row["test"] = item.nodeid
        row.update(result or {"outcome": "not run", "passed": False})
        rows.append(row)
    summary = {
        "scenarios": len(rows),
        "by_class": _count(rows, "class"),
        "met_spec": sum(1 for r in rows if r.get("passed")),
        "failed_spec": [r["scenario"] for r in rows if not r.get("passed")],
        "duplicates": sum(r.get("duplicates", 0) for r in rows),
        "missing": sum(r.get("missing", 0) for r in rows),
        "lost": sum(r.get("lost", 0) for r in rows),
        "results": rows,
    }
    Path(target).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")


def _count(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        value = str(row.get(key))
        counts[value] = counts.get(value, 0) + 1
    return counts
