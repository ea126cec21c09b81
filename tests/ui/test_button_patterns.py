"""Any callback data, forged or stale, against every button handler the bot registers: a
handler's pattern either refuses it or yields groups its callback can read (property-based)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from application.builder import build_application
from settings import load_settings
from ui import callback_data as cd


def _callback_patterns(handlers: list[BaseHandler]) -> list[re.Pattern[str]]:  # type: ignore[type-arg]  # PTB's handlers of any kind
    found: list[re.Pattern[str]] = []
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            nested = [*handler.entry_points, *handler.fallbacks]
            for state_handlers in handler.states.values():
                nested += state_handlers
            found += _callback_patterns(nested)
        elif isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern):
            found.append(handler.pattern)
    return found


@pytest.fixture(scope="module")
def patterns(tmp_path_factory: pytest.TempPathFactory) -> list[re.Pattern[str]]:
    data = Path(tmp_path_factory.mktemp("data"))
    application = build_application(
        load_settings(
            env_file=None,
            telegram_bot_token="1:x",
            oneentry_project_url="http://127.0.0.1:9",
            oneentry_app_token="t",
            oneentry_guest_login="g",
            oneentry_guest_password="p",
            data_dir=data,
        )
    )
    return [
        pattern
        for group in application.handlers.values()
        for pattern in _callback_patterns(list(group))
    ]


# Plausible data: a real prefix, then anything; and arbitrary strings up to Telegram's 64 bytes.
PREFIXES = [cd.PRODUCT, cd.ORDER, cd.ADMIN_SET_STATUS, cd.CONFIRM, cd.CART_INCREASE, cd.MENU]
DATA = st.one_of(
    st.text(max_size=64),
    st.tuples(st.sampled_from(PREFIXES), st.text(max_size=40)).map(lambda p: f"{p[0]}:{p[1]}"),
    st.from_regex(r"[a-z+\-]{1,3}:[0-9\u0660-\u0669\u00b2-]{0,12}(:[0-9]{0,3})?", fullmatch=True),
)


def test_the_bot_registers_button_patterns(patterns: list[re.Pattern[str]]) -> None:
    assert len(patterns) > 20


@settings(max_examples=500, deadline=None)
@given(DATA)
def test_any_data_is_refused_or_readable(patterns: list[re.Pattern[str]], data: str) -> None:
    for pattern in patterns:
        match = pattern.match(data)
        if match is None:
            continue
        for group in match.groups():
            if group is not None and re.fullmatch(r"-?[^a-zA-Z_.]+", group):
                int(group)  # what the callbacks do with numeric groups; must never raise
                assert group.lstrip("-").isascii()
