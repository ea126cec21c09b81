"""Callback queries the customer created, and whether the bot answered each exactly once.
Telegram shows a spinner until the answer comes, so an unanswered query is a visible bug;
one whose answer an injected fault took away (a 403, a timeout) was answered by the bot, so
it is not reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.telegram.errors import BotApiError

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    data: str
    answers: int = 0
    answer: dict[str, Any] | None = None
    # The bot's answer was taken by an injected fault (it tried; Telegram never got it).
    answer_lost: bool = False


class CallbackRegistry:
    def __init__(self, first_id: int = 4_200_000_000_000_000_001) -> None:
        self._next_id = first_id
        self.queries: dict[str, CallbackQuery] = {}

    def create(self, chat_id: int, message_id: int, data: str) -> CallbackQuery:
        query = CallbackQuery(str(self._next_id), chat_id, message_id, data)
        self._next_id += 1
        self.queries[query.id] = query
        return query

    def answer(self, query_id: str, params: dict[str, Any]) -> CallbackQuery:
        """Record the bot's answer; an unknown id or a second answer is refused as Telegram
        refuses it (the caller records the double answer as a finding)."""
        query = self.queries.get(str(query_id))
        if query is None:
            raise BotApiError(400, QUERY_INVALID)
        query.answers += 1
        if query.answers > 1:
            raise BotApiError(400, QUERY_INVALID)
        query.answer = {k: params[k] for k in ("text", "show_alert", "url") if k in params}
        return query

    def lose_answer(self, query_id: str) -> None:
        """An injected fault took the bot's answer to this query."""
        query = self.queries.get(str(query_id))
        if query is not None:
            query.answer_lost = True

    def unanswered(self) -> list[CallbackQuery]:
        return [q for q in self.queries.values() if q.answers == 0 and not q.answer_lost]
