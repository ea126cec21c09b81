"""`ChatStatePersistence`: python-telegram-bot's persistence over the chat-state store.

PTB asks a persistence for what changed after each persistence run: here that is one row per
customer whose data changed and one per conversation that moved, written through
`shop.chat_state` (the store: SQLite in the data directory, or PostgreSQL). The application
runs it right after every handled update (`ShopApplication.process_update`), so what a
customer told the bot is stored a few milliseconds after the bot answered, instead of within
the next periodic dump. Chat data, bot data and callback data are not kept (the bot has none).

An older data directory's `bot-state.pickle` (PTB's PicklePersistence, before this store)
is read in once, on the first start, and renamed.
"""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from shop.chat_state import ChatStateStore, SavedUpdate

logger = logging.getLogger(__name__)

UserData = dict[str, Any]
LEGACY_STATE_FILE = "bot-state.pickle"
# PTB's own periodic run is a backstop only: every update already triggers one.
BACKSTOP_INTERVAL_SECONDS = 60.0


def encode_user_data(data: UserData) -> bytes:
    """A customer's data as its row holds it."""
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def encode_conversation(key: ConversationKey, state: object | None) -> tuple[str, str | None]:
    """A conversation's key and state as its row holds them (None: it ended)."""
    return json.dumps(list(key)), None if state is None else json.dumps(state)


class ChatStatePersistence(BasePersistence[UserData, UserData, UserData]):
    """Customers' data and conversation states, a row each, in the chat-state store."""

    def __init__(self, store: ChatStateStore, *, legacy_pickle: Path | None = None) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, callback_data=False),
            update_interval=BACKSTOP_INTERVAL_SECONDS,
        )
        self._store = store
        self._legacy_pickle = legacy_pickle
        self._written: dict[int, bytes] = {}  # what each customer's row holds now
        self._states: dict[tuple[str, str], str | None] = {}  # and each conversation's

    async def get_user_data(self) -> dict[int, UserData]:
        await self._store.open()
        await self._import_legacy()
        rows = await self._store.user_data()
        self._written = dict(rows)
        return {user_id: pickle.loads(data) for user_id, data in rows.items()}

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        """Written when it differs from the row; an emptied cart or forgotten details are
        written too (PTB #5297: PicklePersistence skipped data that became empty, so a
        cleared cart came back after a restart). `data` is encoded before anything is
        awaited, so a caller may pass the live dict (`ShopContext.save_now` does)."""
        encoded = self._data_change(user_id, data)
        if encoded is not None:
            await self._store.save_user_data(user_id, encoded)

    async def save_update(
        self,
        user_id: int,
        data: UserData,
        conversation: tuple[str, ConversationKey, object | None] | None = None,
        *,
        update_id: int | None = None,
        screen: str | None = None,
    ) -> None:
        """What an update changed so far — the customer's data, their conversation's state —
        in one transaction, and with it that the update is applied and which screen it is
        showing (`shop/update_inbox.py`). Nothing changed: nothing is written, and the update
        stays new (handled again after a crash, it changes nothing twice)."""
        changed_data = self._data_change(user_id, data)
        changed_conversation = (
            self._conversation_change(*conversation) if conversation is not None else None
        )
        if changed_data is None and changed_conversation is None:
            return
        await self._store.save_update(
            SavedUpdate(user_id, changed_data, changed_conversation, update_id, screen)
        )

    async def drop_user_data(self, user_id: int) -> None:
        self._written.pop(user_id, None)
        await self._store.drop_user_data(user_id)

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """The store has no other writer: what is in memory is the truth."""

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._store.open()
        rows = await self._store.conversations(name)
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        changed = self._conversation_change(name, key, new_state)
        if changed is not None:
            await self._store.save_conversation(*changed)

    def _data_change(self, user_id: int, data: UserData) -> bytes | None:
        """`data` encoded, when it differs from the customer's row (taken as written now);
        None when it does not."""
        encoded = encode_user_data(data)
        if self._written.get(user_id) == encoded:
            return None
        self._written[user_id] = encoded
        return encoded

    def _conversation_change(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> tuple[str, str, str | None] | None:
        """The conversation's row (name, key, state), when it differs from what is written
        (taken as written now); None when it does not."""
        encoded_key, state = encode_conversation(key, new_state)
        row = (name, encoded_key)
        if row in self._states and self._states[row] == state:
            return None
        self._states[row] = state
        return name, encoded_key, state

    async def check_writable(self) -> None:
        """Raise unless the customers' state could be written now (the readiness check)."""
        await self._store.check_writable()

    async def flush(self) -> None:
        """At shutdown (PTB calls it last): every change was written when PTB handed it over;
        the store finishes what is queued and closes."""
        await self._store.close()

    # -- what the bot does not keep ------------------------------------------------------------

    async def get_chat_data(self) -> dict[int, UserData]:
        return {}

    async def get_bot_data(self) -> UserData:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_chat_data(self, chat_id: int, data: UserData) -> None:
        """Not kept."""

    async def update_bot_data(self, data: UserData) -> None:
        """Not kept."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not kept."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not kept."""

    async def refresh_chat_data(self, chat_id: int, chat_data: UserData) -> None:
        """Not kept."""

    async def refresh_bot_data(self, bot_data: UserData) -> None:
        """Not kept."""

    # -- moving an older data directory in -------------------------------------------------------

    async def _import_legacy(self) -> None:
        path = self._legacy_pickle
        if path is None or not path.exists():
            return
        with path.open("rb") as file:
            legacy = pickle.load(file)  # the bot's own file from an earlier version
        users: dict[int, UserData] = legacy.get("user_data") or {}
        await self._store.import_user_data(
            {uid: encode_user_data(data) for uid, data in users.items()}
        )
        for name, conversations in (legacy.get("conversations") or {}).items():
            for key, state in conversations.items():
                await self.update_conversation(name, key, state)
        path.rename(path.with_name(path.name + ".imported"))
        logger.info("imported %d customers from %s", len(users), path.name)
