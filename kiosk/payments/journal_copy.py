"""The journal's second copy, like an ATM's electronic journal on two media (issue 25 §2).

After every committed transaction of the journal (each state change of a payment) SQLite's online backup API
(``Connection.backup``) copies the whole journal to a second path (``[paths] journal_copy``; by default a sibling
of the state directory, ``<state dir>-copy/journal.sqlite3``; in a hall, a second device). It runs inside the
journal's lock, after the commit and before the outside action the new state leads to, so the copy is never
behind an action the kiosk has taken: at worst it lacks the last commit, which is exactly the state of a power cut
just before that commit, and recovery settles it the same way. Then the watermark is moved on (after a new
payment record), so the copy is never below the watermark either.

When the journal itself is damaged or has lost records, ``restore_from_copy`` checks the copy (integrity, schema,
the watermark), sets the damaged file aside beside it for the technician (``journal.sqlite3.damaged-<time>``, with
its -wal and -shm), writes the copy back to the journal's path with the backup API and logs both steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kiosk.payments.journal import describe
from kiosk.payments.journal_health import Watermark, inspect_file, sequence_of

log = logging.getLogger(__name__)

COPY_OFF = "off"
DAMAGED_SUFFIX = ".damaged-"
SQLITE_SIDE_FILES = ("-wal", "-shm")


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

    def refresh(self, source: sqlite3.Connection) -> None:
        """Copy the whole journal (one consistent snapshot) and make it durable. Raises OSError/sqlite3.Error."""
        source.backup(self._target())

    def _target(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA synchronous=FULL")
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class CommitKeeper:
    """The journal's mirror (``Journal.mirror``): after each commit the copy is refreshed, and after a new payment
    record the watermark moves on. A failure is reported once per streak through ``on_problem`` (the kiosk then
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
            problem = f"the journal's second copy or watermark cannot be written ({where}): {describe(error)}"
            if problem != self.failing:
                self.failing = problem
                self.on_problem(problem)
            return
        if self.failing is not None:
            self.failing = None
            self.on_problem(None)

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
