"""Is the journal known good, and is it the *same* journal? (issue 25 §2)

Three questions, each answered with one sentence for the technician (None: healthy):

- the file: a regular file with SQLite's header, a valid page size and at least the pages its header counts,
  at this program's schema version, with every table and column the journal writes, passing SQLite's own check:
  ``quick_check`` at start-up (``inspect_file`` reads it without writing a byte), ``integrity_check`` in the idle
  pass (``FullCheck``, off the GUI thread) and in the technician's tools. Before each payment only checks whose cost
  does not grow with the journal (``PaymentGuard``);
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
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.feesystem.api import FeeSystem
from kiosk.payments.journal import SCHEMA_VERSION, Journal, describe, schema_problem, sequence_of
from kiosk.private_files import replace_file

log = logging.getLogger(__name__)

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
    # The page count in the header is valid when its "version-valid-for" equals the change counter (sqlite.org
    # fileformat2 §1.3.7); a checkpoint writes page 1 with it, so a shorter file lost its end.
    pages = int.from_bytes(header[28:32], "big")
    size = os.stat(path).st_size
    if header[92:96] == header[24:28] and size < pages * page_size:
        return f"is truncated ({size} bytes, its header counts {pages} pages of {page_size})"
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
        replace_file(self.path, payload)

    def compare(self, journal: Journal) -> str | None:
        mark = self.read()
        if mark is None:
            return None
        return mark.compare(journal.highest_sequence(), _journal_has(journal))


def _journal_has(journal: Journal) -> Callable[[str], bool]:
    return lambda journal_no: bool(journal.execute_read("SELECT 1 FROM payments WHERE journal_no = ?", (journal_no,)))


# --- before each payment --------------------------------------------------------------------------------------


class PaymentGuard:
    """The check before each new payment (``Journal.payment_guard``), its cost independent of the journal's size
    (tests/test_journal_scale.py counts the bytes it reads): the file's 100-byte header and size, the schema
    version, the tables and columns (looked at again only when the schema cookie changes), the watermark (two index
    seeks), the last write of the second copy and watermark, and the last full check's result (``FullCheck``, in the
    idle pass). Its last cost in milliseconds is kept."""

    def __init__(
        self,
        journal: Journal,
        watermark: Watermark | None,
        full_check: FullCheck | None = None,
        last_write: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.journal = journal
        self.watermark = watermark
        self.full_check = full_check
        self.last_write = last_write
        self.last_ms = 0.0
        self._schema: tuple[int, str | None] | None = None  # (schema cookie, its verdict) on this connection

    def __call__(self) -> str | None:
        started = time.perf_counter()
        try:
            problem = self.journal_problem()
        except (OSError, sqlite3.Error) as error:
            problem = f"the journal cannot be checked: {describe(error)}"
        self.last_ms = (time.perf_counter() - started) * 1000
        return problem

    def journal_problem(self) -> str | None:
        problem = header_problem(self.journal.path)
        if problem:
            return f"the journal {self.journal.path} {problem}"
        version = self.journal.execute_read("PRAGMA user_version")[0][0]
        if version != SCHEMA_VERSION:
            return f"the journal has schema version {version}, this program writes {SCHEMA_VERSION}"
        problem = self.schema_problem()
        if problem:
            return f"the journal {problem}"
        if self.watermark is not None:
            lost = self.watermark.compare(self.journal)
            if lost:
                return f"the journal {lost}"
        problem = self.last_write()
        if problem:
            return problem
        return self.full_check.problem if self.full_check is not None else None

    def schema_problem(self) -> str | None:
        """The tables and columns, read again only after a schema change (a dropped table changes the cookie)."""
        cookie = self.journal.execute_read("PRAGMA schema_version")[0][0]
        if self._schema is None or self._schema[0] != cookie:
            self._schema = (cookie, self.journal.schema_problem())
        return self._schema[1]


# --- the full check, in the idle pass -------------------------------------------------------------------------

FULL_CHECK_EVERY = dt.timedelta(hours=1)
FAILED_SUFFIX = ".check-failed"


@dataclass(frozen=True)
class CheckOutcome:
    problem: str | None
    interrupted: bool
    seconds: float


class FullCheck:
    """SQLite's ``integrity_check`` of the journal file on a read-only connection of its own, for a worker thread
    (kiosk/background.py's idle pass). In WAL mode it neither waits for the journal's writes nor holds them up;
    ``interrupt()`` (a citizen left Home) stops it within milliseconds and the next idle pass starts it again. A
    failure is also kept beside the journal (``journal.check-failed``), so that the next start-up runs the full
    check too and restores the second copy."""

    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.path = path
        self.clock = clock
        self.problem: str | None = None  # the last completed check's
        self.completed_at: dt.datetime | None = None
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._interrupted = False

    def due(self) -> bool:
        return self.completed_at is None or self.clock() - self.completed_at >= FULL_CHECK_EVERY

    def begin(self) -> None:
        """Arm a new run (on the GUI thread, before the worker starts): an ``interrupt()`` from now on stops it."""
        with self._lock:
            self._interrupted = False

    def interrupt(self) -> None:
        with self._lock:
            self._interrupted = True
            if self._db is not None:
                self._db.interrupt()

    def run(self) -> CheckOutcome:
        started = time.perf_counter()
        with self._lock:
            if self._interrupted:
                return CheckOutcome(None, True, 0.0)
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        try:
            problem = connection_problem(self._db, full=True)
        except sqlite3.Error as error:
            if self._interrupted:
                return CheckOutcome(None, True, time.perf_counter() - started)
            problem = f"fails SQLite's integrity_check: {describe(error)}"  # damage it cannot even read past
        finally:
            with self._lock:
                db, self._db = self._db, None
            db.close()
        self.problem = f"the journal {self.path} {problem}" if problem else None
        self.completed_at = self.clock()
        if self.problem:
            try:
                failed_marker(self.path).write_text(self.problem + "\n", encoding="utf-8")
            except OSError as error:  # the kiosk still takes no money; the next start-up checks quickly only
                log.error("journal: the failed check cannot be noted for the next start: %s", describe(error))
        return CheckOutcome(self.problem, False, time.perf_counter() - started)


def failed_marker(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + FAILED_SUFFIX)


_FULL_CHECKS: weakref.WeakKeyDictionary[Journal, FullCheck] = weakref.WeakKeyDictionary()


def attach_full_check(journal: Journal, check: FullCheck) -> None:
    _FULL_CHECKS[journal] = check


def full_check_of(journal: Journal) -> FullCheck | None:
    """The full check of a journal opened for writing by journal_open (None for a bare or read-only journal)."""
    return _FULL_CHECKS.get(journal)


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
