"""Injected failures: "the next N calls of a method (optionally for one chat) fail".

Each kind is the answer Telegram (or the network in front of it) really gives, so the bot's
resilience is tested against what PTB will raise: 429 → RetryAfter, 403 → Forbidden,
400 → BadRequest, 502 → NetworkError, a held request → TimedOut. A fault is consumed when it
fires; whatever is left unconsumed is reported so a test that expected a failure notices it
never happened.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from sandbox.telegram.errors import BotApiError

FaultKind = Literal[429, 403, 400, 502, "timeout"]
FAULT_KINDS: tuple[FaultKind, ...] = (429, 403, 400, 502, "timeout")


class HoldRequest(Exception):
    """The fault is a timeout: keep the request open until the client gives up."""


@dataclass
class Fault:
    method: str
    error: FaultKind
    times: int = 1
    chat_id: int | None = None
    retry_after: int = 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error_for(self) -> BotApiError:
        if self.error == 429:
            return BotApiError(429, f"retry after {self.retry_after}", retry_after=self.retry_after)
        if self.error == 403:
            return BotApiError(403, "bot was blocked by the user")
        if self.error == 400:
            return BotApiError(400, "chat not found")
        return BotApiError(502, "Bad Gateway")


class FaultQueue:
    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.error not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault.error!r}; use one of {FAULT_KINDS}")
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        self.faults.append(fault)

    def fire(self, method: str, chat_id: Any) -> None:
        """Raise the first matching fault's error (or HoldRequest), consuming one use."""
        for fault in self.faults:
            if fault.matches(method, chat_id):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                if fault.error == "timeout":
                    raise HoldRequest
                raise fault.error_for()

    def unconsumed(self) -> list[Fault]:
        return list(self.faults)
