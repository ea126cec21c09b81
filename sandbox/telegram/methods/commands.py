"""The bot's command lists (per scope and language, as Telegram keeps them) and the chat menu
button."""

from __future__ import annotations

import json
from typing import Any

from sandbox.telegram.state import FakeState


def _key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


async def set_my_commands(state: FakeState, params: dict[str, Any]) -> bool:
    state.commands[_key(params)] = list(params["commands"])
    return True


async def get_my_commands(state: FakeState, params: dict[str, Any]) -> list[dict[str, Any]]:
    return state.commands.get(_key(params), [])


async def delete_my_commands(state: FakeState, params: dict[str, Any]) -> bool:
    state.commands.pop(_key(params), None)
    return True


async def set_chat_menu_button(state: FakeState, params: dict[str, Any]) -> bool:
    chat_id = params.get("chat_id")
    if chat_id is not None:
        chat_id = state.directory.chat(chat_id).id
    state.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
    return True


async def get_chat_menu_button(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = params.get("chat_id")
    if chat_id is not None:
        chat_id = state.directory.chat(chat_id).id
        if chat_id in state.menu_buttons:
            return state.menu_buttons[chat_id]
    return state.menu_buttons.get(None, {"type": "commands"})
