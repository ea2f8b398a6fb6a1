"""Is the journal known good, and is it the *same* journal? (issue 25 §2)

Three questions, each answered with one sentence for the technician (None: healthy):

- the file: a regular file with SQLite's header and a valid page size, passing ``PRAGMA integrity_check`` (at
  start-up) or ``quick_check`` (before each payment), at this program's schema version, with every table and
  column the journal writes (``inspect_file`` reads it without writing a byte; ``connection_problem`` checks the
  open journal);
- the same journal: the highest event number never goes down. A watermark outside the file
  (``<state>/journal.watermark``, written atomically, 0600, after each new payment record) holds the highest
  number and the newest journal number; a journal below it, or without that record, has lost records (``truncate
  -s 0``, an older copy restored by hand);
- the fee system's record: every payment the fee system posted for this terminal has its record in the journal
  (``lost_to_fee_system``, where the fee system is reachable).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.feesystem.api import FeeSystem
from kiosk.payments.journal import SCHEMA_VERSION, Journal, describe, schema_problem, sequence_of

SQLITE_HEADER = b"SQLite format 3\x00"
WATERMARK_SUFFIX = ".watermark"


@dataclass(frozen=True)
class FileVerdict:
    """What ``inspect_file`` found. ``state``: ok | absent | empty | damaged | lost."""

    path: Path
    state: str
    detail: str
    highest_sequence: int = 0

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def usable(self) -> bool:
        """The kiosk may open it for writing: good, or not there yet (a first start creates it)."""
        return self.state in ("ok", "absent")


def header_problem(path: Path) -> str | None:
    """The first 100 bytes of the file: SQLite's magic string and a page size it accepts."""
    with open(path, "rb") as file:
        header = file.read(100)
    if len(header) < 100:
        return f"is truncated ({len(header)} bytes, shorter than a database header)"
    if not header.startswith(SQLITE_HEADER):
        return "does not start with SQLite's header (overwritten or not a database)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"has an invalid page size ({page_size}) in its header"
    return None


def inspect_file(path: Path, full: bool = True, watermark: Watermark | None = None) -> FileVerdict:
    """The journal file as it is on disk, opened read-only (nothing is created, migrated or repaired).
    ``full``: integrity_check rather than quick_check. With a watermark, a file below it is "lost"."""
    expected = watermark.read() if watermark is not None else None
    if not path.exists() and not path.is_symlink():
        if expected and expected.sequence > 0:
            return FileVerdict(path, "lost", f"{path} is missing, yet {expected.describe()}")
        return FileVerdict(path, "absent", f"no journal at {path} yet")
    if path.is_dir():
        return FileVerdict(path, "damaged", f"the journal {path} is a directory, not a file")
    try:
        if path.stat().st_size == 0:
            if expected and expected.sequence > 0:
                return FileVerdict(path, "lost", f"the journal {path} is empty (0 bytes), yet {expected.describe()}")
            return FileVerdict(path, "empty", f"the journal {path} is empty (0 bytes)")
        problem = header_problem(path)
        if problem:
            return FileVerdict(path, "damaged", f"the journal {path} {problem}")
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problem = connection_problem(db, full)
            highest = 0 if problem else sequence_of(db)
            if problem is None and expected is not None:
                problem = expected.compare(highest, lambda no: _has_record(db, no))
                if problem:
                    return FileVerdict(path, "lost", f"the journal {path} {problem}", highest)
        finally:
            db.close()
    except (OSError, sqlite3.Error) as error:
        return FileVerdict(path, "damaged", f"the journal {path} cannot be read: {describe(error)}")
    if problem:
        return FileVerdict(path, "damaged", f"the journal {path} {problem}")
    return FileVerdict(path, "ok", f"the journal {path} is good (events up to {highest})", highest)


def connection_problem(db: sqlite3.Connection, full: bool = False) -> str | None:
    """Integrity, schema version, tables and columns of an open journal; None when all are right."""
    check = "integrity_check" if full else "quick_check"
    rows = db.execute(f"PRAGMA {check}(3)").fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        first = str(rows[0][0]) if rows else "no answer"
        return f"fails SQLite's {check}: {first}"
    version = db.execute("PRAGMA user_version").fetchone()[0]
    # An older version is this program's journal before its migrations (which add indexes, no columns): opening
    # it for writing migrates it. A newer one, or none, is not.
    if not 1 <= version <= SCHEMA_VERSION:
        return f"has schema version {version}, this program writes {SCHEMA_VERSION}"
    return schema_problem(db)


