"""The payment journal: SQLite in WAL mode with synchronous=FULL, file mode 0600.

Every payment is one record moving through the states of DESIGN.md §5. Each state is committed *before* the
outside action it leads to, so that after a power cut the kiosk knows what it may have done. Amounts are fen.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments import crashpoint

log = logging.getLogger(__name__)


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
    # A card basket line refused after the approval waits here for its refund message (0220): refunded.
    PaymentState.REVERSAL_PENDING: frozenset({PaymentState.REVERSED, PaymentState.REFUNDED, PaymentState.FLAGGED}),
    # A late payment, refunded by the channel; or kept by it (it should have refunded): a technician settles it.
    PaymentState.ORDER_CLOSED: frozenset({PaymentState.REFUNDED, PaymentState.FLAGGED}),
    PaymentState.FLAGGED: frozenset({PaymentState.RESOLVED}),
    PaymentState.RESOLVED: frozenset(),
    PaymentState.DONE: frozenset(),
    PaymentState.REFUNDED: frozenset(),
    PaymentState.REVERSED: frozenset(),
    PaymentState.DECLINED: frozenset(),
}

SCHEMA_VERSION = 4
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
    # Issue 24: every hot query by an index, so that a pass costs the same with 10^6 finished records as with 10^3.
    # Unfinished and recently closed records by state and last change; one day by creation; Query's reprint by
    # payment number; a record's events; receipts printed since a time (the paper counter).
    2: """
    DROP INDEX payments_by_state;
    CREATE INDEX payments_by_state ON payments (state, updated_at);
    CREATE INDEX payments_by_created ON payments (created_at);
    CREATE INDEX payments_by_payment_no ON payments (payment_no) WHERE payment_no IS NOT NULL;
    CREATE INDEX events_by_journal_no ON events (journal_no, id);
    CREATE INDEX events_by_state ON events (state, at);
    """,
    # Issue 22: a household's basket. One basket record (the money: one QR order or one card payment for the
    # total) and one payments row per line (basket_no, line_no), each line posted on its own key.
    3: """
    CREATE TABLE baskets (
        basket_no TEXT PRIMARY KEY,
        idempotency_key TEXT UNIQUE NOT NULL,
        state TEXT NOT NULL,
        payer_id_number TEXT NOT NULL,
        basket_id TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        pay_method TEXT NOT NULL,
        order_no TEXT,
        channel_ref TEXT,
        receipt_error TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL);
    CREATE INDEX baskets_by_state ON baskets (state, updated_at);
    CREATE TABLE basket_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        basket_no TEXT NOT NULL REFERENCES baskets (basket_no),
        at TEXT NOT NULL,
        state TEXT NOT NULL,
        note TEXT);
    ALTER TABLE payments ADD COLUMN basket_no TEXT REFERENCES baskets (basket_no);
    ALTER TABLE payments ADD COLUMN line_no INTEGER;
    CREATE INDEX payments_by_basket ON payments (basket_no, line_no) WHERE basket_no IS NOT NULL;
    """,
    # Issue 22: the basket's own signed code (the fee system's seal of its posted lines), for its receipt.
    4: """
    ALTER TABLE baskets ADD COLUMN verification_code TEXT;
    """,
}
UNFINISHED_STATES = tuple(state.value for state in PaymentState if state not in END_STATES)
KNOWN_STATES = frozenset(state.value for state in PaymentState)


def _expected_columns(version: int) -> dict[str, frozenset[str]]:
    """The tables and columns the migrations up to ``version`` create: what health checks expect of a journal file
    of that version (an older journal is good as it is: opening it migrates it)."""
    db = sqlite3.connect(":memory:")
    try:
        for target in sorted(MIGRATIONS):
            if target <= version:
                db.executescript(MIGRATIONS[target])
        tables = ("payments", "events", "baskets", "basket_events")
        found = {table: frozenset(row[1] for row in db.execute(f"PRAGMA table_info({table})")) for table in tables}
        return {table: columns for table, columns in found.items() if columns}
    finally:
        db.close()


EXPECTED_BY_VERSION = {version: _expected_columns(version) for version in MIGRATIONS}
EXPECTED_COLUMNS = EXPECTED_BY_VERSION[SCHEMA_VERSION]


class JournalError(Exception):
    pass


def check_transition(number: str, current: PaymentState, target: PaymentState) -> None:
    """Refuse a state change DESIGN.md §5 does not allow (staying in a state is allowed: a note)."""
    if target != current and target not in TRANSITIONS[current]:
        raise JournalError(f"{number}: {current} cannot become {target}")


class JournalWriteError(JournalError):
    """SQLite could not write (disk full, I/O error): unlike a refused transition, the same write may succeed once
    there is room again. The payment's caller decides what the citizen is told (kiosk/payments/write_failures.py)."""


