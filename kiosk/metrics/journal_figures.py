"""The journal's figures for /metrics, read on a connection of their own and cheap with a 10⁶-record journal.

The journal (kiosk/payments/journal.py) is opened read-only here: SQLite's WAL lets a reader see the last commit
without taking the journal's lock, so a scrape never holds up a payment. Every figure is an index lookup or a
primary-key range:

- records in the unfinished states and flagged ones: COUNT over ``payments_by_state`` (few rows each);
- records in the other end states (done, declined, ... : nearly all of a busy hall's records): counted once from
  one snapshot (a covering-index scan, ~90 ms for 10⁶ records), then moved on by the events written since
  (``events.id`` only grows: a primary-key range);
- payments by method and outcome: the events since this process started that put a record into an end state,
  joined to their record by primary key. Counters, so they start at zero with the process, as Prometheus expects;
- the receipts printed since the paper roll was last refilled: counted once per refill, then from new events.

Nothing personal is read: states, methods, amounts and times only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.payments.journal import END_STATES, PaymentState

UNFINISHED_STATES = tuple(state.value for state in PaymentState if state not in END_STATES)
# End states counted exactly at each scrape: few records ever sit in them.
EXACT_END_STATES = (PaymentState.FLAGGED.value,)
COUNTED_END_STATES = tuple(state.value for state in END_STATES if state.value not in EXACT_END_STATES)


@dataclass
class Outcomes:
    """Payments that reached an end state since the process started, by (pay method, end state)."""

    count: Counter[tuple[str, str]] = field(default_factory=Counter)
    amount_fen: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass(frozen=True)
class JournalSnapshot:
    by_state: dict[str, int]
    unfinished: int
    flagged: int
    reversals_waiting: int
    oldest_unfinished_seconds: float  # 0 when nothing is unfinished
    outcomes: Outcomes


def _placeholders(values: tuple[str, ...]) -> str:
    return ",".join("?" for _ in values)


class JournalFigures:
    """Scrape-time figures of one journal file. Thread-safe (one scrape at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._last_event_id: int | None = None  # events up to this id are in the counts below
        self._end_counts: Counter[str] = Counter()
        self._outcomes = Outcomes()
        self._receipts_since: str | None = None  # the refill time the receipt count is from ("" = ever)
        self._receipts_event_id = 0
        self._receipts = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def snapshot(self, now: dt.datetime) -> JournalSnapshot:
        with self._lock:
            db = self._connection()
            db.execute("BEGIN")  # one read snapshot for every figure below
            try:
                return self._snapshot(db, now)
            finally:
                db.execute("COMMIT")

    def _snapshot(self, db: sqlite3.Connection, now: dt.datetime) -> JournalSnapshot:
        newest = db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
        if self._last_event_id is None:
            self._end_counts = Counter(
                dict(
                    db.execute(
                        f"SELECT state, COUNT(*) FROM payments WHERE state IN ({_placeholders(COUNTED_END_STATES)})"
                        " GROUP BY state",
                        COUNTED_END_STATES,
                    ).fetchall()
                )
            )
        else:
            self._count_new_events(db, self._last_event_id)
        self._last_event_id = newest
        by_state = {state: self._end_counts.get(state, 0) for state in COUNTED_END_STATES}
        exact = UNFINISHED_STATES + EXACT_END_STATES
        by_state.update({state: 0 for state in exact})
        by_state.update(
            dict(
                db.execute(
                    f"SELECT state, COUNT(*) FROM payments WHERE state IN ({_placeholders(exact)}) GROUP BY state",
                    exact,
                ).fetchall()
            )
        )
        oldest = db.execute(
            f"SELECT MIN(created_at) FROM payments WHERE state IN ({_placeholders(UNFINISHED_STATES)})",
            UNFINISHED_STATES,
        ).fetchone()[0]
        age = max(0.0, (now - dt.datetime.fromisoformat(oldest)).total_seconds()) if oldest else 0.0
        outcomes = Outcomes(Counter(self._outcomes.count), Counter(self._outcomes.amount_fen))
        return JournalSnapshot(
            by_state=by_state,
            unfinished=sum(by_state[state] for state in UNFINISHED_STATES),
            flagged=by_state[PaymentState.FLAGGED.value],
            reversals_waiting=by_state[PaymentState.REVERSAL_PENDING.value],
            oldest_unfinished_seconds=age,
            outcomes=outcomes,
        )

    def _count_new_events(self, db: sqlite3.Connection, after: int) -> None:
        """End states entered since the last scrape: the end-state counts and the payment outcome counters."""
        end_states = tuple(state.value for state in END_STATES)
        rows = db.execute(
            "SELECT events.state, payments.pay_method, payments.amount_fen FROM events"
            " JOIN payments ON payments.journal_no = events.journal_no"
            # "+": the range of new events by primary key, not every end-state event through events_by_state.
            f" WHERE events.id > ? AND +events.state IN ({_placeholders(end_states)})",
            (after, *end_states),
        ).fetchall()
        for state, method, amount_fen in rows:
            if state in COUNTED_END_STATES:
                self._end_counts[state] += 1
            self._outcomes.count[(method, state)] += 1
            self._outcomes.amount_fen[(method, state)] += amount_fen

    def receipts_printed_since(self, refilled_at: dt.datetime | None) -> int:
        """Payment receipts printed since the refill (kiosk/maintenance/paper.py counts them the same way: each
        ``receipt_printed`` event at or after the refill). A full count once per refill, then new events only."""
        since = refilled_at.isoformat(timespec="seconds") if refilled_at else ""
        printed = PaymentState.RECEIPT_PRINTED.value
        with self._lock:
            db = self._connection()
            db.execute("BEGIN")
            try:
                newest = db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
                if since != self._receipts_since:
                    self._receipts = db.execute(
                        "SELECT COUNT(*) FROM events WHERE state = ? AND at >= ? AND id <= ?", (printed, since, newest)
                    ).fetchone()[0]
                    self._receipts_since = since
                else:
                    self._receipts += db.execute(
                        "SELECT COUNT(*) FROM events WHERE id > ? AND id <= ? AND +state = ? AND at >= ?",
                        (self._receipts_event_id, newest, printed, since),
                    ).fetchone()[0]
                self._receipts_event_id = newest
            finally:
                db.execute("COMMIT")
            return self._receipts
