"""Turning raw measurements into the issue's figures: percentiles, per-order counts, the
bot's own latency from its trace file, and the printed table."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def spread_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max, in milliseconds."""
    if not seconds:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan, "max": math.nan}
    return {
        "p50": round(percentile(seconds, 0.50) * 1000, 1),
        "p95": round(percentile(seconds, 0.95) * 1000, 1),
        "p99": round(percentile(seconds, 0.99) * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
    }


def per_order(counts: Counter[str], orders: float, digits: int = 3) -> dict[str, float]:
    """Counts divided by completed orders (or any other unit), largest first."""
    if orders == 0:
        return {}
    return {name: round(count / orders, digits) for name, count in counts.most_common()}


def read_trace(path: Path, since: float, until: float) -> list[dict[str, Any]]:
    """The bot's trace lines for updates it received in [since, until] (wall clock)."""
    if not path.exists():
        return []
    lines = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return [line for line in lines if since <= line["received"] <= until]


def own_latency_seconds(trace: Iterable[dict[str, Any]]) -> list[float]:
    """Per update: received → first Bot API call, less the OneEntry waiting before it."""
    return [
        max(0.0, line["first_reply"] - line["received"] - line["oneentry_seconds"])
        for line in trace
        if line["first_reply"] is not None
    ]


def render_table(figures: dict[str, Any]) -> str:
    """The figures as `name  value` rows, nested keys joined with dots."""
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            rows.append((prefix, _shown(value)))

    walk("", figures)
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if not math.isnan(value) else "n/a"
    if isinstance(value, bool | None):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
