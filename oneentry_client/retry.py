"""The retry policy as two pure functions, so each can be tested as a table.

Reads are retried on transport failures, 408, 429 and 5xx. Login and refresh are retried only
when the request provably never left (connect errors, pool timeouts). Calls that create things
(orders, payment sessions) are never retried: a replay could create a second one.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "DEFAULT_MAX_DELAY",
    "DEFAULT_MAX_RETRY_AFTER",
    "RetryPolicy",
    "never_sent",
    "parse_retry_after",
    "retry_delay",
    "should_retry",
]

DEFAULT_MAX_DELAY = 8.0
"""The longest computed backoff, in seconds."""

DEFAULT_MAX_RETRY_AFTER = 60.0
"""The longest server-requested wait honoured; a longer Retry-After falls back to backoff."""

RETRYABLE_STATUSES = frozenset({408, 429})


class RetryPolicy(enum.Enum):
    """How safe it is to send a call again."""

    IDEMPOTENT = "idempotent"
    """Reads and full replacements: replaying cannot change the outcome."""

    UNSENT_ONLY = "unsent_only"
    """Login/refresh: replay only when the first attempt never reached the server."""

    NEVER = "never"
    """Creates something (order, payment session): never replayed."""


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def never_sent(error: BaseException) -> bool:
    """True when the failure happened before any byte of the request reached the server."""
    return isinstance(error, _NOT_SENT)


def should_retry(
    policy: RetryPolicy, *, status: int | None = None, error: BaseException | None = None
) -> bool:
    """Whether one more attempt may be made after this status or transport error."""
    if policy is RetryPolicy.NEVER:
        return False
    if error is not None:
        if policy is RetryPolicy.UNSENT_ONLY:
            return never_sent(error)
        return isinstance(error, httpx.TransportError)
    if status is None or policy is RetryPolicy.UNSENT_ONLY:
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)


def retry_delay(
    attempt: int,
    retry_after: float | None,
    base: float,
    *,
    max_delay: float = DEFAULT_MAX_DELAY,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
    random_fraction: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    The server's Retry-After wins when it is within `max_retry_after`; otherwise the delay is
    `base * 2**attempt` capped at `max_delay`, shortened by up to 25% of jitter so that many
    callers failing together do not come back together.
    """
    if retry_after is not None and 0 <= retry_after <= max_retry_after:
        return retry_after
    backoff = min(base * 2.0**attempt, max_delay)
    return backoff * (1.0 - 0.25 * random_fraction())
