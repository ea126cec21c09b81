"""`BotMetrics`: what the bot counts for Prometheus, on a registry of its own.

One object per bot, made by whoever runs it (`running.run`, a test) and handed to
`build_application`, which wires each source to it: the update processor (updates handled),
order placement (orders by outcome), the OneEntry client (calls and latency by endpoint), the
Bot API transport (429 answers, and when getUpdates last answered), the rate limiter (how
long a call waited for its turn) and the job queue (the follow-up backlog, read at each
scrape); the process's own CPU and memory come with them. The sources call the small methods
below; none of them knows of Prometheus.

The rate limiter reports each call's wait with `observe_rate_limiter_wait(seconds,
priority_class)`, the class being one of `ui.priority.Priority`'s names (order, checkout,
browsing, background).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from jobs.follow_up import FollowUpBacklog
from shop.placement_types import PlacementOutcome

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
PREFIX: Final = "shop_bot"
GET_UPDATES: Final = "getUpdates"
# OneEntry answers in tens to hundreds of milliseconds; a slow project in seconds.
LATENCY_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Telegram allows ~30 messages a second: a paced call waits tens of milliseconds; a burst or
# a 429's retry_after, seconds.
WAIT_BUCKETS: Final = (0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class BotMetrics:
    """The bot's counters, histograms and gauges, and the moments readiness asks about."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        # Wall-clock seconds (readiness compares the second with Telegram's dates).
        self.last_update_fetch: float | None = None  # getUpdates' last 200
        self.last_update: float | None = None  # the last update handled
        self._backlog: Callable[[], FollowUpBacklog] | None = None
        self._call_series: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        registry = self.registry
        self.updates = Counter(
            f"{PREFIX}_updates_handled", "Telegram updates the bot handled.", registry=registry
        )
        self.orders = Counter(
            f"{PREFIX}_orders",
            "Create-order calls by outcome: placed (an order recorded), refused (OneEntry "
            "refused it as invalid), unknown (no answer; looked for, never re-sent), failed "
            "(OneEntry could not take it and holds none).",
            ["outcome"],
            registry=registry,
        )
        for outcome in PlacementOutcome:
            self.orders.labels(outcome.value)
        self.oneentry_calls = Counter(
            f"{PREFIX}_oneentry_requests",
            "HTTP requests sent to OneEntry (each retry counts), by endpoint and outcome "
            "(the HTTP status or the transport error).",
            ["endpoint", "outcome"],
            registry=registry,
        )
        self.oneentry_seconds = Histogram(
            f"{PREFIX}_oneentry_request_duration_seconds",
            "How long each request to OneEntry took, by endpoint.",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.telegram_429 = Counter(
            f"{PREFIX}_telegram_429",
            "Bot API answers 429 Too Many Requests (flood control), by method.",
            ["method"],
            registry=registry,
        )
        self.rate_limiter_wait = Histogram(
            f"{PREFIX}_rate_limiter_wait_seconds",
            "How long a Bot API call waited for the rate limiter before it was sent, by the "
            "limiter's priority class.",
            ["priority"],
            buckets=WAIT_BUCKETS,
            registry=registry,
        )
        registry.register(_FollowUpCollector(self))
        # The process's CPU, memory and open files (process_*, on Linux) and Python's version.
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)

    # -- what the sources report --------------------------------------------------------------

    def count_update(self) -> None:
        self.updates.inc()
        self.last_update = self._clock()

    def count_order(self, outcome: PlacementOutcome) -> None:
        self.orders.labels(outcome.value).inc()

    def observe_oneentry_call(self, endpoint: str, outcome: str, seconds: float) -> None:
        series = self._call_series.get((endpoint, outcome))
        if series is None:  # labels() validates each time: look each pair up once
            series = (
                self.oneentry_calls.labels(endpoint, outcome),
                self.oneentry_seconds.labels(endpoint),
            )
            self._call_series[(endpoint, outcome)] = series
        series[0].inc()
        series[1].observe(seconds)

    def bot_api_answered(self, method: str, status: int) -> None:
        """One Bot API answer came back (the transport reports each)."""
        if status == 429:
            self.count_telegram_429(method)
        elif status == 200 and method == GET_UPDATES:
            self.last_update_fetch = self._clock()

    def count_telegram_429(self, method: str) -> None:
        self.telegram_429.labels(method).inc()

    def observe_rate_limiter_wait(self, seconds: float, priority_class: str) -> None:
        self.rate_limiter_wait.labels(priority_class).observe(seconds)

    def watch_follow_ups(self, backlog: Callable[[], FollowUpBacklog]) -> None:
        """Read the follow-up backlog from `backlog` at each scrape."""
        self._backlog = backlog

    # -- what readiness and the scrape read ---------------------------------------------------

    def follow_up_backlog(self) -> FollowUpBacklog:
        return self._backlog() if self._backlog is not None else FollowUpBacklog(0, 0)

    def seconds_since(self, moment: float | None) -> float | None:
        return None if moment is None else self._clock() - moment

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


class _FollowUpCollector(Collector):
    """The follow-up backlog as two gauges, read from the job queue when scraped."""

    def __init__(self, metrics: BotMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[GaugeMetricFamily]:
        counts = self._metrics.follow_up_backlog()
        yield GaugeMetricFamily(
            f"{PREFIX}_follow_ups_scheduled",
            "Open orders whose payment and status the follow-up will look at again.",
            value=counts.scheduled,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_follow_ups_due",
            "Follow-up looks whose time has come and that have not run yet (the backlog).",
            value=counts.due,
        )
