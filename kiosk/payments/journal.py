"""The payment journal: SQLite in WAL mode with synchronous=FULL, file mode 0600.

Every payment is one record moving through the states of DESIGN.md §5. Each state is committed *before* the
outside action it leads to, so that after a power cut the kiosk knows what it may have done. Amounts are fen.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments import crashpoint


class PaymentState(StrEnum):
    CREATED = "created"
    ORDER_OPENED = "order_opened"  # QR
    AUTH_SENT = "auth_sent"  # bank card
    APPROVED = "approved"
    PAID = "paid"
    POSTED = "posted"
    RECEIPT_PRINTED = "receipt_printed"
    DONE = "done"
    ORDER_CLOSED = "order_closed"  # QR closed unpaid (a late payment is refunded by the channel)
    REFUNDED = "refunded"
    REVERSAL_PENDING = "reversal_pending"
    REVERSED = "reversed"
    DECLINED = "declined"  # the bank refused, or the request never left: no money moved
    FLAGGED = "flagged"  # recovery could not settle it: a technician must
    RESOLVED = "resolved"  # a technician settled a flagged record outside the kiosk (the event note says how)


END_STATES = frozenset(
    {
        PaymentState.DONE,
        PaymentState.ORDER_CLOSED,
        PaymentState.REFUNDED,
        PaymentState.REVERSED,
        PaymentState.DECLINED,
        PaymentState.FLAGGED,
        PaymentState.RESOLVED,
    }
)

# Which state may follow which (DESIGN.md §5). A posted payment whose receipt failed goes to done with the
# failure recorded, so that Query can reprint it.
TRANSITIONS: dict[PaymentState, frozenset[PaymentState]] = {
    PaymentState.CREATED: frozenset(
        {
            PaymentState.ORDER_OPENED,
            PaymentState.AUTH_SENT,
            PaymentState.ORDER_CLOSED,
            PaymentState.DECLINED,
            PaymentState.FLAGGED,
        }
    ),
    PaymentState.ORDER_OPENED: frozenset(
        {PaymentState.PAID, PaymentState.ORDER_CLOSED, PaymentState.REFUNDED, PaymentState.FLAGGED}
    ),
    PaymentState.AUTH_SENT: frozenset(
        {PaymentState.APPROVED, PaymentState.DECLINED, PaymentState.REVERSAL_PENDING, PaymentState.FLAGGED}
    ),
    PaymentState.APPROVED: frozenset({PaymentState.POSTED, PaymentState.REVERSAL_PENDING, PaymentState.FLAGGED}),
    PaymentState.PAID: frozenset({PaymentState.POSTED, PaymentState.REFUNDED, PaymentState.FLAGGED}),
    PaymentState.POSTED: frozenset({PaymentState.RECEIPT_PRINTED, PaymentState.DONE, PaymentState.FLAGGED}),
    PaymentState.RECEIPT_PRINTED: frozenset({PaymentState.DONE}),
    PaymentState.REVERSAL_PENDING: frozenset({PaymentState.REVERSED, PaymentState.FLAGGED}),
    # A late payment, refunded by the channel; or kept by it (it should have refunded): a technician settles it.
    PaymentState.ORDER_CLOSED: frozenset({PaymentState.REFUNDED, PaymentState.FLAGGED}),
    PaymentState.FLAGGED: frozenset({PaymentState.RESOLVED}),
    PaymentState.RESOLVED: frozenset(),
    PaymentState.DONE: frozenset(),
    PaymentState.REFUNDED: frozenset(),
    PaymentState.REVERSED: frozenset(),
    PaymentState.DECLINED: frozenset(),
}

SCHEMA_VERSION = 1
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE payments (
        journal_no TEXT PRIMARY KEY,
        idempotency_key TEXT UNIQUE NOT NULL,
        state TEXT NOT NULL,
        item TEXT NOT NULL,
        id_number TEXT NOT NULL,
        payer_id_number TEXT NOT NULL,
        quote_id TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        pay_method TEXT NOT NULL,
        order_no TEXT,
        channel_ref TEXT,
        payment_no TEXT,
        receipt_error TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL);
    CREATE INDEX payments_by_state ON payments (state);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        journal_no TEXT NOT NULL REFERENCES payments (journal_no),
        at TEXT NOT NULL,
        state TEXT NOT NULL,
        note TEXT);
    """,
}


class JournalError(Exception):
    pass


@dataclass(frozen=True)
class JournalEntry:
    journal_no: str
    idempotency_key: str
    state: PaymentState
    item: InsuredItem
    id_number: str
    payer_id_number: str
    quote_id: str
    amount_fen: int
    pay_method: PayMethod
    order_no: str | None
    channel_ref: str | None
    payment_no: str | None
    receipt_error: str | None
    note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def finished(self) -> bool:
        return self.state in END_STATES


UPDATABLE = ("order_no", "channel_ref", "payment_no", "receipt_error", "note")


