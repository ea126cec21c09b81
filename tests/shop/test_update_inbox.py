"""The update inbox on both engines: what a process that takes over finds, what a repeated
delivery does, and that an update's save and its mark are one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from application.chat_persistence import ChatStatePersistence
from shop.chat_state import ChatStateStore, SavedUpdate
from shop.store import Store
from shop.update_inbox import FORGET_AFTER, UpdateInbox

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def chat_state(store: Store) -> AsyncIterator[ChatStateStore]:
    async with ChatStateStore(store.chat_state_database()) as opened:
        yield opened


async def fresh_inbox(chat_state: ChatStateStore) -> UpdateInbox:
    inbox = UpdateInbox(chat_state)
    await inbox.take_over()
    return inbox


async def test_what_a_stopped_process_left_is_found_in_order(chat_state: ChatStateStore) -> None:
    first = await fresh_inbox(chat_state)
    await first.receive([(12, '{"update_id": 12}'), (11, '{"update_id": 11}')])
    await first.receive([(13, '{"update_id": 13}')])
    assert first.admit(11) and first.admit(12) and first.admit(13)
    await chat_state.save_update(SavedUpdate(7, b"cart", update_id=12, screen='{"text": "Q"}'))
    first.handled(11)
    await first.finish(first.take_handled())

    taking_over = UpdateInbox(chat_state)
    left = await taking_over.take_over()
    assert [(e.update_id, e.state, e.body, e.screen) for e in left] == [
        (12, "applied", '{"update_id": 12}', '{"text": "Q"}'),
        (13, "new", '{"update_id": 13}', None),
    ]
    assert await chat_state.user_data() == {7: b"cart"}  # saved with its mark


async def test_telegram_delivering_again_is_dropped_but_a_left_update_is_queued_once(
    chat_state: ChatStateStore,
) -> None:
    first = await fresh_inbox(chat_state)
    await first.receive([(20, "{}"), (21, "{}")])
    assert first.admit(20) and first.admit(21)
    first.handled(20)
    await first.finish(first.take_handled())

    taking_over = UpdateInbox(chat_state)
    await taking_over.take_over()
    # Telegram delivers both again (the dead process never confirmed them).
    await taking_over.receive([(20, "{}"), (21, "{}")])
    assert not taking_over.admit(20), "a handled update was queued again"
    assert taking_over.admit(21), "the unhandled one must be handled"
    assert not taking_over.admit(21), "and only once"


async def test_a_done_update_keeps_its_id_a_day_but_not_its_body(
    chat_state: ChatStateStore,
) -> None:
    inbox = await fresh_inbox(chat_state)
    await inbox.receive([(30, '{"message": {"contact": {"phone_number": "+447911123456"}}}')])
    inbox.admit(30)
    inbox.handled(30)
    await inbox.finish(inbox.take_handled())
    assert await chat_state.unfinished_updates() == []
    assert await chat_state.inbox_ids() == [30]
    bodies = await chat_state.database.all("SELECT body, screen FROM inbox")
    assert [tuple(row) for row in bodies] == [(None, None)]  # the phone is not kept

    await chat_state.finish_updates([], forget_before=datetime.now(UTC) + timedelta(seconds=1))
    assert await chat_state.inbox_ids() == []
    assert timedelta(days=1) <= FORGET_AFTER  # Telegram may deliver an update for a day


async def test_an_update_is_applied_by_the_save_of_its_change_and_only_then(
    chat_state: ChatStateStore,
) -> None:
    """The bot's persistence marks an update applied when it saves what the update changed;
    an update that changed nothing stays new, to be handled again (it changes nothing twice)."""
    persistence = ChatStatePersistence(chat_state)
    await persistence.get_user_data()
    inbox = await fresh_inbox(chat_state)
    await inbox.receive([(40, "{}"), (41, "{}")])
    conversation = ("checkout", (1001, 1001), 3)
    await persistence.save_update(
        1001, {"cart": {1: 2}}, conversation, update_id=40, screen='{"text": "Phone?"}'
    )
    await persistence.save_update(1001, {"cart": {1: 2}}, conversation, update_id=41)
    states = {e.update_id: (e.state, e.screen) for e in await chat_state.unfinished_updates()}
    assert states == {40: ("applied", '{"text": "Phone?"}'), 41: ("new", None)}
    assert await chat_state.conversations("checkout") == {"[1001, 1001]": "3"}


async def test_ids_telegram_was_told_to_forget_leave_memory_but_not_the_store(
    chat_state: ChatStateStore,
) -> None:
    """A getUpdates with a higher offset means Telegram never delivers those again: a bot
    serving for weeks remembers only the updates still in flight."""
    inbox = await fresh_inbox(chat_state)
    await inbox.receive([(50, "{}"), (51, "{}"), (52, "{}")])
    for update_id in (50, 51, 52):
        inbox.admit(update_id)
    inbox.confirmed_below(52)
    assert [inbox.holds(i) for i in (50, 51, 52)] == [False, False, True]
    assert await chat_state.inbox_ids() == [50, 51, 52]
    taking_over = UpdateInbox(chat_state)  # a process taking over reads the store
    await taking_over.take_over()
    assert taking_over.holds(50)
