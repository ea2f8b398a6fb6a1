"""Retention: finished journal records keep only masked ID numbers once the retention period is over (issue 25 §4).

What a finished record is still needed for after its day: reconciliation matches the ledgers by idempotency key
(``kiosk-<journal no>``) and compares amounts and states, and reads the person only from the fee system's side (a
duplicate posting's subject); recovery reads the payer's ID only to post an *unfinished* payment. Query and the
receipt reprint ask the fee system, not the journal. So the ID numbers of a finished record serve nobody after
the period: they are replaced by ``3701**********4422`` (mask_id_number), which maintenance shows anyway.

Only end states a technician no longer has to work on are masked: done, order closed, refunded, reversed,
declined and resolved. Unfinished and flagged (unresolved) records keep their numbers: they still have to be
settled with the bureau, the bank or the citizen. The age is the time since the record's last change.

The old values must not linger in the file either: the update runs with ``secure_delete`` (freed space is
zeroed) and the write-ahead log is checkpointed and truncated afterwards; the second copy is refreshed by the
journal's ``housekeeping``. The pass runs at most once a day, in batches, so it never holds the journal long.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.idnumber import mask_id_number
from kiosk.payments.journal import Journal, PaymentState

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 90
MASKED_STATES = frozenset(
    {
        PaymentState.DONE,
        PaymentState.ORDER_CLOSED,
        PaymentState.REFUNDED,
        PaymentState.REVERSED,
        PaymentState.DECLINED,
        PaymentState.RESOLVED,
    }
)
BATCH = 500
RUN_EVERY = dt.timedelta(days=1)


@dataclass(frozen=True)
class RetentionResult:
    masked: int
    cutoff: dt.datetime


def _mask_batch(db: sqlite3.Connection, cutoff: str) -> int:
    """One transaction: up to BATCH records past ``cutoff`` whose numbers are still in clear."""
    states = [state.value for state in MASKED_STATES]
    placeholders = ",".join("?" for _ in states)
    db.execute("BEGIN IMMEDIATE")
    try:
        rows = db.execute(
            f"SELECT journal_no, id_number, payer_id_number FROM payments WHERE state IN ({placeholders})"
            " AND updated_at < ? AND (instr(id_number, '*') = 0 OR instr(payer_id_number, '*') = 0) LIMIT ?",
            (*states, cutoff, BATCH),
        ).fetchall()
        db.executemany(
            "UPDATE payments SET id_number = ?, payer_id_number = ? WHERE journal_no = ?",
            [(mask_id_number(row[1]), mask_id_number(row[2]), row[0]) for row in rows],
        )
        # A household basket's payer (issue 22; its lines are payments rows, masked above).
        baskets = db.execute(
            f"SELECT basket_no, payer_id_number FROM baskets WHERE state IN ({placeholders})"
            " AND updated_at < ? AND instr(payer_id_number, '*') = 0 LIMIT ?",
            (*states, cutoff, BATCH),
        ).fetchall()
        db.executemany(
            "UPDATE baskets SET payer_id_number = ? WHERE basket_no = ?",
            [(mask_id_number(row[1]), row[0]) for row in baskets],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return len(rows) + len(baskets)


def _mask_all(cutoff: str) -> Callable[[sqlite3.Connection], int]:
    def work(db: sqlite3.Connection) -> int:
        before = db.execute("PRAGMA secure_delete").fetchone()[0]
        db.execute("PRAGMA secure_delete = ON")
        try:
            total = 0
            while count := _mask_batch(db, cutoff):
                total += count
            if total:
                # The clear values are still in the WAL's older frames until a checkpoint copies the pages back.
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return total
        finally:
            db.execute(f"PRAGMA secure_delete = {int(before)}")

    return work


def mask_expired_ids(journal: Journal, retention: dt.timedelta, now: dt.datetime) -> RetentionResult:
    """Mask the ID numbers of finished records last changed before ``now - retention``."""
    cutoff = now - retention
    masked = journal.housekeeping(_mask_all(cutoff.isoformat(timespec="seconds")))
    if masked:
        log.info("retention: ID numbers masked in %d finished journal records older than %s", masked, cutoff.date())
    return RetentionResult(masked, cutoff)


class Retention:
    """The daily pass, for the idle loop (kiosk/background.py): ``run_if_due()`` is cheap between runs."""

    def __init__(self, journal: Journal, days: int, clock: Callable[[], dt.datetime]) -> None:
        self.journal = journal
        self.retention = dt.timedelta(days=days)
        self.clock = clock
        self.last_run: dt.datetime | None = None

    def run_if_due(self) -> RetentionResult | None:
        now = self.clock()
        if self.journal.read_only:
            return None
        if self.last_run is not None and now - self.last_run < RUN_EVERY:
            return None
        try:
            result = mask_expired_ids(self.journal, self.retention, now)
        except sqlite3.Error as error:  # a busy or full disk: the next idle pass tries again
            log.warning("retention: masking old ID numbers failed: %s", error)
            return None
        self.last_run = now
        return result