def _has_record(db: sqlite3.Connection, journal_no: str) -> bool:
    return db.execute("SELECT 1 FROM payments WHERE journal_no = ?", (journal_no,)).fetchone() is not None


# --- the watermark --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    sequence: int
    journal_no: str | None
    at: str

    def describe(self) -> str:
        newest = f", the newest {self.journal_no}" if self.journal_no else ""
        return f"the watermark says it held events up to {self.sequence}{newest} ({self.at})"

    def compare(self, highest: int, has_record: Callable[[str], bool]) -> str | None:
        if highest < self.sequence:
            return f"holds events up to {highest} only, yet {self.describe()}: records were lost"
        if self.journal_no and not has_record(self.journal_no):
            return f"has no record {self.journal_no}, yet {self.describe()}: records were lost"
        return None


class Watermark:
    """``<journal>.watermark``: a small JSON file outside the journal, replaced atomically (0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, journal_path: Path) -> Watermark:
        return cls(journal_path.with_name(journal_path.stem + WATERMARK_SUFFIX))

    def read(self) -> Mark | None:
        """None when there is none yet (or it cannot be read: a damaged watermark proves nothing either way)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Mark(int(data["sequence"]), data.get("journal_no"), str(data.get("at", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, sequence: int, journal_no: str | None, at: dt.datetime) -> None:
        payload = json.dumps({"sequence": sequence, "journal_no": journal_no, "at": at.isoformat(timespec="seconds")})
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.write(fd, payload.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself is durable
        finally:
            os.close(directory)

    def compare(self, journal: Journal) -> str | None:
        mark = self.read()
        if mark is None:
            return None
        return mark.compare(journal.highest_sequence(), _journal_has(journal))


def _journal_has(journal: Journal) -> Callable[[str], bool]:
    return lambda journal_no: bool(journal.execute_read("SELECT 1 FROM payments WHERE journal_no = ?", (journal_no,)))


# --- before each payment --------------------------------------------------------------------------------------


class PaymentGuard:
    """The cheap check before each new payment (``Journal.payment_guard``): quick_check, schema, watermark. Its
    last cost in milliseconds is kept (docs/recovery.md gives the measured figure)."""

    def __init__(self, journal: Journal, watermark: Watermark | None) -> None:
        self.journal = journal
        self.watermark = watermark
        self.last_ms = 0.0

    def __call__(self) -> str | None:
        started = time.perf_counter()
        try:
            problem = self.journal_problem()
        except sqlite3.Error as error:
            problem = f"the journal cannot be checked: {describe(error)}"
        self.last_ms = (time.perf_counter() - started) * 1000
        return problem

    def journal_problem(self) -> str | None:
        rows = self.journal.execute_read("PRAGMA quick_check(1)")
        if [tuple(row) for row in rows] != [("ok",)]:
            return f"the journal fails SQLite's quick_check: {rows[0][0] if rows else 'no answer'}"
        version = self.journal.execute_read("PRAGMA user_version")[0][0]
        if version != SCHEMA_VERSION:
            return f"the journal has schema version {version}, this program writes {SCHEMA_VERSION}"
        problem = self.journal.schema_problem()
        if problem:
            return f"the journal {problem}"
        if self.watermark is not None:
            lost = self.watermark.compare(self.journal)
            if lost:
                return f"the journal {lost}"
        return None


# --- the fee system's record ----------------------------------------------------------------------------------


def lost_to_fee_system(
    journal: Journal, fee_system: FeeSystem, terminal_id: str, days: Iterable[dt.date]
) -> str | None:
    """The fee system's payments of this terminal on ``days`` that the journal has no record of (the journal lost
    them); None when every one is there. Fee-system errors propagate (the caller decides: not reachable now)."""
    prefix = f"kiosk-{terminal_id}-"
    missing = []
    for day in days:
        for payment in fee_system.terminal_payments(terminal_id, day):
            if payment.idempotency_key.startswith(prefix) and not journal.has_key(payment.idempotency_key):
                missing.append(payment.payment_no)
    if not missing:
        return None
    return (
        f"the fee system holds {len(missing)} payment(s) of this terminal the journal has no record of "
        f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): the journal has lost records"
    )
