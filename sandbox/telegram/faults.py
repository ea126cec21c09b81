"""Injected failures: "the next N calls of a method (optionally for one chat, optionally only
those whose text contains some words) fail".

Each kind is the answer Telegram (or the network in front of it) really gives, so the bot's
resilience is tested against what PTB will raise: 429 → RetryAfter, 403 → Forbidden,
400 → BadRequest, 502 → NetworkError, a held request → TimedOut. "blocked" is the customer
blocking the bot just before the call arrives: that call is answered 403, the chat is blocked
from then on (every later send is 403 too, and the bot gets the `my_chat_member` update) until
the customer unblocks it. "timeout_after" carries the call out (the message shows in the chat)
and then holds the answer until the client gives up: the bot cannot tell it from a timeout
where nothing happened, and a test can kill the bot at the exact moment the customer has seen
its answer but the bot has not heard back. `contains` picks one call among several, e.g. the
`editMessageText` that shows an order rather than the one before it: it is looked for in the
call's `text` or `caption` as the bot sent it (HTML tags and all); with it, `method` may be
"*" (any method). A fault is consumed when it fires; whatever is left unconsumed is reported
so a test that expected a failure notices it never happened.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from sandbox.telegram.errors import BotApiError

FaultKind = Literal[429, 403, 400, 502, "timeout", "blocked", "timeout_after"]
FAULT_KINDS: tuple[FaultKind, ...] = (429, 403, 400, 502, "timeout", "blocked", "timeout_after")
ANY_METHOD = "*"


@dataclass
class Fault:
    method: str
    error: FaultKind
    times: int = 1
    chat_id: int | None = None
    retry_after: int = 1
    contains: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method != ANY_METHOD and self.method.lower() != method.lower():
            return False
        if self.chat_id is not None and str(self.chat_id) != str(params.get("chat_id")):
            return False
        if self.contains is None:
            return True
        shown = [params.get(key) for key in ("text", "caption")]
        return any(isinstance(text, str) and self.contains in text for text in shown)

    @property
    def holds(self) -> bool:
        """A timeout: the request is kept open until the client gives up."""
        return self.error in ("timeout", "timeout_after")

    @property
    def carries_out(self) -> bool:
        """The call is carried out before its answer is held."""
        return self.error == "timeout_after"

    @property
    def blocks(self) -> bool:
        """The customer blocks the bot: the chat stays blocked after this call."""
        return self.error == "blocked"

    def error_for(self) -> BotApiError:
        if self.error == 429:
            return BotApiError(429, f"retry after {self.retry_after}", retry_after=self.retry_after)
        if self.error in (403, "blocked"):
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
        if fault.method == ANY_METHOD and fault.contains is None:
            raise ValueError('method "*" needs `contains` to say which call it means')
        self.faults.append(fault)

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The first fault matching this call, one use of it consumed; None if none does."""
        for fault in self.faults:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def unconsumed(self) -> list[Fault]:
        return list(self.faults)
