"""`UpdateInbox`: no update Telegram delivered is lost, however the bot process ends.

Telegram forgets an update once the bot confirms it (the offset of its next getUpdates, or the
200 answering a webhook's POST), and python-telegram-bot confirms what it fetched long before
it has handled it: a flash sale's queue, or the customer's tap whose answer is on its way,
would die with the process. So the inbox keeps every update from before it is confirmed until
it has been handled, in the chat-state store (`shop/chat_state.py`):

- new: its JSON, written before Telegram is told it arrived;
- applied: the first save of what it changed (the customer's data, their conversation's state)
  marks it in the same transaction, with the screen it was showing;
- done: handled to the end (its JSON and screen are dropped; the id is kept for a day).

A process that starts — after a crash, or a standby taking over — hands back every update left
new, in order (nothing of it was saved, so it is handled as if for the first time), and the
screen of one left applied (its change is saved; its answer may not have reached the
customer). Telegram delivers again what the old process fetched but had not confirmed: the ids
kept make those duplicates, dropped.

Only the process serving the bot writes the inbox (one per SQLite file; on PostgreSQL the lease
holder), so what it remembers of the ids is exact. This module knows ids and JSON text, not
Telegram (`application/inbox.py` connects it to python-telegram-bot).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from shop.chat_state import ChatStateStore, InboxEntry

# Telegram keeps an unconfirmed update for at most a day, so a done id older than that
# cannot come back.
FORGET_AFTER = timedelta(days=1)
FORGET_EVERY = timedelta(hours=1)
# Ids remembered in memory at most (the oldest go first), far more than Telegram can deliver
# again (one getUpdates answer, up to 100). Polling forgets them sooner: once a getUpdates
# has told Telegram to forget them (`confirmed_below`); a webhook has no such signal.
REMEMBERED_IDS = 100_000


class UpdateInbox:
    """`await inbox.take_over()` at start-up, then `receive` (before Telegram is told),
    `admit` (before an update is queued), `handled` (once it has been), and with each save of
    the customers' state `take_handled` before it and `finish` after."""

    def __init__(self, store: ChatStateStore) -> None:
        self._store = store
        # Every id the inbox holds → whether the update has been queued (or was finished
        # before this process started): a second delivery of a queued one is a duplicate.
        self._ids: dict[int, bool] = {}
        self._handled: list[int] = []
        self._forgotten_at: datetime | None = None

    async def take_over(self) -> list[InboxEntry]:
        """What the previous process left unfinished, oldest first; every id it kept is
        remembered, so Telegram's repeats of them are dropped."""
        await self._store.open()
        unfinished = await self._store.unfinished_updates()
        waiting = {entry.update_id for entry in unfinished}
        for update_id in await self._store.inbox_ids():
            self._remember(update_id, queued=update_id not in waiting)
        return unfinished

    def holds(self, update_id: int) -> bool:
        return update_id in self._ids

    async def receive(self, updates: Sequence[tuple[int, str]]) -> None:
        """Keep updates as Telegram delivered them (id, JSON) before Telegram hears they
        arrived; those already kept stay as they are."""
        fresh = [(update_id, body) for update_id, body in updates if update_id not in self._ids]
        if not fresh:
            return
        await self._store.receive(fresh)
        for update_id, _ in fresh:
            self._remember(update_id, queued=False)

    def admit(self, update_id: int) -> bool:
        """True the first time an update is queued; False for a delivery Telegram repeated."""
        if self._ids.get(update_id):
            return False
        self._remember(update_id, queued=True)
        return True

    def confirmed_below(self, offset: int) -> None:
        """Telegram is being told it may forget every update below `offset` (a getUpdates
        with that offset): it will never deliver them again, so they need not be remembered
        here (the store keeps them, for a process taking over)."""
        while self._ids:
            oldest = next(iter(self._ids))
            if oldest >= offset:
                return
            del self._ids[oldest]

    def handled(self, update_id: int) -> None:
        """The update has been handled; it is marked done with the next `finish_handled`."""
        self._handled.append(update_id)

    async def finish(self, update_ids: Sequence[int]) -> None:
        """Mark these done now (the take-over's screens shown again)."""
        for update_id in update_ids:
            self._remember(update_id, queued=True)
        await self._store.finish_updates(update_ids, self._forget_before())

    def take_handled(self) -> list[int]:
        """The updates handled since the last call: taken before the customers' state is
        saved, marked done after (`finish`)."""
        handled, self._handled = self._handled, []
        return handled

    def _remember(self, update_id: int, *, queued: bool) -> None:
        self._ids[update_id] = queued
        if len(self._ids) > REMEMBERED_IDS:
            del self._ids[next(iter(self._ids))]

    def _forget_before(self) -> datetime | None:
        """Once an hour: the moment before which done ids can go."""
        now = datetime.now(UTC)
        if self._forgotten_at is not None and now - self._forgotten_at < FORGET_EVERY:
            return None
        self._forgotten_at = now
        return now - FORGET_AFTER
