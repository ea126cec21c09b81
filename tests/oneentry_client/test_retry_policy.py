"""The retry policy tables: what is retried, how long to wait, and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from oneentry_client.retry import RetryPolicy, parse_retry_after, retry_delay, should_retry

IDEMPOTENT, UNSENT_ONLY, NEVER = RetryPolicy.IDEMPOTENT, RetryPolicy.UNSENT_ONLY, RetryPolicy.NEVER


@pytest.mark.parametrize(
    ("policy", "status", "expected"),
    [
        (IDEMPOTENT, 500, True),
        (IDEMPOTENT, 502, True),
        (IDEMPOTENT, 503, True),
        (IDEMPOTENT, 504, True),
        (IDEMPOTENT, 429, True),
        (IDEMPOTENT, 408, True),
        (IDEMPOTENT, 400, False),
        (IDEMPOTENT, 401, False),
        (IDEMPOTENT, 403, False),
        (IDEMPOTENT, 404, False),
        (IDEMPOTENT, 200, False),
        (UNSENT_ONLY, 503, False),
        (UNSENT_ONLY, 429, False),
        (NEVER, 503, False),
        (NEVER, 429, False),
    ],
)
def test_should_retry_status(policy: RetryPolicy, status: int, expected: bool) -> None:
    assert should_retry(policy, status=status) is expected


@pytest.mark.parametrize(
    ("policy", "error", "expected"),
    [
        (IDEMPOTENT, httpx.ConnectError("refused"), True),
        (IDEMPOTENT, httpx.ReadTimeout("slow"), True),
        (IDEMPOTENT, httpx.RemoteProtocolError("dropped"), True),
        (UNSENT_ONLY, httpx.ConnectError("refused"), True),
        (UNSENT_ONLY, httpx.ConnectTimeout("slow connect"), True),
        (UNSENT_ONLY, httpx.PoolTimeout("pool"), True),
        (UNSENT_ONLY, httpx.ReadTimeout("slow"), False),
        (UNSENT_ONLY, httpx.RemoteProtocolError("dropped"), False),
        (NEVER, httpx.ConnectError("refused"), False),
        (NEVER, httpx.ReadTimeout("slow"), False),
    ],
)
def test_should_retry_transport_error(
    policy: RetryPolicy, error: BaseException, expected: bool
) -> None:
    assert should_retry(policy, error=error) is expected


NOW = datetime(2025, 5, 1, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (" 7 ", 7.0),
        ("-4", 0.0),
        ("Thu, 01 May 2025 10:00:30 GMT", 30.0),
        ("Thu, 01 May 2025 09:59:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


@pytest.mark.parametrize(
    ("attempt", "retry_after", "base", "expected"),
    [
        (0, None, 0.5, 0.5),
        (1, None, 0.5, 1.0),
        (2, None, 0.5, 2.0),
        (3, None, 0.5, 4.0),
        (4, None, 0.5, 8.0),
        (10, None, 0.5, 8.0),
        (0, None, 0.0, 0.0),
        (0, 3.0, 0.5, 3.0),
        (5, 0.0, 0.5, 0.0),
        (0, 60.0, 0.5, 60.0),
        (0, 3600.0, 0.5, 0.5),
    ],
)
def test_retry_delay_without_jitter(
    attempt: int, retry_after: float | None, base: float, expected: float
) -> None:
    assert retry_delay(attempt, retry_after, base, random_fraction=lambda: 0.0) == expected


@pytest.mark.parametrize("attempt", range(8))
def test_retry_delay_jitter_stays_within_a_quarter_below_the_backoff(attempt: int) -> None:
    ceiling = min(0.5 * 2**attempt, 8.0)
    shortest = retry_delay(attempt, None, 0.5, random_fraction=lambda: 1.0)
    assert shortest == pytest.approx(ceiling * 0.75)
    for _ in range(50):
        assert ceiling * 0.75 <= retry_delay(attempt, None, 0.5) <= ceiling


def test_retry_after_cap_is_adjustable() -> None:
    assert retry_delay(0, 30.0, 0.5, max_retry_after=10.0, random_fraction=lambda: 0.0) == 0.5
