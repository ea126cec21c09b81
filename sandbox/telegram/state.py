"""Everything one fake Telegram holds for one bot, in one object the app, the control API and
tests share. `reset()` gives a fresh world without restarting the server."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.callbacks import CallbackRegistry
from sandbox.telegram.chats import ChatDirectory
from sandbox.telegram.faults import FaultQueue
from sandbox.telegram.files import FileStore
from sandbox.telegram.flood import FloodControl
from sandbox.telegram.identity import BotIdentity
from sandbox.telegram.inline import InlineQueries
from sandbox.telegram.records import Records
from sandbox.telegram.updates import UpdateQueue
from sandbox.telegram.waiting import ChangeFeed
from sandbox.telegram.webhook import Webhook


class FakeState:
    """The fake's world: bot, chats, updates, callbacks, files, webhook, faults, records, and
    flood control."""

    def __init__(
        self,
        bot_username: str = "oneentry_shop_bot",
        token: str | None = None,
        webhook_retry_delay: float = 1.0,
        flood_control: bool = False,
    ) -> None:
        self.changes = ChangeFeed()
        # A switch of the server, kept across reset(); only its counts start again.
        self.flood = FloodControl(enabled=flood_control)
        self.bot = BotIdentity(username=bot_username, token=token)
        self._webhook_retry_delay = webhook_retry_delay
        self._fresh()

    def _fresh(self) -> None:
        self.directory = ChatDirectory()
        self.updates = UpdateQueue(self.changes)
        self.callbacks = CallbackRegistry()
        self.inline = InlineQueries()
        self.files = FileStore()
        self.faults = FaultQueue()
        self.records = Records()
        self.flood.clear()
        self.webhook = Webhook(self.updates, self.changes, self._webhook_retry_delay)
        # Commands per (scope as canonical JSON, language code).
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.logged_out = False

    async def reset(self) -> None:
        """Forget every chat, update, fault and record (the bot identity and the flood-control
        switch stay)."""
        await self.webhook.stop()
        self._fresh()
        self.changes.notify()

    async def close(self) -> None:
        """Let every held request go and stop webhook delivery, so shutdown never waits."""
        await self.webhook.stop()
        self.changes.close()

    def findings(self) -> list[dict[str, Any]]:
        """Recorded findings plus every callback query still unanswered."""
        found = [f.to_json() for f in self.records.findings]
        for query in self.callbacks.unanswered():
            found.append(
                {
                    "kind": "unanswered_callback_query",
                    "method": "answerCallbackQuery",
                    "detail": (
                        f"callback query {query.id} (data {query.data!r}, chat {query.chat_id}, "
                        f"message {query.message_id}) was never answered"
                    ),
                }
            )
        return found
