"""The journal's second copy, like an ATM's electronic journal on two media (issue 25 §2).

The copy is a journal database of its own on a second path (``[paths] journal_copy``; by default a sibling of the
state directory, ``<state dir>-copy/journal.sqlite3``; in a hall, a second device), kept up to date *incrementally*:
after every committed transaction of the journal, the events written since the copy's highest event number
(``events.id`` only grows: a primary-key range) are inserted into it, and the payment rows they belong to are
upserted, in one transaction (WAL, synchronous=FULL). So a commit costs the copy a few pages however large the
journal has grown (the backup API used before copied every page: 46 MB per payment at 10,000 payments; figures in
docs/recovery.md). It runs inside the journal's lock, after the commit and before the outside action the new state
leads to, so the copy is never behind an action the kiosk has taken: at worst it lacks the last commit, which is
exactly the state of a power cut just before that commit, and recovery settles it the same way. Then the watermark
is moved on (after a new payment record), so the copy is never below the watermark either. A change that writes no
event (retention's masking) is repeated on the copy (``repeat``).

The whole journal is copied (the backup API, into a new file renamed over the old one) only when the copy is not
in step with it: none yet, damaged, another schema version, or not the same history (its newest event differs
from the journal's event of that number: an older copy, a restored journal) — at the first start, after a restore
or a migration, never per payment.

When the journal itself is damaged or has lost records, ``restore_from_copy`` checks the copy (integrity, schema,
the watermark), sets the damaged file aside beside it for the technician (``journal.sqlite3.damaged-<time>``, with
its -wal and -shm), writes the copy back to the journal's path with the backup API and logs both steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.payments.journal import describe
from kiosk.payments.journal_health import Watermark, inspect_file, sequence_of

log = logging.getLogger(__name__)

COPY_OFF = "off"
DAMAGED_SUFFIX = ".damaged-"
SQLITE_SIDE_FILES = ("-wal", "-shm")
BATCH = 500  # journal numbers per query when the copy catches up after an outage
WAL_PAGES = 16  # the copy's write-ahead log is checkpointed at this many pages (about two commits)


def copy_path_for(setting: str, state_dir: Path) -> Path | None:
    """``[paths] journal_copy``: "" is the default sibling of the state directory, "off" none, a relative path is
    under the state directory, an absolute one anywhere (a second device)."""
    if setting == COPY_OFF:
        return None
    if not setting:
        return state_dir.with_name(state_dir.name + "-copy") / "journal.sqlite3"
    path = Path(setting)
    return path if path.is_absolute() else state_dir / path


class JournalCopy:
    """The second copy on ``path`` (its folder 0700, the file 0600: it holds what the journal holds)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._copied: int | None = None  # the highest event the copy holds; None: not known to be in step
        self.whole_copies = 0  # how often the whole journal was copied (at start-up, after a restore)

    def refresh(self, source: sqlite3.Connection) -> None:
        """Bring the copy up to ``source``'s last commit, durably. Raises OSError/sqlite3.Error (the copy is then
        checked again at the next commit)."""
        try:
            if self._copied is None:
                self._copied = self._in_step(source)
            if self._copied is None:
                self._copy_whole(source)
            else:
                self._copy_changes(source)
        except BaseException:
            self.close()  # whatever happened to it, the next refresh checks it again
            raise

    def repeat(self, source: sqlite3.Connection, work: Callable[[sqlite3.Connection], int]) -> None:
        """Repeat a change that wrote no event (the journal's housekeeping) on the copy, once it is in step."""
        try:
            self.refresh(source)
            work(self._target())
        except BaseException:
            self.close()
            raise

    def _target(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
            try:
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                # A short write-ahead log, kept short: the copy takes little more room than its rows on the second
                # device, and a payment grows that disk by a few pages (the disk reserve's measured figure).
                db.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
                db.execute(f"PRAGMA journal_size_limit={WAL_PAGES * 4096 * 2}")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _in_step(self, source: sqlite3.Connection) -> int | None:
        """The copy's highest event when it holds the journal's history up to it (same schema version, that event
        the same in both); None when it must be copied whole."""
        try:
            target = self._target()
            version = target.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 or version != source.execute("PRAGMA user_version").fetchone()[0]:
                return None
            copied = sequence_of(target)
            if copied > sequence_of(source):
                return None
            newest = "SELECT journal_no, at, state, note FROM events WHERE id = ?"
            mine = target.execute(newest, (copied,)).fetchone()
            theirs = source.execute(newest, (copied,)).fetchone()
            if (tuple(mine) if mine else None) != (tuple(theirs) if theirs else None):
                return None
            return copied
        except sqlite3.DatabaseError as error:  # not a database, damaged: replaced whole
            log.warning("journal copy %s: not in step (%s): copying the whole journal", self.path, describe(error))
            return None

    def _copy_whole(self, source: sqlite3.Connection) -> None:
        """The backup API into a new file, made durable, then renamed over the copy: never half a copy."""
        self.close()
        fresh = self.path.with_name(self.path.name + ".new")
        _remove_with_side_files(fresh)
        fd = os.open(fresh, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        os.close(fd)
        target = sqlite3.connect(str(fresh), isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()  # the last connection: checkpointed, its -wal gone
        _fsync(fresh)
        _remove_with_side_files(self.path, keep_main=True)  # a stale -wal must never be applied to the new file
        os.replace(fresh, self.path)
        _fsync(self.path.parent)
        self._copied = sequence_of(source)
        self.whole_copies += 1
        log.info("journal copy %s: the whole journal copied (events up to %d)", self.path, self._copied)

    def _copy_changes(self, source: sqlite3.Connection) -> None:
        """The events written since the copy's newest and the rows they belong to, in one transaction: payments
        by their events, baskets (issue 22) by theirs. Each family's events only grow."""
        assert self._copied is not None
        target = self._target()
        changes = [
            _changed(source, target, events, rows, key, self._copied if events == "events" else None)
            for events, rows, key in FAMILIES
            if _has_table(source, events)
        ]
        if not any(found for _table, _rows, found in changes):
            return
        target.execute("BEGIN IMMEDIATE")
        try:
            for (events, rows, key), (changed_rows, new_events, _found) in zip(FAMILIES, changes, strict=False):
                if changed_rows:
                    upsert = _upsert(rows, key, changed_rows[0].keys())
                    target.executemany(upsert, [tuple(row) for row in changed_rows])
                if new_events:
                    columns = new_events[0].keys()
                    target.executemany(
                        f"INSERT INTO {events} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                        [tuple(event) for event in new_events],
                    )
            target.execute("COMMIT")
        except BaseException:
            if target.in_transaction:
                target.execute("ROLLBACK")
            raise
        self._copied = sequence_of(source)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._copied = None


# (events table, the rows its events belong to, their key): every change of a row writes one of its events.
FAMILIES = (("events", "payments", "journal_no"), ("basket_events", "baskets", "basket_no"))


def _has_table(db: sqlite3.Connection, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def _changed(
    source: sqlite3.Connection, target: sqlite3.Connection, events: str, rows: str, key: str, after: int | None
) -> tuple[list[sqlite3.Row], list[sqlite3.Row], bool]:
    """The rows of ``rows`` whose ``events`` came after ``after`` (the copy's newest of them when None)."""
    if after is None:
        after = target.execute(f"SELECT coalesce(max(id), 0) FROM {events}").fetchone()[0]
    new_events = source.execute(f"SELECT * FROM {events} WHERE id > ? ORDER BY id", (after,)).fetchall()
    numbers = sorted({event[key] for event in new_events})
    changed: list[sqlite3.Row] = []
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        changed += source.execute(
            f"SELECT rowid AS rowid, * FROM {rows} WHERE {key} IN ({','.join('?' for _ in chunk)})", chunk
        ).fetchall()
    return changed, new_events, bool(new_events)


def _upsert(table: str, key: str, columns: Sequence[str]) -> str:
    """Insert a row, or update every column of the copy's row of that key (its rowid kept)."""
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column not in ("rowid", key))
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_with_side_files(path: Path, keep_main: bool = False) -> None:
    for suffix in SQLITE_SIDE_FILES if keep_main else ("", *SQLITE_SIDE_FILES):
        Path(str(path) + suffix).unlink(missing_ok=True)


class CommitKeeper:
    """The journal's mirror (``Journal.mirror``): after each commit the copy is brought up to date, and after a new
    payment record the watermark moves on. A failure is reported once per streak through ``on_problem`` (the kiosk then
    takes no new payment) and never raised: the commit it follows is already durable."""

    def __init__(
        self,
        watermark: Watermark,
        copy: JournalCopy | None,
        on_problem: Callable[[str | None], None],
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.watermark = watermark
        self.copy = copy
        self.on_problem = on_problem
        self.clock = clock
        self.failing: str | None = None

    def committed(self, db: sqlite3.Connection, created: str | None) -> None:
        try:
            if self.copy is not None:
                self.copy.refresh(db)
            if created is not None:
                self.watermark.write(sequence_of(db), created, self.clock())
        except (OSError, sqlite3.Error) as error:
            where = self.copy.path if self.copy is not None else self.watermark.path
            self._failed(f"the journal's second copy or watermark cannot be written ({where}): {describe(error)}")
            return
        if self.failing is not None:
            self.failing = None
            self.on_problem(None)

    def _failed(self, problem: str) -> None:
        if problem != self.failing:
            self.failing = problem
            self.on_problem(problem)

    def repeat(self, db: sqlite3.Connection, work: Callable[[sqlite3.Connection], int]) -> None:
        """The journal's housekeeping (``Journal.housekeeping``), repeated on the copy."""
        if self.copy is None:
            return
        try:
            self.copy.repeat(db, work)
        except (OSError, sqlite3.Error) as error:
            self._failed(f"the journal's second copy cannot be written ({self.copy.path}): {describe(error)}")

    def close(self) -> None:
        if self.copy is not None:
            self.copy.close()


def set_aside(path: Path, now: dt.datetime) -> Path:
    """Move a damaged journal (and its -wal, -shm) aside for the technician; returns where it went."""
    aside = path.with_name(f"{path.name}{DAMAGED_SUFFIX}{now:%Y%m%d%H%M%S}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}{DAMAGED_SUFFIX}{now:%Y%m%d%H%M%S}.{n}")
        n += 1
    for suffix in ("", *SQLITE_SIDE_FILES):
        source = Path(str(path) + suffix)
        if source.exists() or source.is_symlink():
            os.replace(source, Path(str(aside) + suffix))
    return aside


def restore_from_copy(
    path: Path, copy: Path, watermark: Watermark, clock: Callable[[], dt.datetime] = dt.datetime.now
) -> tuple[bool, str]:
    """Put a good copy back in the journal's place. Returns (restored, one sentence for the log and the
    technician). Nothing is touched unless the copy passes integrity, schema and watermark checks."""
    verdict = inspect_file(copy, full=True, watermark=watermark)
    if not verdict.ok:
        return False, f"the second copy cannot replace it: {verdict.detail}"
    aside = set_aside(path, clock())
    log.warning("journal: the damaged journal was moved aside to %s", aside)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    os.close(fd)
    source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(str(path), isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()
    restored = inspect_file(path, full=True, watermark=watermark)
    if not restored.ok:
        return False, f"the copy was written back but does not check out: {restored.detail}"
    message = (
        f"the journal was restored from its second copy {copy} (events up to {restored.highest_sequence}); "
        f"the damaged file is kept at {aside}"
    )
    log.warning("journal: %s", message)
    return True, message
