"""Answering callback queries and inline queries, and file look-ups (`getFile`)."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import chat_topic, inline_topic


async def answer_callback_query(state: FakeState, params: dict[str, Any]) -> bool:
    query_id = str(params["callback_query_id"])
    query = state.callbacks.queries.get(query_id)
    try:
        state.callbacks.answer(query_id, params)
    except BotApiError:
        if query is not None:
            state.records.find(
                "double_answer",
                "answerCallbackQuery",
                f"callback query {query_id} (data {query.data!r}) was answered twice",
            )
        raise
    state.changes.notify(chat_topic(query.chat_id) if query is not None else None)
    return True


async def get_file(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    return state.files.get(params["file_id"]).to_api()


async def answer_inline_query(state: FakeState, params: dict[str, Any]) -> bool:
    query = state.inline.answer(params)
    state.changes.notify(inline_topic(query.id))
    return True
