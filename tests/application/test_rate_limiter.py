"""The priority rate limiter on its own: Telegram's windows kept whatever the timing, the most
needed call first, nobody starved, 429s waited out. Periods are shortened (tenths of a second
for Telegram's second and minute) so the tests run fast; they assert orders and counts, never
how long anything took."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import BadRequest, RetryAfter

from application.rate_limiter import PriorityRateLimiter
from ui.priority import Priority, sending_as
from ui.replay import replaying

PERIOD = 0.1


class Telegram:
    """Records when each call arrived and finished, and in which order calls went."""

    def __init__(self, answer_seconds: float = 0.0) -> None:
        self.arrived: list[float] = []
        self.order: list[str] = []
        self.answer_seconds = answer_seconds
        self.refuse: list[int] = []  # retry_after seconds for the next calls

    async def call(self, name: str) -> dict[str, Any]:
        self.arrived.append(asyncio.get_running_loop().time())
        self.order.append(name)
        if self.refuse:
            raise RetryAfter(self.refuse.pop(0))
        await asyncio.sleep(self.answer_seconds)
        return {"ok": name}


async def send(
    limiter: PriorityRateLimiter,
    telegram: Telegram,
    name: str,
    chat_id: int | str | None = 1,
    endpoint: str = "sendMessage",
    priority: Priority = Priority.BROWSING,
) -> Any:
    data = {} if chat_id is None else {"chat_id": chat_id}
    with sending_as(priority):
        return await limiter.process_request(telegram.call, (name,), {}, endpoint, data, None)


def most_in_any_window(moments: list[float], period: float) -> int:
    return max(sum(1 for m in moments if start <= m < start + period) for start in moments)


async def test_never_more_than_the_limit_in_any_period_even_with_slow_answers():
    limiter = PriorityRateLimiter(5, overall_period=PERIOD)
    telegram = Telegram(answer_seconds=0.03)
    await asyncio.gather(*(send(limiter, telegram, f"m{n}", chat_id=n) for n in range(23)))
    assert len(telegram.arrived) == 23
    assert most_in_any_window(telegram.arrived, PERIOD) <= 5


async def test_an_order_overtakes_browsing_that_came_before_it():
    limiter = PriorityRateLimiter(1, overall_period=PERIOD)
    telegram = Telegram()
    browsing = [asyncio.create_task(send(limiter, telegram, f"page {n}")) for n in range(4)]
    await asyncio.sleep(0)  # they are queued
    order = asyncio.create_task(send(limiter, telegram, "order", priority=Priority.ORDER))
    prompt = asyncio.create_task(send(limiter, telegram, "prompt", priority=Priority.CHECKOUT))
    await asyncio.gather(*browsing, order, prompt)
    # The first page was already let go; then the order, the prompt, the other pages.
    assert telegram.order == ["page 0", "order", "prompt", "page 1", "page 2", "page 3"]


async def test_a_lower_class_is_not_starved():
    head_start = {
        Priority.ORDER: 0.0,
        Priority.CHECKOUT: 0.1,
        Priority.BROWSING: 0.2,
        Priority.BACKGROUND: 0.3,
    }
    limiter = PriorityRateLimiter(2, overall_period=PERIOD, head_start=head_start)
    telegram = Telegram()
    card = asyncio.create_task(
        send(limiter, telegram, "staff card", chat_id=7, priority=Priority.BACKGROUND)
    )
    orders = []
    for n in range(20):  # orders keep coming faster than they can go
        orders.append(
            asyncio.create_task(send(limiter, telegram, f"order {n}", priority=Priority.ORDER))
        )
        await asyncio.sleep(PERIOD / 4)
    await asyncio.gather(card, *orders)
    # Once its head start is used up, the card goes before the orders that came later.
    assert telegram.order.index("staff card") < telegram.order.index("order 15")


async def test_a_full_group_waits_while_private_chats_go_on():
    limiter = PriorityRateLimiter(0, group_max_rate=2, group_period=PERIOD * 5)
    telegram = Telegram()
    cards = [
        asyncio.create_task(send(limiter, telegram, f"card {n}", chat_id=-100)) for n in range(4)
    ]
    await asyncio.sleep(0)
    replies = [asyncio.create_task(send(limiter, telegram, f"reply {n}")) for n in range(3)]
    await asyncio.gather(*replies)
    assert [name for name in telegram.order if name.startswith("card")] == ["card 0", "card 1"]
    await asyncio.gather(*cards)
    assert telegram.order[-2:] == ["card 2", "card 3"]


async def test_calls_that_read_or_answer_are_never_held():
    limiter = PriorityRateLimiter(1, overall_period=60.0)
    telegram = Telegram()
    await send(limiter, telegram, "first")  # the window is now full for a minute
    async with asyncio.timeout(5):
        await send(limiter, telegram, "answer", chat_id=None, endpoint="answerCallbackQuery")
        await send(limiter, telegram, "member", endpoint="getChatMember")
    assert telegram.order == ["first", "answer", "member"]


async def test_a_429_is_waited_out_and_the_call_sent_again():
    limiter = PriorityRateLimiter(30, max_retries=2, overall_period=PERIOD)
    telegram = Telegram()
    telegram.refuse = [0]  # retry_after 0: PTB's 0.1 s margin is the wait
    assert await send(limiter, telegram, "order") == {"ok": "order"}
    assert telegram.order == ["order", "order"]
    telegram.refuse = [0, 0, 0]
    with pytest.raises(RetryAfter):
        await send(limiter, telegram, "given up")
    assert telegram.order.count("given up") == 3


async def test_a_caller_that_gives_up_does_not_hold_a_place():
    limiter = PriorityRateLimiter(1, overall_period=PERIOD)
    telegram = Telegram()
    await send(limiter, telegram, "first")
    waiting = asyncio.create_task(send(limiter, telegram, "abandoned"))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await send(limiter, telegram, "next")
    assert telegram.order == ["first", "next"]


async def test_a_button_answer_telegram_no_longer_takes_does_not_stop_the_tap():
    """Too old (a slow bot), or answered already: the toast is lost, the handler goes on."""
    limiter = PriorityRateLimiter(5, overall_period=PERIOD)

    async def refused(name: str) -> bool:
        raise BadRequest("Query is too old and response timeout expired or query id is invalid")

    answered = await limiter.process_request(refused, ("toast",), {}, "answerCallbackQuery", {}, 0)
    assert answered is False

    async def broken(name: str) -> bool:
        raise BadRequest("Message text is empty")

    with pytest.raises(BadRequest):
        await limiter.process_request(broken, ("toast",), {}, "answerCallbackQuery", {}, 0)


async def test_a_tap_handled_again_after_a_take_over_is_not_answered_again():
    limiter = PriorityRateLimiter(5, overall_period=PERIOD)
    telegram = Telegram()
    with replaying():
        assert await send(limiter, telegram, "toast", None, "answerCallbackQuery") is True
        await send(limiter, telegram, "the screen again")
    assert telegram.order == ["the screen again"]
