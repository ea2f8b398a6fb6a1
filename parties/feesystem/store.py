"""The embedded fee system's one SQLite database: its schema, the lock every call holds, transactions, counters.

SQLite from the standard library, one connection shared by the GUI's worker threads: every call is short and
guarded by one re-entrant lock, so a transaction and the reads inside it see one state.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.private_files import create_private_file

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id_number TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT, registered INTEGER NOT NULL,
    items TEXT NOT NULL, paid_through TEXT);
CREATE TABLE IF NOT EXISTS bills (
    bill_no TEXT PRIMARY KEY, id_number TEXT NOT NULL, description TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, amount_fen INTEGER NOT NULL, agency TEXT NOT NULL, paid_by TEXT);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id TEXT PRIMARY KEY, id_number TEXT NOT NULL, item TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, months INTEGER NOT NULL, amount_fen INTEGER NOT NULL, base_fen INTEGER,
    rate_percent INTEGER, grade_code TEXT, bill_no TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS qr_orders (
    order_no TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE NOT NULL, quote_id TEXT NOT NULL, method TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, state TEXT NOT NULL, channel_txn TEXT, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, paid_at TEXT, closed_at TEXT, refunded_at TEXT);
CREATE TABLE IF NOT EXISTS payments (
    payment_no TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE NOT NULL, id_number TEXT NOT NULL,
    payer_id_number TEXT NOT NULL, item TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
    months INTEGER NOT NULL, amount_fen INTEGER NOT NULL, base_fen INTEGER, grade_code TEXT, bill_no TEXT,
    pay_method TEXT NOT NULL, channel_ref TEXT NOT NULL, paid_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS payments_by_person ON payments (id_number, period_start);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS household_members (
    household TEXT NOT NULL, id_number TEXT PRIMARY KEY, relation TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS baskets (
    basket_id TEXT PRIMARY KEY, payer_id_number TEXT NOT NULL, total_fen INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS basket_lines (
    basket_id TEXT NOT NULL REFERENCES baskets (basket_id), line_no INTEGER NOT NULL, quote_id TEXT NOT NULL,
    refunded_at TEXT, PRIMARY KEY (basket_id, line_no));
CREATE TABLE IF NOT EXISTS basket_seals (
    basket_id TEXT PRIMARY KEY REFERENCES baskets (basket_id), idempotency_key TEXT NOT NULL,
    total_fen INTEGER NOT NULL, lines INTEGER NOT NULL, paid_on TEXT NOT NULL, sealed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS qr_order_extras (
    order_no TEXT PRIMARY KEY, paid_with TEXT, refunded_fen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS certificates (
    number TEXT PRIMARY KEY, kind TEXT NOT NULL, id_number TEXT NOT NULL, payment_nos TEXT NOT NULL,
    total_fen INTEGER NOT NULL, printed INTEGER NOT NULL DEFAULT 0, issued_at TEXT NOT NULL,
    UNIQUE (kind, id_number, payment_nos));
CREATE TABLE IF NOT EXISTS receipt_reprints (
    payment_no TEXT PRIMARY KEY REFERENCES payments (payment_no), reprints INTEGER NOT NULL);
"""


class FeeStore:
    """The database (a file, or ":memory:") and the fee system's clock, which every part stamps its rows with."""

    def __init__(self, database: Path | str, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        if str(database) != ":memory:":
            create_private_file(Path(database))  # 0600 in 0700 folders; SQLite gives -wal/-shm the same mode
        self.db = sqlite3.connect(str(database), check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def one(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        """One row of a read outside a transaction (under the lock)."""
        with self.lock:
            return self.db.execute(sql, parameters).fetchone()

    def all(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, parameters).fetchall()

    @property
    def empty(self) -> bool:
        """No people yet: a new database, to be seeded."""
        return self.one("SELECT 1 FROM people LIMIT 1") is None

    def mark_seeded(self, db: sqlite3.Connection) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @staticmethod
    def next_number(db: sqlite3.Connection, name: str) -> int:
        """The next number of a counter (payments, QR orders, a certificate word's year), inside a transaction."""
        db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0)", (name,))
        db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        return db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
