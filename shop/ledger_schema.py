"""The ledger's schema, as an ordered list of migrations.

`PRAGMA user_version` holds how many migrations a database has had; at start-up the ledger
applies the ones after it, each in its own transaction. Never edit a migration that has
shipped: append a new one, so every installation ends at the same schema whatever version it
started from.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: confirmed checkouts and the orders they became.
    """
    CREATE TABLE checkouts (
        checkout_id   TEXT PRIMARY KEY,
        user_id       INTEGER NOT NULL,
        chat_id       INTEGER NOT NULL,
        state         TEXT NOT NULL
                      CHECK (state IN ('placing', 'placed', 'failed', 'unknown')),
        request       TEXT NOT NULL,       -- JSON: items, payment account, content language
        contact       TEXT,                -- JSON name/phone/email; dropped once resolved
        started_at    TEXT NOT NULL,       -- when the create-order call was first attempted
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX checkouts_by_state ON checkouts (state);

    CREATE TABLE orders (
        order_id            INTEGER NOT NULL,
        storage             TEXT NOT NULL,
        user_id             INTEGER NOT NULL,
        chat_id             INTEGER NOT NULL,
        checkout_id         TEXT NOT NULL UNIQUE REFERENCES checkouts (checkout_id),
        items               TEXT NOT NULL,  -- JSON: product id, quantity, title
        total               TEXT,           -- a decimal as text, as OneEntry computed it
        currency            TEXT NOT NULL DEFAULT '',
        payment_account     TEXT NOT NULL,
        payment_session_id  INTEGER,
        payment_url         TEXT,
        payment_status      TEXT,
        order_status        TEXT,
        order_status_title  TEXT,
        message_id          INTEGER,
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        PRIMARY KEY (storage, order_id)
    );
    CREATE INDEX orders_by_user ON orders (user_id, created_at DESC);
    """,
)
