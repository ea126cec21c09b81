"""`python bot.py migrate`: an existing data directory moved into the store DATABASE_URL
names.

What a data directory holds: `ledger.sqlite3` (the order ledger), `bot-state.sqlite3` (carts,
checkouts in progress, saved details, languages) and, from older versions,
`bot-state.pickle` (the same, as python-telegram-bot's PicklePersistence kept it). All of it is
copied into the store, rows as they are (an order keeps its history and its message), in one
transaction per part, into a store that holds nothing yet: a store already in use is refused,
so nothing is ever doubled or overwritten. The source is left as it is (its ledger upgraded to
the current schema, as a start of the bot would do), for a backup. When the store is the
directory itself (DATABASE_URL empty, the same DATA_DIR), the schema is upgraded and the
pickle imported in place, as at a start.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from application.chat_persistence import (
    LEGACY_STATE_FILE,
    ChatStatePersistence,
    encode_conversation,
    encode_user_data,
)
from shop.chat_state import STATE_FILE, ChatStateStore, InboxEntry
from shop.database import Database, Row, Session
from shop.ledger import LEDGER_FILE, Ledger
from shop.store import Store

# The ledger's tables in the order their foreign keys need.
LEDGER_TABLES = ("checkouts", "orders", "order_events")


class MigrationRefused(RuntimeError):
    """The store cannot take the data directory (it is in use, or there is nothing to move)."""


@dataclass
class MigrationReport:
    source: Path
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    in_place: bool = False

    def render(self) -> str:
        what = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        if self.in_place:
            return f"Upgraded {self.source} in place: {what}."
        return (
            f"Moved {self.source} into {self.target}: {what}. The data directory is left as "
            "it was; keep it as a backup, and start the bot with DATABASE_URL set."
        )


@dataclass(frozen=True)
class Source:
    """What the data directory holds (looked at before anything is opened)."""

    ledger: Path | None
    state: Path | None
    pickle: Path | None
    is_target: bool  # the store is this directory itself


def look_at(source: Path, target: Store) -> Source:
    def existing(name: str) -> Path | None:
        path = source / name
        return path if path.exists() else None

    found = Source(
        existing(LEDGER_FILE),
        existing(STATE_FILE),
        existing(LEGACY_STATE_FILE),
        target.url is None and target.data_dir.resolve() == source.resolve(),
    )
    if not (found.ledger or found.state or found.pickle):
        raise MigrationRefused(
            f"{source} holds no bot data ({LEDGER_FILE}, {STATE_FILE} or {LEGACY_STATE_FILE})"
        )
    return found


async def migrate_data_dir(source: Path, target: Store) -> MigrationReport:
    """Copy (or upgrade in place) the data directory `source` into `target`."""
    report = MigrationReport(source, target.describe())
    found = look_at(source, target)
    if found.is_target:
        report.in_place = True
        await _upgrade_in_place(target, report)
        return report

    tables = await _read_ledger(found.ledger)
    async with (
        Ledger(target.ledger_database()) as target_ledger,
        ChatStateStore(target.chat_state_database()) as target_state,
    ):
        await _refuse_if_in_use(target_ledger.database, target_state.database, target)
        await target_ledger.database.write(lambda session: _copy_ledger(session, tables))
        if target_ledger.database.dialect == "postgresql":
            await target_ledger.database.write(_continue_event_ids)
        for name, rows in tables.items():
            report.counts[name.replace("_", " ")] = len(rows)

        users: dict[int, bytes] = {}
        conversations: dict[tuple[str, str], str] = {}
        waiting: list[InboxEntry] = []
        if found.pickle is not None:
            _read_pickle(found.pickle, users, conversations)
        if found.state is not None:
            async with ChatStateStore(found.state) as source_state:
                users.update(await source_state.user_data())
                for row in await source_state.database.all(
                    "SELECT name, key, state FROM conversations"
                ):
                    conversations[(row[0], row[1])] = row[2]
                waiting = await source_state.unfinished_updates()
        await target_state.import_user_data(users)
        await target_state.import_conversations(conversations)
        await target_state.import_updates(waiting)  # the stopped bot's unhandled updates
        report.counts["customers"] = len(users)
        report.counts["conversations"] = len(conversations)
        report.counts["updates waiting"] = len(waiting)
    return report


async def _read_ledger(path: Path | None) -> dict[str, list[Row]]:
    """Every row of the ledger file, table by table (none where there is no file)."""
    if path is None:
        return {name: [] for name in LEDGER_TABLES}
    async with Ledger(path) as ledger:
        return {name: await ledger.database.all(f"SELECT * FROM {name}") for name in LEDGER_TABLES}


async def _upgrade_in_place(store: Store, report: MigrationReport) -> None:
    async with Ledger(store.ledger_database()) as ledger:
        report.counts["ledger schema version"] = await ledger.schema_version()
    persistence = ChatStatePersistence(
        ChatStateStore(store.chat_state_database()),
        legacy_pickle=store.data_dir / LEGACY_STATE_FILE,
    )
    users = await persistence.get_user_data()  # imports the pickle, if there is one
    await persistence.flush()
    report.counts["customers"] = len(users)


async def _refuse_if_in_use(ledger: Database[Any], state: Database[Any], store: Store) -> None:
    checkouts = await ledger.one("SELECT COUNT(*) FROM checkouts")
    customers = await state.one("SELECT COUNT(*) FROM user_data")
    if int(checkouts[0]) or int(customers[0]):
        raise MigrationRefused(
            f"{store.describe()} is already in use ({checkouts[0]} checkouts, {customers[0]} "
            "customers): move a data directory only into an empty store"
        )


def _copy_ledger(session: Session, tables: dict[str, list[Row]]) -> None:
    for name in LEDGER_TABLES:
        rows = tables[name]
        if not rows:
            continue
        columns = list(rows[0].keys())  # type: ignore[attr-defined]  # sqlite3.Row
        marks = ", ".join("?" for _ in columns)
        session.executemany(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
            [tuple(row[column] for column in columns) for row in rows],
        )


def _continue_event_ids(session: Session) -> None:
    """The copied events kept their ids; PostgreSQL's identity goes on after the last."""
    session.execute(
        "SELECT setval(pg_get_serial_sequence('order_events', 'event_id'), "
        "(SELECT COALESCE(MAX(event_id), 0) + 1 FROM order_events), false)"
    )


def _read_pickle(
    path: Path, users: dict[int, bytes], conversations: dict[tuple[str, str], str]
) -> None:
    with path.open("rb") as file:
        legacy = pickle.load(file)  # the bot's own file from an earlier version
    for user_id, data in (legacy.get("user_data") or {}).items():
        users[int(user_id)] = encode_user_data(data)
    for name, states in (legacy.get("conversations") or {}).items():
        for key, state in states.items():
            encoded_key, encoded_state = encode_conversation(key, state)
            if encoded_state is not None:
                conversations[(name, encoded_key)] = encoded_state
