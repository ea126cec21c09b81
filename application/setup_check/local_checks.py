"""Checks that need no network: staff ids, the data directory, the webhook address."""

from __future__ import annotations

import tempfile
from pathlib import Path

from application.setup_check.results import CheckResult
from settings import Settings

# Telegram delivers webhooks only to these ports, over https.
WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})


def check_admins(settings: Settings) -> CheckResult:
    """A warning, not a failure: customers can order without staff configured, but nobody is
    told about new or paid orders and nobody can use the staff commands."""
    name = "Staff (ADMIN_IDS)"
    if settings.admin_ids or settings.staff_chat_id is not None:
        count = len(settings.admin_ids)
        chat = ", staff chat set" if settings.staff_chat_id is not None else ""
        return CheckResult.ok(name, f"{count} admin id(s){chat}")
    return CheckResult.warn(
        name,
        "nobody is told about new orders: ADMIN_IDS is empty",
        "Set ADMIN_IDS to the numeric Telegram user ids of your staff, comma-separated "
        "(a bot such as @userinfobot tells you yours).",
    )


def check_data_dir(settings: Settings) -> CheckResult:
    """Writable, proven by creating and removing a temporary file; a directory that does not
    exist yet is judged by its nearest existing parent (the bot creates it at start-up)."""
    name = "Data directory"
    path = settings.data_dir.resolve()
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    fix = (
        f"Point DATA_DIR at a directory the bot's user can write (now {path}), "
        "or give that user write access to it."
    )
    if not existing.is_dir():
        return CheckResult.fail(name, f"{existing} is not a directory", fix)
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".check-"):
            pass
    except OSError as exc:
        return CheckResult.fail(name, f"{existing} is not writable ({exc.strerror})", fix)
    return CheckResult.ok(name, f"{path} is writable")


def check_webhook(settings: Settings) -> CheckResult:
    name = "Updates"
    url = settings.webhook_url
    if url is None:
        return CheckResult.ok(name, "long polling (WEBHOOK_URL is empty)")
    port = url.port or (443 if url.scheme == "https" else 80)
    if url.scheme != "https" or port not in WEBHOOK_PORTS:
        return CheckResult.fail(
            name,
            f"Telegram will not post to {url}",
            "WEBHOOK_URL must be an https:// URL on port 443, 80, 88 or 8443 "
            "(a reverse proxy with a certificate in front of the bot is the usual way).",
        )
    return CheckResult.ok(
        name, f"webhook {url}, served on {settings.webhook_listen}:{settings.webhook_port}"
    )


def read_device_id(data_dir: Path, file_name: str) -> str | None:
    """The installation's OneEntry device id if the bot saved one; the check never writes it."""
    try:
        return (data_dir / file_name).read_text().strip() or None
    except OSError:
        return None
