"""The bot's update queue with Telegram's getUpdates semantics.

An update stays until a later call confirms it with a higher `offset`: returning it is not
enough, so updates of a long poll the client cancelled are delivered again. A newer poll
terminates the one still waiting (409). `allowed_updates` persists across calls and filters
updates as they are created, so a change never touches what is already queued.
"""

from __future__ import annotations

from typing import Any

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.waiting import UPDATES, ChangeFeed

# Left out when allowed_updates is unset or [] (Bot API docs, getUpdates).
NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_POLL_TIMEOUT = 50
SUPERSEDED = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)


class UpdateQueue:
    """Pending updates, confirmation and long polling for one bot."""

    def __init__(self, changes: ChangeFeed, first_update_id: int = 10_000) -> None:
        self._changes = changes
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._poll_generation = 0
        self.allowed_updates: list[str] | None = None
        # Every update with an id below this has been confirmed by the bot.
        self.confirmed_below = first_update_id

    @property
    def last_update_id(self) -> int:
        return self._next_id - 1

    @property
    def polls_started(self) -> int:
        """How many getUpdates calls have begun (lets a test wait for a poll to be held)."""
        return self._poll_generation

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def accepts(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in NOT_SENT_BY_DEFAULT

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of `kind`; None if the bot's allowed_updates filters it out."""
        if not self.accepts(kind):
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._changes.notify(UPDATES)
        return update

    def confirm(self, offset: int | None) -> None:
        """Forget what `offset` confirms: ids below a positive offset; all but the last -k
        for a negative one."""
        if not offset:
            return
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            self.confirmed_below = max(self.confirmed_below, offset)
        else:
            self._pending = self._pending[offset:]
            first_kept = self._pending[0]["update_id"] if self._pending else self._next_id
            self.confirmed_below = max(self.confirmed_below, first_kept)
        self._changes.notify(UPDATES)

    def drop_all(self) -> None:
        """`drop_pending_updates`: everything queued counts as confirmed."""
        self.confirm(self._next_id)

    def is_settled(self, up_to: int) -> bool:
        """Has the bot confirmed every update up to id `up_to`?"""
        return self.confirmed_below > up_to

    async def poll(
        self,
        offset: int | None,
        limit: int | None,
        wait_seconds: int | None,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """One getUpdates call: confirm, then wait up to `wait_seconds` for at least one update."""
        if allowed_updates is not None:
            self.allowed_updates = list(allowed_updates)
        self.confirm(offset)
        limit = min(max(limit or 100, 1), 100)
        wait_seconds = min(max(wait_seconds or 0, 0), MAX_POLL_TIMEOUT)
        self._poll_generation += 1
        generation = self._poll_generation
        self._changes.notify(UPDATES)  # wakes a poll still waiting, which then ends with 409

        def ready() -> bool:
            return bool(self._pending) or generation != self._poll_generation

        await self._changes.wait_for(ready, wait_seconds, UPDATES)
        if generation != self._poll_generation:
            raise BotApiError(409, SUPERSEDED)
        return self._pending[:limit]
