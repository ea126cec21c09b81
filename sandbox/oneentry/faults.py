"""Injected faults and latency, per endpoint name.

A fault makes the next `count` calls of one endpoint fail in one of four ways:
- `status`: answer that status with OneEntry's error body (429 adds `Retry-After`);
- `timeout`: never answer; the request is held until the client goes away or the emulator stops;
- `drop`: close the connection before the request is handled (nothing is stored);
- `drop_after_store`: handle the request fully (the order or session IS stored), then close the
  connection without a complete answer, so the client cannot know the outcome.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass

from sandbox.oneentry.endpoint_names import ENDPOINT_NAMES
from sandbox.oneentry.errors import bad_request

FAULT_KINDS = ("status", "timeout", "drop", "drop_after_store")
ANY_ENDPOINT = "*"


@dataclass
class Fault:
    """One pending fault and how many more calls it will hit."""

    endpoint: str
    kind: str
    status: int
    remaining: int
    retry_after: float | None
    message: str | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def check_endpoint_name(endpoint: object, allow_any: bool = False) -> str:
    """The endpoint name, or a 400 listing the valid names."""
    if allow_any and endpoint == ANY_ENDPOINT:
        return ANY_ENDPOINT
    if not isinstance(endpoint, str) or endpoint not in ENDPOINT_NAMES:
        valid = ", ".join(ENDPOINT_NAMES)
        extra = ' or "*"' if allow_any else ""
        raise bad_request(f"Unknown endpoint {endpoint!r}; valid names: {valid}{extra}")
    return endpoint


class FaultPlan:
    """Pending faults (used in the order added), latency per endpoint, and held requests."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._latency_ms: dict[str, float] = {}
        self._release_held = asyncio.Event()

    def add(
        self,
        endpoint: str | None,
        kind: str = "status",
        status: int = 503,
        count: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> Fault:
        """Queue a fault for the next `count` calls of `endpoint`; 400 on a bad request."""
        name = check_endpoint_name(endpoint)
        if kind not in FAULT_KINDS:
            raise bad_request(f"Unknown fault kind {kind!r}; valid kinds: {', '.join(FAULT_KINDS)}")
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise bad_request("status must be an HTTP error status (400-599)")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise bad_request("count must be a positive integer")
        if retry_after is not None and (
            not isinstance(retry_after, int | float) or retry_after < 0
        ):
            raise bad_request("retry_after must be a non-negative number of seconds")
        fault = Fault(name, kind, status, count, retry_after, message)
        self._faults.append(fault)
        return fault

    def take(self, endpoint: str) -> Fault | None:
        """The fault that hits this call of `endpoint`, if any, counting it down."""
        for fault in self._faults:
            if fault.endpoint == endpoint:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[Fault]:
        return list(self._faults)

    def clear(self) -> None:
        self._faults.clear()

    def set_latency(self, endpoint: str | None, ms: float | None) -> None:
        """Delay every call of `endpoint` (or of every endpoint, with "*") by `ms`; 0 removes it."""
        name = check_endpoint_name(endpoint, allow_any=True)
        if not isinstance(ms, int | float) or isinstance(ms, bool) or ms < 0:
            raise bad_request("ms must be a non-negative number")
        if ms == 0:
            self._latency_ms.pop(name, None)
        else:
            self._latency_ms[name] = float(ms)

    def latency_seconds(self, endpoint: str | None) -> float:
        """The delay for one call: the endpoint's own setting, else the "*" one, else none."""
        ms = self._latency_ms.get(endpoint or "", self._latency_ms.get(ANY_ENDPOINT, 0.0))
        return ms / 1000

    def latencies(self) -> dict[str, float]:
        return dict(self._latency_ms)

    def clear_latency(self) -> None:
        self._latency_ms.clear()

    async def wait_for_release(self) -> None:
        """Return when held ("timeout") requests must let go because the emulator stops."""
        await self._release_held.wait()

    def release_held(self) -> None:
        self._release_held.set()

    def rearm(self) -> None:
        """Hold requests again (a new serving run of the same state)."""
        self._release_held = asyncio.Event()
