"""The table the operator reads, and the exit code scripts read."""

from __future__ import annotations

from collections.abc import Sequence

from application.setup_check.results import CheckResult, Status


def render_report(results: Sequence[CheckResult]) -> str:
    """`✓ name  detail`, one row per check, each ✗/⚠ followed by its `fix:` line(s)."""
    width = max((len(result.name) for result in results), default=0)
    lines = ["Setup check", ""]
    for result in results:
        first, *more = result.detail.splitlines() or [""]
        lines.append(f"  {result.status.value} {result.name.ljust(width)}  {first}")
        lines += [f"    {' ' * width}  {line}" for line in more]
        for number, fix_line in enumerate(result.fix.splitlines()):
            prefix = "fix: " if number == 0 else "     "
            lines.append(f"    {' ' * width}  {prefix}{fix_line}")
    failed = sum(result.problems for result in results if result.status is Status.FAIL)
    warned = sum(result.status is Status.WARN for result in results)
    lines.append("")
    if failed:
        lines.append(f"{_count(failed, 'problem')} to fix before the bot can take orders.")
    elif warned:
        lines.append(f"Ready to run, with {_count(warned, 'warning')}.")
    else:
        lines.append("Everything is ready: `make run` starts the bot.")
    return "\n".join(lines)


def exit_code(results: Sequence[CheckResult]) -> int:
    """1 when anything failed; warnings alone do not fail the check."""
    return 1 if any(result.status is Status.FAIL for result in results) else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
