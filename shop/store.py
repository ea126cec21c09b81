"""`Store`: where the bot keeps what it must not forget — the order ledger and the customers'
chat state — chosen by one setting, DATABASE_URL.

Empty (the default): two SQLite files in the data directory, nothing to install. A
`postgresql://` URL: both in that PostgreSQL database, which a standby process can reach too
(`shop/active_lease.py`). Each part gets its own `Database`, so the ledger's commits never
wait behind the chat state's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shop.chat_state import STATE_FILE, sqlite_chat_state
from shop.database import Database
from shop.ledger import LEDGER_FILE, sqlite_ledger

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(POSTGRES_SCHEMES)


class Store:
    """The engine and place DATABASE_URL and DATA_DIR name."""

    def __init__(self, database_url: str | None, data_dir: Path) -> None:
        if database_url and not is_postgres_url(database_url):
            raise ValueError("DATABASE_URL must be empty or a postgresql:// URL")
        self.url = database_url or None
        self.data_dir = data_dir

    @property
    def engine(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def ledger_database(self) -> Database[Any]:
        """Every commit on disk before it returns: exactly-once rests on it."""
        if self.url:
            return _postgres(self.url, durable_commits=True)
        return sqlite_ledger(self.data_dir / LEDGER_FILE)

    def chat_state_database(self) -> Database[Any]:
        """A commit returns once the database has it (a killed bot loses nothing; only a
        crash of the database's host could lose its last fraction of a second)."""
        if self.url:
            return _postgres(self.url, durable_commits=False)
        return sqlite_chat_state(self.data_dir / STATE_FILE)

    def describe(self) -> str:
        """Where the data is, for messages (never with a password)."""
        if self.url:
            from shop.postgres_db import redacted_url

            return f"PostgreSQL {redacted_url(self.url)}"
        return f"SQLite in {self.data_dir}"


def _postgres(url: str, *, durable_commits: bool) -> Database[Any]:
    # Imported only when PostgreSQL is chosen: a SQLite bot never loads the driver.
    from shop.postgres_db import PostgresDatabase

    return PostgresDatabase(url, durable_commits=durable_commits)
