"""One row of the check's table: what was checked, how it went, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """✗ fails the check (non-zero exit); ⚠ is shown but the bot can run; – was not checked
    because something it needs failed first (that failure is reported on its own row)."""

    OK = "✓"
    FAIL = "✗"
    WARN = "⚠"
    SKIPPED = "–"


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    fix: str = ""
    problems: int = 1  # how many things to fix a ✗ row stands for (one line of `fix` each)

    @classmethod
    def ok(cls, name: str, detail: str) -> CheckResult:
        return cls(name, Status.OK, detail)

    @classmethod
    def fail(cls, name: str, detail: str, fix: str, problems: int = 1) -> CheckResult:
        return cls(name, Status.FAIL, detail, fix, problems)

    @classmethod
    def warn(cls, name: str, detail: str, fix: str) -> CheckResult:
        return cls(name, Status.WARN, detail, fix)

    @classmethod
    def skipped(cls, name: str, because: str) -> CheckResult:
        return cls(name, Status.SKIPPED, f"not checked: {because}")