class Journal:
    def __init__(self, path: Path | str, terminal_id: str, clock: Callable[[], dt.datetime] = dt.datetime.now):
        self.path = Path(path)
        self.terminal_id = terminal_id
        self.clock = clock
        self._lock = threading.RLock()
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Create the file 0600 before SQLite opens it: the journal holds ID numbers.
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalError(f"journal schema {version} is newer than this program ({SCHEMA_VERSION})")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                # One script per migration, its own transaction: executescript() would commit an outer one.
                script = f"BEGIN IMMEDIATE;\n{MIGRATIONS[target]}\nPRAGMA user_version = {target};\nCOMMIT;"
                try:
                    self._db.executescript(script)
                except sqlite3.Error:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _new_journal_no(self) -> str:
        now = self.clock()
        return f"{self.terminal_id}-{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6].upper()}"

    def create(
        self,
        item: InsuredItem,
        id_number: str,
        payer_id_number: str,
        quote_id: str,
        amount_fen: int,
        pay_method: PayMethod,
    ) -> JournalEntry:
        if not isinstance(amount_fen, int) or amount_fen <= 0:
            raise JournalError(f"amount must be positive integer fen, got {amount_fen!r}")
        journal_no = self._new_journal_no()
        now = self.clock().isoformat(timespec="seconds")
        with self._lock:
            crashpoint.before_commit()
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number,"
                " quote_id, amount_fen, pay_method, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    journal_no,
                    f"kiosk-{journal_no}",
                    PaymentState.CREATED.value,
                    item.value,
                    id_number,
                    payer_id_number,
                    quote_id,
                    amount_fen,
                    pay_method.value,
                    now,
                    now,
                ),
            )
            self._db.execute(
                "INSERT INTO events (journal_no, at, state) VALUES (?,?,?)",
                (journal_no, now, PaymentState.CREATED.value),
            )
            self._db.execute("COMMIT")
            crashpoint.after_commit()
        return self.get(journal_no)

    def advance(
        self, journal_no: str, state: PaymentState, note: str | None = None, **fields: str | None
    ) -> JournalEntry:
        """Move a record to ``state`` (refusing transitions DESIGN.md §5 does not allow) and commit it durably."""
        unknown = set(fields) - set(UPDATABLE)
        if unknown:
            raise JournalError(f"cannot update {sorted(unknown)}")
        now = self.clock().isoformat(timespec="seconds")
        with self._lock:
            crashpoint.before_commit()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT state FROM payments WHERE journal_no = ?", (journal_no,)).fetchone()
                if row is None:
                    raise JournalError(f"no journal record {journal_no}")
                current = PaymentState(row["state"])
                if state != current and state not in TRANSITIONS[current]:
                    raise JournalError(f"{journal_no}: {current} cannot become {state}")
                assignments = ", ".join(f"{name} = ?" for name in fields)
                sql = "UPDATE payments SET state = ?, updated_at = ?" + (f", {assignments}" if fields else "")
                self._db.execute(sql + " WHERE journal_no = ?", (state.value, now, *fields.values(), journal_no))
                self._db.execute(
                    "INSERT INTO events (journal_no, at, state, note) VALUES (?,?,?,?)",
                    (journal_no, now, state.value, note),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            crashpoint.after_commit()
        return self.get(journal_no)

    def get(self, journal_no: str) -> JournalEntry:
        with self._lock:
            row = self._db.execute("SELECT * FROM payments WHERE journal_no = ?", (journal_no,)).fetchone()
        if row is None:
            raise JournalError(f"no journal record {journal_no}")
        return _entry(row)

    def find_by_payment_no(self, payment_no: str) -> JournalEntry | None:
        """The kiosk's record of a payment the fee system posted (None when another kiosk took it)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM payments WHERE payment_no = ?", (payment_no,)).fetchone()
        return _entry(row) if row else None

    def unfinished(self) -> list[JournalEntry]:
        placeholders = ",".join("?" for _ in END_STATES)
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM payments WHERE state NOT IN ({placeholders}) ORDER BY created_at",
                [state.value for state in END_STATES],
            ).fetchall()
        return [_entry(row) for row in rows]

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM payments ORDER BY created_at").fetchall()
        return [_entry(row) for row in rows]

    def events(self, journal_no: str) -> list[tuple[str, PaymentState, str | None]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT at, state, note FROM events WHERE journal_no = ? ORDER BY id", (journal_no,)
            ).fetchall()
        return [(row["at"], PaymentState(row["state"]), row["note"]) for row in rows]


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        journal_no=row["journal_no"],
        idempotency_key=row["idempotency_key"],
        state=PaymentState(row["state"]),
        item=InsuredItem(row["item"]),
        id_number=row["id_number"],
        payer_id_number=row["payer_id_number"],
        quote_id=row["quote_id"],
        amount_fen=row["amount_fen"],
        pay_method=PayMethod(row["pay_method"]),
        order_no=row["order_no"],
        channel_ref=row["channel_ref"],
        payment_no=row["payment_no"],
        receipt_error=row["receipt_error"],
        note=row["note"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
    )
