"""Updates from one chat in order, different chats at the same time.

PTB's default handles one update at a time, so one customer's slow OneEntry call would hold up
everyone; its plain concurrent mode would let two taps from the same customer race each other.
This processor gives each chat a FIFO lock: a chat's updates run one after another, in the order
Telegram delivered them, while other chats go on concurrently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    """The chat an update belongs to; None for updates with no chat or user (run freely)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class _ChatLane:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise per chat, run chats concurrently, at most `max_concurrent_updates` at once."""

    __slots__ = ("_lanes",)

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._lanes: dict[int, _ChatLane] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn first, so queued taps of one chat never hold slots that
        other chats could use."""
        key = chat_key(update)
        if key is None:
            await super().process_update(update, coroutine)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _ChatLane()
        lane.users += 1
        try:
            async with lane.lock:
                await super().process_update(update, coroutine)
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up: lanes are created on demand."""

    async def shutdown(self) -> None:
        """Nothing to release: lanes disappear with their last update."""

    @property
    def active_chats(self) -> int:
        return len(self._lanes)
