"""The bot process's own CPU time and memory, read from /proc (Linux): no dependency, and
nothing inside the bot has to report on itself."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcessSample:
    """CPU seconds used so far (user + system), resident memory now and at its peak (bytes)."""

    cpu_seconds: float
    rss_bytes: int
    peak_rss_bytes: int


def sample(pid: int) -> ProcessSample:
    proc = Path("/proc") / str(pid)
    # The command name (field 2) may hold spaces; the fields after its ")" are fixed.
    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    status = _status_kilobytes(proc / "status")
    return ProcessSample(
        cpu_seconds=(utime + stime) / _CLOCK_TICKS,
        rss_bytes=status["VmRSS"] * 1024,
        peak_rss_bytes=status["VmHWM"] * 1024,
    )


def _status_kilobytes(path: Path) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def machine() -> dict[str, str | int]:
    """What the figures were measured on: cores, CPU model, Python."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break

    return {
        "cores": os.cpu_count() or 0,
        "cpu_model": model,
        "python": platform.python_version(),
    }
