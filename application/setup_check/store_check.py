"""The store DATABASE_URL names: reachable, writable, and at a schema version this bot knows.

The check writes nothing that stays: PostgreSQL's writability is proven by creating and
dropping a table inside a transaction that is rolled back, and SQLite files are only read
(a missing one is created at the first start).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import psycopg

from application.builder import store_of
from application.setup_check.results import CheckResult
from settings import Settings
from shop import chat_state, ledger, ledger_schema
from shop.postgres_db import CONNECT_TIMEOUT_SECONDS

NAME = "Store (DATABASE_URL)"
# (component, the SQLite file, what this bot knows per engine)
COMPONENTS: Sequence[tuple[str, str, dict[str, tuple[str, ...]]]] = (
    (ledger.COMPONENT, ledger.LEDGER_FILE, ledger_schema.LEDGER_MIGRATIONS),
    (chat_state.COMPONENT, chat_state.STATE_FILE, chat_state.MIGRATIONS),
)


async def check_store(settings: Settings) -> CheckResult:
    store = store_of(settings)
    if store.url is None:
        return _check_sqlite(settings.data_dir)
    return await _check_postgres(store.url, store.describe())


def _check_sqlite(data_dir: Path) -> CheckResult:
    versions = []
    for component, file_name, known in COMPONENTS:
        path = data_dir / file_name
        if not path.exists():
            versions.append(f"{component} created at the first start")
            continue
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error as error:
            return CheckResult.fail(
                NAME,
                f"{path} cannot be read ({error})",
                "Restore the file from a backup, or move it away to start afresh.",
            )
        problem = _version_problem(component, version, len(known["sqlite"]))
        if problem:
            return problem
        versions.append(_version_text(component, version, len(known["sqlite"])))
    return CheckResult.ok(NAME, f"SQLite in {data_dir}: " + "; ".join(versions))


async def _check_postgres(url: str, where: str) -> CheckResult:
    fix = (
        "Check the host, port, user, password and database name in DATABASE_URL "
        "(postgresql://user:password@host:5432/dbname), and that the server takes "
        "connections from this host."
    )
    try:
        connection = await psycopg.AsyncConnection.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
    except psycopg.Error as error:
        return CheckResult.fail(NAME, f"{where} cannot be reached: {_reason(error, url)}", fix)
    async with connection:
        try:
            async with connection.transaction(force_rollback=True):
                await connection.execute("CREATE TABLE bot_check_probe (probe INTEGER)")
                await connection.execute("INSERT INTO bot_check_probe VALUES (1)")
        except psycopg.Error as error:
            return CheckResult.fail(
                NAME,
                f"{where} is not writable: {_reason(error, url)}",
                "Give the DATABASE_URL user the right to create tables and write in the "
                "database (for example: GRANT ALL ON SCHEMA public TO that user).",
            )
        exists = await (
            await connection.execute("SELECT to_regclass('schema_versions') IS NOT NULL")
        ).fetchone()
        versions = []
        for component, _, known in COMPONENTS:
            version = 0
            if exists and exists[0]:
                row = await (
                    await connection.execute(
                        "SELECT version FROM schema_versions WHERE component = %s", (component,)
                    )
                ).fetchone()
                version = int(row[0]) if row else 0
            problem = _version_problem(component, version, len(known["postgresql"]))
            if problem:
                return problem
            versions.append(_version_text(component, version, len(known["postgresql"])))
    return CheckResult.ok(NAME, f"{where} is writable: " + "; ".join(versions))


def _version_problem(component: str, version: int, known: int) -> CheckResult | None:
    if version <= known:
        return None
    return CheckResult.fail(
        NAME,
        f"the {component} schema is at version {version}, newer than this bot knows ({known})",
        "Run the newer version of the bot that upgraded the store.",
    )


def _version_text(component: str, version: int, known: int) -> str:
    if version == 0:
        return f"{component} created at the first start"
    if version < known:
        return f"{component} schema {version}, upgraded to {known} at the next start"
    return f"{component} schema {version} (current)"


def _reason(error: psycopg.Error, url: str) -> str:
    """The server's or the driver's reason in one line, never with the password."""
    text = " ".join(str(error).split()) or type(error).__name__
    password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    return text.replace(str(password), "***") if password else text
