"""The ledger's schema, as an ordered list of migrations for each engine.

Each engine keeps how many migrations a database has had (SQLite: `PRAGMA user_version`;
PostgreSQL: the `schema_versions` table); at start-up the ledger applies the ones after it.
Never edit a migration that has shipped: append a new one (to both lists, with the same
number), so every installation ends at the same schema whatever version it started from.
The PostgreSQL list mirrors the SQLite one step by step: ids as BIGINT (Telegram's ids do not
fit 32 bits), times as ISO-8601 text compared byte by byte (COLLATE "C", as SQLite does).
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
    # 2: what the payment follow-up saw and told: each order's content language (for texts in
    # the customer's language) and its history of status changes, with whether the customer
    # was told of each (the follow-up's exactly-once record).
    """
    ALTER TABLE orders ADD COLUMN content_lang TEXT;
    UPDATE orders SET content_lang = (
        SELECT json_extract(checkouts.request, '$.content_lang') FROM checkouts
        WHERE checkouts.checkout_id = orders.checkout_id
    );

    CREATE TABLE order_events (
        event_id            INTEGER PRIMARY KEY AUTOINCREMENT,
        storage             TEXT NOT NULL,
        order_id            INTEGER NOT NULL,
        kind                TEXT NOT NULL,   -- placed, paid, status_changed, cancelled, ...
        order_status        TEXT,            -- the order status after the change
        order_status_title  TEXT,
        previous_status     TEXT,            -- the order status before a status change
        payment_status      TEXT,            -- the payment status after the change
        notice              TEXT NOT NULL DEFAULT 'none'
                            CHECK (notice IN ('none', 'pending', 'sent', 'failed', 'dropped')),
        recorded_at         TEXT NOT NULL,
        FOREIGN KEY (storage, order_id) REFERENCES orders (storage, order_id)
    );
    CREATE INDEX order_events_by_order ON order_events (storage, order_id, event_id);
    CREATE INDEX order_events_by_notice ON order_events (notice);
    INSERT INTO order_events (storage, order_id, kind, order_status, order_status_title,
                              payment_status, recorded_at)
        SELECT storage, order_id, 'placed', order_status, order_status_title, payment_status,
               created_at
        FROM orders;
    """,
    # 3: payment statuses in the bot's own words (`shop.config.PaymentState`), whatever the
    # shop calls its sessions' statuses; rows written before kept the session's status.
    """
    UPDATE orders SET payment_status = CASE
        WHEN lower(payment_status) IN ('paid', 'completed') THEN 'paid'
        WHEN lower(payment_status) IN ('expired', 'failed', 'canceled', 'cancelled')
            THEN 'failed'
        ELSE 'waiting' END
    WHERE payment_status IS NOT NULL;
    UPDATE order_events SET payment_status = CASE
        WHEN lower(payment_status) IN ('paid', 'completed') THEN 'paid'
        WHEN lower(payment_status) IN ('expired', 'failed', 'canceled', 'cancelled')
            THEN 'failed'
        ELSE 'waiting' END
    WHERE payment_status IS NOT NULL;
    """,
    # 4: the campaign tag of the deep link that brought the customer (`p_<id>_<tag>`), for
    # the staff's card.
    """
    ALTER TABLE orders ADD COLUMN campaign TEXT;
    """,
    # 5: what the customer gave at the checkout, as the summary showed it (JSON: per field its
    # marker, the form's title and the answer as shown), for the customer's order message;
    # orders placed before have none (NULL).
    """
    ALTER TABLE orders ADD COLUMN details TEXT;
    """,
)

POSTGRES_MIGRATIONS: tuple[str, ...] = (
    # 1: confirmed checkouts and the orders they became.
    """
    CREATE TABLE checkouts (
        checkout_id   TEXT PRIMARY KEY,
        user_id       BIGINT NOT NULL,
        chat_id       BIGINT NOT NULL,
        state         TEXT NOT NULL
                      CHECK (state IN ('placing', 'placed', 'failed', 'unknown')),
        request       TEXT NOT NULL,
        contact       TEXT,
        started_at    TEXT COLLATE "C" NOT NULL,
        created_at    TEXT COLLATE "C" NOT NULL,
        updated_at    TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX checkouts_by_state ON checkouts (state);

    CREATE TABLE orders (
        order_id            BIGINT NOT NULL,
        storage             TEXT NOT NULL,
        user_id             BIGINT NOT NULL,
        chat_id             BIGINT NOT NULL,
        checkout_id         TEXT NOT NULL UNIQUE REFERENCES checkouts (checkout_id),
        items               TEXT NOT NULL,
        total               TEXT,
        currency            TEXT NOT NULL DEFAULT '',
        payment_account     TEXT NOT NULL,
        payment_session_id  BIGINT,
        payment_url         TEXT,
        payment_status      TEXT,
        order_status        TEXT,
        order_status_title  TEXT,
        message_id          BIGINT,
        created_at          TEXT COLLATE "C" NOT NULL,
        updated_at          TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (storage, order_id)
    );
    CREATE INDEX orders_by_user ON orders (user_id, created_at DESC);
    """,
    # 2: each order's content language and its history of status changes.
    """
    ALTER TABLE orders ADD COLUMN content_lang TEXT;
    UPDATE orders SET content_lang = (
        SELECT checkouts.request::json ->> 'content_lang' FROM checkouts
        WHERE checkouts.checkout_id = orders.checkout_id
    );

    CREATE TABLE order_events (
        event_id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        storage             TEXT NOT NULL,
        order_id            BIGINT NOT NULL,
        kind                TEXT NOT NULL,
        order_status        TEXT,
        order_status_title  TEXT,
        previous_status     TEXT,
        payment_status      TEXT,
        notice              TEXT NOT NULL DEFAULT 'none'
                            CHECK (notice IN ('none', 'pending', 'sent', 'failed', 'dropped')),
        recorded_at         TEXT COLLATE "C" NOT NULL,
        FOREIGN KEY (storage, order_id) REFERENCES orders (storage, order_id)
    );
    CREATE INDEX order_events_by_order ON order_events (storage, order_id, event_id);
    CREATE INDEX order_events_by_notice ON order_events (notice);
    INSERT INTO order_events (storage, order_id, kind, order_status, order_status_title,
                              payment_status, recorded_at)
        SELECT storage, order_id, 'placed', order_status, order_status_title, payment_status,
               created_at
        FROM orders;
    """,
    # 3: payment statuses in the bot's own words.
    MIGRATIONS[2],
    # 4: the campaign tag of the deep link that brought the customer.
    MIGRATIONS[3],
    # 5: what the customer gave at the checkout, as the summary showed it.
    MIGRATIONS[4],
)

LEDGER_MIGRATIONS: dict[str, tuple[str, ...]] = {
    "sqlite": MIGRATIONS,
    "postgresql": POSTGRES_MIGRATIONS,
}