def _rollback_quietly(db: sqlite3.Connection) -> None:
    # After SQLITE_FULL or an I/O error SQLite may have rolled back already; a second ROLLBACK then fails harmlessly.
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass


class JournalDamaged(JournalError):
    """The file cannot be used as this program's journal (not a database, damaged, a newer or broken schema, not
    a file at all). The message is one sentence for the technician."""


class JournalUnhealthy(JournalError):
    """The journal takes no new payment: it failed a health check (the message says which) or is open read-only."""


class UnreadableRecord(JournalError):
    """A row this program cannot read (a state, method or time it does not know): skipped and reported."""


class JournalMirror(Protocol):
    """What keeps the journal's second medium (kiosk/payments/journal_copy.py): called inside the journal's lock
    after each commit, before the outside action the new state leads to. It never raises: a failure is its to
    report (and it sets the journal's ``refusal``)."""

    def committed(self, db: sqlite3.Connection, created: str | None) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class RepeatsHousekeeping(Protocol):
    """A mirror that copies only what each commit changed cannot see a change that wrote no event (retention's
    masking): the journal hands it the housekeeping work to repeat on its own medium."""

    def repeat(self, db: sqlite3.Connection, work: Callable[[sqlite3.Connection], int]) -> None: ...


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
    """The journal on ``path``. Raises JournalDamaged when the file cannot be this program's journal (never a raw
    sqlite3 or OS error). ``read_only``: open what can be read (maintenance's export of a damaged journal), write
    nothing, take no payment. ``refusal``: when set, ``create`` refuses new payments with that reason;
    ``payment_guard``: a cheap check run before each new payment (a reason, or None when healthy); ``mirror``:
    the second copy, brought up to date after each commit."""

    def __init__(
        self,
        path: Path | str,
        terminal_id: str,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        *,
        read_only: bool = False,
    ):
        self.path = Path(path)
        self.terminal_id = terminal_id
        self.clock = clock
        self.read_only = read_only
        self.refusal: str | None = "the journal is open read-only" if read_only else None
        self.payment_guard: Callable[[], str | None] | None = None
        self.mirror: JournalMirror | None = None
        self.unreadable: dict[str, str] = {}  # journal no -> why its row was skipped (the last reads')
        self._lock = threading.RLock()
        try:
            self._db = self._connect(str(path))
        except (sqlite3.Error, OSError) as error:
            raise JournalDamaged(f"the journal {path} cannot be opened: {describe(error)}") from None
        try:
            if not read_only:  # read-only: whatever tables can still be read are exported
                self._migrate()
                self._check_schema()
                self.find_unreadable()
        except (sqlite3.Error, OSError, JournalError) as error:
            self._db.close()
            if isinstance(error, JournalDamaged):
                raise
            raise JournalDamaged(f"the journal {path} cannot be used: {describe(error)}") from None

    def _connect(self, path: str) -> sqlite3.Connection:
        if self.read_only:
            if not self.path.is_file():
                raise JournalDamaged(f"the journal {path} is not a file")
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            db.row_factory = sqlite3.Row
            return db
        if path != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Create the file 0600 before SQLite opens it: the journal holds ID numbers.
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalDamaged(
                    f"the journal {self.path} has schema version {version}, newer than this program's "
                    f"({SCHEMA_VERSION}): a newer kiosk wrote it, or its header is damaged"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                # One script per migration, its own transaction: executescript() would commit an outer one.
                script = f"BEGIN IMMEDIATE;\n{MIGRATIONS[target]}\nPRAGMA user_version = {target};\nCOMMIT;"
                try:
                    self._db.executescript(script)
                except sqlite3.Error:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise

    def schema_problem(self) -> str | None:
        with self._lock:
            return schema_problem(self._db)

    def _check_schema(self) -> None:
        """The tables and columns this program writes are all there (a dropped table, a foreign file)."""
        problem = self.schema_problem()
        if problem:
            raise JournalDamaged(f"the journal {self.path} {problem}")

    def execute_read(self, sql: str, parameters: tuple = ()) -> list[sqlite3.Row]:
        """A read on the journal's own connection, under its lock (health checks, the watermark)."""
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    def housekeeping(self, work: Callable[[sqlite3.Connection], int]) -> int:
        """Run ``work`` (its own transaction) on the journal's connection under its lock, then refresh the second
        copy: kiosk/payments/retention.py masks old records' ID numbers this way. ``work`` must depend on the rows
        alone: a mirror that copies changes repeats it on the copy."""
        with self._lock:
            result = work(self._db)
            self._mirror(None)
            if isinstance(self.mirror, RepeatsHousekeeping):
                self.mirror.repeat(self._db, work)
            return result

    def highest_sequence(self) -> int:
        """The highest event number ever given (AUTOINCREMENT keeps it even if rows go): the watermark's measure."""
        with self._lock:
            return sequence_of(self._db)

    def has_key(self, idempotency_key: str) -> bool:
        """Whether any row (readable or not) holds this key: the fee system's payments must all be here."""
        with self._lock:
            row = self._db.execute("SELECT 1 FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
        return row is not None

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self.mirror is not None:
                self.mirror.close()

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
            self._refuse_if_unhealthy()
            crashpoint.before_commit()
            try:
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
            except sqlite3.OperationalError as error:
                _rollback_quietly(self._db)
                raise JournalWriteError(f"{journal_no}: created not written: {error}") from error
            except BaseException:
                _rollback_quietly(self._db)
                raise
            crashpoint.after_commit()
            self._mirror(created=journal_no)
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
            try:
                self._db.execute("BEGIN IMMEDIATE")
                row = self._db.execute("SELECT state FROM payments WHERE journal_no = ?", (journal_no,)).fetchone()
                if row is None:
                    raise JournalError(f"no journal record {journal_no}")
                try:
                    current = PaymentState(row["state"])
                except ValueError:
                    raise UnreadableRecord(f"{journal_no}: unknown state {row['state']!r}") from None
                check_transition(journal_no, current, state)
                assignments = ", ".join(f"{name} = ?" for name in fields)
                sql = "UPDATE payments SET state = ?, updated_at = ?" + (f", {assignments}" if fields else "")
                self._db.execute(sql + " WHERE journal_no = ?", (state.value, now, *fields.values(), journal_no))
                self._db.execute(
                    "INSERT INTO events (journal_no, at, state, note) VALUES (?,?,?,?)",
                    (journal_no, now, state.value, note),
                )
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as error:
                _rollback_quietly(self._db)
                raise JournalWriteError(f"{journal_no}: {state} not written: {error}") from error
            except BaseException:
                _rollback_quietly(self._db)
                raise
            crashpoint.after_commit()
            self._mirror(created=None)
        return self.get(journal_no)

    def write_together(self, work: Callable[[sqlite3.Connection], None], *, new_payment: bool = False) -> None:
        """Commit ``work`` (statements on the journal's connection) as one durable transaction: a basket's record and
        its lines change state together (kiosk/payments/basket_journal.py). ``new_payment``: refused like
        ``create`` on a journal that takes no new payment."""
        with self._lock:
            if new_payment:
                self._refuse_if_unhealthy()
            crashpoint.before_commit()
            try:
                self._db.execute("BEGIN IMMEDIATE")
                work(self._db)
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as error:
                _rollback_quietly(self._db)
                raise JournalWriteError(f"basket not written: {error}") from error
            except BaseException:
                _rollback_quietly(self._db)
                raise
            crashpoint.after_commit()
            self._mirror(created=None)

    def _refuse_if_unhealthy(self) -> None:
        """No new payment on a journal that is not known good (the reason goes to the technician)."""
        problem = self.refusal or (self.payment_guard() if self.payment_guard is not None else None)
        if problem:
            raise JournalUnhealthy(problem)

    def mirror_now(self, created: str | None = None) -> None:
        """Refresh the second copy now (at start-up), and the watermark with ``created`` as the newest record."""
        with self._lock:
            self._mirror(created)

    def _mirror(self, created: str | None) -> None:
        # After the commit and before the outside action it leads to: the copy is never behind an action taken.
        if self.mirror is not None:
            self.mirror.committed(self._db, created)

    def get(self, journal_no: str) -> JournalEntry:
        with self._lock:
            row = self._db.execute("SELECT * FROM payments WHERE journal_no = ?", (journal_no,)).fetchone()
        if row is None:
            raise JournalError(f"no journal record {journal_no}")
        try:
            return _entry(row)
        except (ValueError, TypeError) as error:
            raise UnreadableRecord(f"{journal_no}: {error}") from None

    def find_by_payment_no(self, payment_no: str) -> JournalEntry | None:
        """The kiosk's record of a payment the fee system posted (None when another kiosk took it)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM payments WHERE payment_no = ?", (payment_no,)).fetchall()
        entries = self._readable(rows)
        return entries[0] if entries else None

    def unfinished(self) -> list[JournalEntry]:
        """Records not in an end state, oldest first; a row with a state this program does not know counts as
        unfinished and is skipped (``unreadable``), never fatal. By the state index: as cheap with 10^6 finished
        records as with none (``state NOT IN (...)`` would read every row)."""
        with self._lock:
            states = [state for state in self._states_present() if state not in END_STATES]
            rows = self._db.execute(
                f"SELECT * FROM payments WHERE state IN ({_placeholders(states)}) ORDER BY created_at", states
            ).fetchall()
        return self._readable(rows)

    def _states_present(self) -> list[str]:
        """Every distinct state in the journal, a few index seeks each (a loose index scan): the known unfinished
        ones and any state this program does not know."""
        present: list[str] = []
        row = self._db.execute("SELECT min(state) FROM payments").fetchone()
        while row is not None and row[0] is not None:
            present.append(row[0])
            row = self._db.execute("SELECT min(state) FROM payments WHERE state > ?", (row[0],)).fetchone()
        return present

    def in_state(self, state: PaymentState, updated_from: dt.datetime, updated_to: dt.datetime) -> list[JournalEntry]:
        """Records in ``state`` last changed between the two times (inclusive), by the state index."""
        low, high = _bound(updated_from), _bound(updated_to, upper=True)
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM payments WHERE state = ? AND updated_at BETWEEN ? AND ? ORDER BY updated_at",
                (state.value, low, high),
            ).fetchall()
        return [e for e in self._readable(rows) if updated_from <= e.updated_at <= updated_to]

    def created_since(self, start: dt.datetime) -> list[JournalEntry]:
        """The records created at or after ``start`` (a settlement batch's records), by the creation index."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM payments WHERE created_at >= ? ORDER BY created_at", (_bound(start),)
            ).fetchall()
        return [entry for entry in self._readable(rows) if entry.created_at >= start]

    def created_on(self, day: dt.date) -> list[JournalEntry]:
        """The records created on ``day`` (reconciliation's journal side), by the creation index."""
        start = dt.datetime.combine(day, dt.time())
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM payments WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
                (_bound(start), _bound(start + dt.timedelta(days=1))),
            ).fetchall()
        return [entry for entry in self._readable(rows) if entry.created_at.date() == day]

    def find_by_key(self, idempotency_key: str) -> JournalEntry | None:
        """The record of an idempotency key (None: none, or its row cannot be read: see ``unreadable``)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchall()
        entries = self._readable(rows)
        return entries[0] if entries else None

    def count_events(self, state: PaymentState, since: dt.datetime | None) -> int:
        """How many times records entered ``state`` at or after ``since`` (ever, without one): the paper counter's
        receipts, by the events' state index."""
        with self._lock:
            row = self._db.execute(
                "SELECT count(*) FROM events WHERE state = ? AND at >= ?",
                (state.value, since.isoformat(timespec="seconds") if since else ""),
            ).fetchone()
        return int(row[0])

    def find_unreadable(self) -> dict[str, str]:
        """Rows this program cannot read (a state, item or method it does not know, a time that is not one),
        found by one scan in SQLite and noted in ``unreadable``: done once when the journal is opened, since the
        hot queries above no longer read every row. A row SQLite lets through but Python cannot parse is still
        caught (and noted) when a query reads it."""
        known: dict[str, list[str]] = {
            "state": sorted(KNOWN_STATES),
            "item": [item.value for item in InsuredItem],
            "pay_method": [method.value for method in PayMethod],
        }
        unknown = " OR ".join(f"{column} NOT IN ({_placeholders(values)})" for column, values in known.items())
        with self._lock:
            rows = self._salvage(
                f"SELECT * FROM payments WHERE {unknown} OR datetime(created_at) IS NULL"
                " OR datetime(updated_at) IS NULL OR typeof(amount_fen) != 'integer'",
                tuple(value for values in known.values() for value in values),
            )
        self._readable(rows)
        return dict(self.unreadable)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            rows = self._salvage("SELECT * FROM payments ORDER BY created_at")
        return self._readable(rows)

    def _salvage(self, sql: str, parameters: tuple = ()) -> list[sqlite3.Row]:
        """The rows of a read; on a read-only (damaged) journal, those read before SQLite stops at the damage:
        maintenance exports what can be read."""
        if not self.read_only:
            return self._db.execute(sql, parameters).fetchall()
        rows: list[sqlite3.Row] = []
        try:
            for row in self._db.execute(sql, parameters):
                rows.append(row)
        except sqlite3.DatabaseError as error:
            log.error("damaged journal: read stopped after %d row(s): %s", len(rows), error)
        return rows

    def unreadable_keys(self) -> dict[str, str]:
        """Idempotency key -> journal no of every row ``entries()`` last skipped."""
        if not self.unreadable:
            return {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT journal_no, idempotency_key FROM payments WHERE journal_no IN "
                f"({','.join('?' for _ in self.unreadable)})",
                list(self.unreadable),
            ).fetchall()
        return {row["idempotency_key"]: row["journal_no"] for row in rows}

    def _readable(self, rows: list[sqlite3.Row]) -> list[JournalEntry]:
        """The rows this program can read; the others are noted in ``unreadable`` (and logged once)."""
        entries = []
        for row in rows:
            try:
                entries.append(_entry(row))
            except (ValueError, TypeError, IndexError) as error:
                journal_no = str(row["journal_no"])
                if journal_no not in self.unreadable:
                    log.error("journal record %s skipped: %s", journal_no, error)
                self.unreadable[journal_no] = str(error)
            else:
                self.unreadable.pop(entries[-1].journal_no, None)
        return entries

    def events(self, journal_no: str) -> list[tuple[str, PaymentState, str | None]]:
        with self._lock:
            rows = self._salvage("SELECT at, state, note FROM events WHERE journal_no = ? ORDER BY id", (journal_no,))
        events = []
        for row in rows:
            try:
                events.append((row["at"], PaymentState(row["state"]), row["note"]))
            except ValueError:  # an event this program cannot read: the others still tell the story
                log.error("journal event of %s skipped: unknown state %r", journal_no, row["state"])
        return events


def _placeholders(values: list[str] | tuple[str, ...]) -> str:
    return ",".join("?" for _ in values) or "NULL"


def _bound(moment: dt.datetime, upper: bool = False) -> str:
    """A time as the journal stores it, to bound an index range (the exact test is made on the parsed entries).
    An upper bound keeps its fraction, so that a record stamped within that second is inside."""
    return moment.isoformat(timespec="microseconds" if upper else "seconds")


def describe(error: BaseException) -> str:
    """One line for the technician from an SQLite or OS error (no traceback, no class name for the citizen)."""
    if isinstance(error, IsADirectoryError):
        return "the path is a directory, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def sequence_of(db: sqlite3.Connection) -> int:
    """The highest event number a journal connection has given."""
    row = db.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),"
        " coalesce((SELECT max(id) FROM events), 0))"
    ).fetchone()
    return int(row[0])


def schema_problem(db: sqlite3.Connection) -> str | None:
    """What is missing from the journal's tables for its schema version (None when every table and column is
    there)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for table, columns in EXPECTED_BY_VERSION.get(version, EXPECTED_COLUMNS).items():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not present:
            return f"has no {table} table"
        missing = columns - present
        if missing:
            return f"lacks the {table} columns {', '.join(sorted(missing))}"
    return None


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
