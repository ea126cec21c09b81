"""Per-chat ordering with cross-chat concurrency, without any network."""

import asyncio

from telegram import CallbackQuery, Chat, Message, Update, User

from application.update_processor import PerChatUpdateProcessor, chat_key


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Customer", is_bot=False)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_while_other_chats_run() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=16)
    first_may_finish = asyncio.Event()
    log: list[str] = []

    async def handle(name: str, gate: asyncio.Event | None = None) -> None:
        log.append(f"start {name}")
        if gate is not None:
            await gate.wait()
        log.append(f"end {name}")

    async with processor:
        slow = asyncio.create_task(
            processor.process_update(_update(1, 100), handle("A1", first_may_finish))
        )
        queued = asyncio.create_task(processor.process_update(_update(2, 100), handle("A2")))
        other = asyncio.create_task(processor.process_update(_update(3, 200), handle("B1")))
        await other  # chat 200 finishes while chat 100's first update is still running
        assert log == ["start A1", "start B1", "end B1"]
        first_may_finish.set()
        await asyncio.gather(slow, queued)
    assert log[3:] == ["end A1", "start A2", "end A2"]
    assert processor.active_chats == 0


async def test_queued_updates_of_one_chat_do_not_take_slots_from_others() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=2)
    gate = asyncio.Event()

    async def wait_gate() -> None:
        await gate.wait()

    async def quick() -> str:
        return "done"

    async with processor:
        busy = [
            asyncio.create_task(processor.process_update(_update(i, 100), wait_gate()))
            for i in range(5)
        ]
        async with asyncio.timeout(5):  # a starved chat would wait for the gate forever
            await processor.process_update(_update(10, 200), quick())
        gate.set()
        await asyncio.gather(*busy)


def test_chat_key() -> None:
    assert chat_key(_update(1, 42)) == 42
    assert chat_key(object()) is None


def _tap(update_id: int, chat_id: int, data: str) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Customer", is_bot=False)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="summary")  # type: ignore[arg-type]
    query = CallbackQuery(str(update_id), user, "instance", data=data, message=message)
    return Update(update_id, callback_query=query)


async def test_a_confirm_waiting_for_a_slot_goes_before_the_crowd() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=1)
    gate = asyncio.Event()
    log: list[str] = []

    async def handle(name: str, wait: bool = False) -> None:
        log.append(name)
        if wait:
            await gate.wait()

    async with processor:
        busy = asyncio.create_task(processor.process_update(_update(1, 100), handle("busy", True)))
        await asyncio.sleep(0)
        crowd = [
            asyncio.create_task(processor.process_update(_update(10 + n, 200 + n), handle(f"c{n}")))
            for n in range(3)
        ]
        await asyncio.sleep(0)
        confirm = asyncio.create_task(
            processor.process_update(_tap(20, 300, "cf:0123456789ab:deadbeef"), handle("confirm"))
        )
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(busy, *crowd, confirm)
    assert log == ["busy", "confirm", "c0", "c1", "c2"]
