"""`MeasuredRateLimiter`: python-telegram-bot's AIORateLimiter, reporting how long each Bot API
call waited for its turn (`BotMetrics.observe_rate_limiter_wait`).

The wait is from the call reaching the limiter to the limiter letting it go out the first
time; a 429's retries are counted by the transport instead (`shop_bot_telegram_429_total`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

from application.metrics import ALL_PRIORITIES, BotMetrics

Answer = bool | JSONDict | list[JSONDict]


class MeasuredRateLimiter(AIORateLimiter):
    """AIORateLimiter with its waits observed; it has no priority classes ("all")."""

    def __init__(self, metrics: BotMetrics, **limits: Any) -> None:
        super().__init__(**limits)
        self._metrics = metrics

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        asked = time.perf_counter()
        waited: list[float] = []

        async def once_let_through(*call_args: Any, **call_kwargs: Any) -> Answer:
            if not waited:
                waited.append(time.perf_counter() - asked)
                self._metrics.observe_rate_limiter_wait(waited[0], ALL_PRIORITIES)
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(
            once_let_through, args, kwargs, endpoint, data, rate_limit_args
        )
