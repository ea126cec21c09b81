"""The log never carries what customers typed: updates, names, phones in any spelling."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from application.logging_setup import RedactingFilter, configure_logging


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The bot's logging at DEBUG into a string; pytest's own handlers come back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("DEBUG", secrets=["s3cret-token"], stream=stream)
    yield stream
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    "logger", ["telegram.ext.Application", "telegram.ext.Updater", "telegram.ext.ExtBot"]
)
def test_ptb_never_logs_updates_even_at_debug(debug_log: io.StringIO, logger: str) -> None:
    """PTB logs every update it processes at DEBUG, with the sender's name and text."""
    logging.getLogger(logger).debug("Processing update %s", {"first_name": "Alice", "text": "hi"})
    assert "Alice" not in debug_log.getvalue()


def test_the_bots_own_debug_lines_stay(debug_log: io.StringIO) -> None:
    logging.getLogger("shop.ordering").debug("checkout %s placed", "0123456789ab")
    assert "checkout 0123456789ab placed" in debug_log.getvalue()


@pytest.mark.parametrize(
    "phone",
    [
        "+7 912 345-67-89",
        "+7\u00a0912\u00a0345\u00a067\u00a089",  # no-break spaces
        "+7 912 345\u201167\u201189",  # non-breaking hyphens
        "+7\u202f912\u202f3456789",  # narrow no-break spaces
        "8 (912) 345\u201467\u201489",  # em dashes
    ],
)
def test_phones_are_masked_however_they_are_spelled(phone: str) -> None:
    masked = RedactingFilter([]).redact(f"call me at {phone} please")
    assert masked == "call me at <phone> please"


def test_secrets_and_emails_are_masked() -> None:
    masked = RedactingFilter(["s3cret-token"]).redact("token s3cret-token for ann@example.org")
    assert masked == "token <redacted> for <email>"
