"""PTB's PicklePersistence, writing its file once per persistence run instead of once per
changed customer.

With `on_flush=False` PicklePersistence pickles the whole file on every `update_user_data` /
`update_conversation` call, and the Application's persistence run makes one such call per
customer who did something: with K active customers out of N, each run pickles N customers K
times. The load benchmark measured it as the bot's largest CPU cost (docs/benchmarks.md). Here
every change only marks the file dirty, and one write follows the run's changes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram.ext import PersistenceInput, PicklePersistence
from telegram.ext._utils.types import CDCData

UserData = dict[str, Any]


class BatchedPicklePersistence(PicklePersistence[UserData, UserData, UserData]):
    """One file write after each burst of changes; `flush()` (at stop) writes as before."""

    def __init__(
        self, filepath: Path, *, store_data: PersistenceInput, update_interval: float
    ) -> None:
        super().__init__(
            filepath, store_data=store_data, on_flush=True, update_interval=update_interval
        )
        self._write_scheduled = False

    def _write_soon(self) -> None:
        """Write once the changes of this persistence run are in (they are all queued
        before this callback, since each change completes without waiting)."""
        if not self._write_scheduled:
            self._write_scheduled = True
            asyncio.get_running_loop().call_soon(self._write)

    def _write(self) -> None:
        self._write_scheduled = False
        self._dump_singlefile()

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        await super().update_user_data(user_id, data)
        self._write_soon()

    async def drop_user_data(self, user_id: int) -> None:
        await super().drop_user_data(user_id)
        self._write_soon()

    async def update_chat_data(self, chat_id: int, data: UserData) -> None:
        await super().update_chat_data(chat_id, data)
        self._write_soon()

    async def drop_chat_data(self, chat_id: int) -> None:
        await super().drop_chat_data(chat_id)
        self._write_soon()

    async def update_bot_data(self, data: UserData) -> None:
        await super().update_bot_data(data)
        self._write_soon()

    async def update_callback_data(self, data: CDCData) -> None:
        await super().update_callback_data(data)
        self._write_soon()

    async def update_conversation(
        self, name: str, key: tuple[int | str, ...], new_state: object | None
    ) -> None:
        await super().update_conversation(name, key, new_state)
        self._write_soon()
