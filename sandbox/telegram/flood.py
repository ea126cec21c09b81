"""Telegram's flood control, off by default: the tests stay deterministic, the benchmark turns
it on so a bot that sends too fast is punished there exactly as in production.

Telegram publishes its limits only loosely ("about 30 messages per second" overall, "no more
than 20 messages per minute" in one group, per its Bots FAQ and PTB's `FloodLimit`). The fake
makes them exact and strict: a call that sends or changes a message is refused with 429 and
`retry_after` when it would be the 31st within any one second, or the 21st within any minute in
one group or channel. A refused call is not counted: Telegram did not deliver it. Bot API
methods that only read or answer (getUpdates, getChatMember, answerCallbackQuery …) are never
limited, as on the real server.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.telegram.errors import BotApiError

OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
_MESSAGE_METHOD_PREFIXES = ("send", "edit", "copy", "forward", "delete", "stop")
_NOT_MESSAGES = frozenset({"sendChatAction", "deleteWebhook", "deleteMyCommands"})


def limits_message(method: str) -> bool:
    """Whether a method sends or changes a message (what flood control counts)."""
    return method.startswith(_MESSAGE_METHOD_PREFIXES) and method not in _NOT_MESSAGES


class _Window:
    """The moments of the calls let through in the last `seconds`."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._moments: deque[float] = deque()

    def wait_before_next(self, now: float) -> float:
        """0 when a call may pass now, else how long until one may."""
        while self._moments and self._moments[0] <= now - self.seconds:
            self._moments.popleft()
        if len(self._moments) < self.limit:
            return 0.0
        return self._moments[0] + self.seconds - now

    def note(self, now: float) -> None:
        self._moments.append(now)

    @property
    def empty(self) -> bool:
        return not self._moments


@dataclass
class FloodControl:
    """The switch and the windows; `refused` counts the 429s given since the last reset."""

    enabled: bool = False
    per_second: int = OVERALL_PER_SECOND
    per_group_minute: int = GROUP_PER_MINUTE
    clock: Callable[[], float] = time.monotonic
    refused: int = 0
    _overall: _Window = field(init=False)
    _groups: dict[str, _Window] = field(init=False)

    def __post_init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._overall = _Window(self.per_second, 1.0)
        self._groups = {}
        self.refused = 0

    def configure(self, enabled: bool, per_second: int, per_group_minute: int) -> None:
        self.enabled, self.per_second, self.per_group_minute = (
            enabled,
            per_second,
            per_group_minute,
        )
        self.clear()

    def admit(self, method: str, params: dict[str, Any]) -> None:
        """Let the call through (and count it), or raise Telegram's 429."""
        if not self.enabled or not limits_message(method):
            return
        now = self.clock()
        group = self._group_window(params.get("chat_id"))
        wait = self._overall.wait_before_next(now)
        if group is not None:
            wait = max(wait, group.wait_before_next(now))
        if wait > 0:
            self.refused += 1
            retry_after = max(1, math.ceil(wait))
            raise BotApiError(429, f"retry after {retry_after}", retry_after=retry_after)
        self._overall.note(now)
        if group is not None:
            group.note(now)

    def _group_window(self, chat_id: object) -> _Window | None:
        """Groups and channels (negative ids, or @usernames) have their own minute."""
        key = str(chat_id) if chat_id is not None else ""
        if not (key.startswith("-") or key.startswith("@")):
            return None
        if len(self._groups) > 1024:
            self._groups = {k: w for k, w in self._groups.items() if not w.empty}
        return self._groups.setdefault(key, _Window(self.per_group_minute, 60.0))

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "per_second": self.per_second,
            "per_group_minute": self.per_group_minute,
            "refused": self.refused,
        }
