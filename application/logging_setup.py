"""Logs: one `key=value` line per event on stderr, with secrets and personal data masked.

Operators grep and ship these lines, so every event is a single line (`ts=… level=… logger=…
msg="…"`; a traceback goes into `exc="…"` with its newlines escaped). The bot token is part of
every Bot API URL and httpx logs full URLs at INFO, so the libraries that log requests or
payloads stay at WARNING whatever LOG_LEVEL says, and a filter on the handler masks the
configured secrets, phone numbers and email addresses anyway.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import urlsplit

from settings import Settings

REDACTED = "<redacted>"

# Loggers that print URLs (with the bot token) or whole updates and messages (with names,
# phones and texts) when allowed below WARNING.
QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.ext.Application",  # "Processing update …" at DEBUG: names, texts, contacts
    "telegram.ext.Updater",
    "telegram.ext.ConversationHandler",
    "telegram.request",
    "tornado.access",
    "apscheduler",
    "aiohttp",  # the Bot API transport; URLs carry the bot token
)

# Digits apart by spaces of any kind (no-break ones too), brackets, hyphens and dashes: the
# phone cleaner accepts all of them, so the mask must too.
_PHONE_GAP = r"[\s()\-\u2010-\u2015\u2212]"
_PHONE = re.compile(rf"(?<![\w:.+-])\+?\d(?:{_PHONE_GAP}{{0,2}}\d){{9,14}}(?![\w:])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BARE_VALUE = re.compile(r"^[\w.:/@<>+\-]+$")


class RedactingFilter(logging.Filter):
    """Masks the given secrets, phone numbers and email addresses in a record's message and
    traceback. On the handler, so it sees every record, whichever logger it came from."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _EMAIL.sub("<email>", text)
        return _PHONE.sub("<phone>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class KeyValueFormatter(logging.Formatter):
    """`ts=2025-01-31T12:00:00.123Z level=INFO logger=bot msg="…"`, always one line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        fields = {
            "ts": moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            fields["exc"] = record.exc_text
        return " ".join(f"{key}={quote(value)}" for key, value in fields.items())


def quote(value: str) -> str:
    """A logfmt value: bare when it is one plain word, else double-quoted with escapes."""
    if value and _BARE_VALUE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def secrets_of(settings: Settings) -> list[str]:
    """Every setting that must never appear in a log line."""
    values = [
        settings.telegram_bot_token.get_secret_value(),
        settings.oneentry_app_token.get_secret_value(),
        settings.oneentry_guest_password.get_secret_value(),
    ]
    if settings.webhook_secret is not None:
        values.append(settings.webhook_secret.get_secret_value())
    if settings.database_url is not None:
        values.append(settings.database_url.get_secret_value())
        password = urlsplit(settings.database_url.get_secret_value()).password
        if password:
            values.append(password)
    return values


def configure_logging(
    level: str, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Replace the root logger's handlers with one key=value handler at `level`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(KeyValueFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.captureWarnings(True)
    return handler
