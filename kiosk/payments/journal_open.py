"""Opening the kiosk's journal at start-up (and for `kiosk recover`): known good and the same journal, or the kiosk
takes no money (issue 25 §2).

1. The state directory must be writable (else ProblemKind.STATE_DIR).
2. The file is inspected read-only (journal_health.inspect_file: header, page size, quick_check, schema
   version, tables, the watermark; integrity_check when the last full check failed: journal.check-failed). A
   damaged file, or one that has lost records, is replaced by the second copy when the copy checks out
   (journal_copy.restore_from_copy: the damaged file is kept aside, both steps logged).
3. A good file is opened for writing, with the per-payment guard (checks whose cost does not grow with the
   journal), the full check for the idle pass (integrity_check, kiosk/background.py) and the mirror (the copy
   refreshed after each commit, the watermark moved on after each new record).
4. Otherwise the journal is opened read-only when SQLite can still read it (maintenance exports what it can), or
   an empty stand-in in memory when it cannot; either refuses every new payment, and the problem is reported
   (ProblemKind.JOURNAL): Home shows out-of-service, the log and `kiosk doctor` say why. Nothing here raises.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.payments.journal import Journal, JournalError, describe
from kiosk.payments.journal_copy import CommitKeeper, JournalCopy, copy_path_for, restore_from_copy
from kiosk.payments.journal_health import (
    FileVerdict,
    FullCheck,
    PaymentGuard,
    Watermark,
    attach_full_check,
    failed_marker,
    inspect_file,
)
from kiosk.service_health import ProblemKind, ServiceHealth

log = logging.getLogger(__name__)

IN_MEMORY = ":memory:"


@dataclass
class OpenedJournal:
    journal: Journal
    problems: list[tuple[ProblemKind, str]] = field(default_factory=list)
    restored: str | None = None  # what the restore from the copy did (None: no restore)
    keeper: CommitKeeper | None = None
    state: str = "ok"  # ok | damaged | lost (journal_health.FileVerdict's, after any restore)

    @property
    def writable(self) -> bool:
        """Open for writing on its own file: recovery may run on it."""
        return not self.journal.read_only and str(self.journal.path) != IN_MEMORY

    @property
    def healthy(self) -> bool:
        return not self.problems

    def close(self) -> None:
        self.journal.close()  # and its mirror


def state_dir_problem(config: KioskConfig) -> str | None:
    state_dir = config.state_dir
    try:
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        return f"the state directory {state_dir} cannot be created: {describe(error)}"
    if not os.access(state_dir, os.W_OK | os.X_OK):
        return f"the state directory {state_dir} cannot be written by this user"
    return None


def open_kiosk_journal(
    config: KioskConfig,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    health: ServiceHealth | None = None,
    *,
    restore: bool = True,
) -> OpenedJournal:
    """The journal of ``config``, checked; problems are reported to ``health`` (when given) and returned."""
    opened = _open(config, clock, restore)
    for kind, detail in opened.problems:
        log.error("journal at start-up (%s): %s", kind.value, detail)
        if health is not None:
            health.report(kind, detail)
    if opened.keeper is not None and health is not None:
        _report_keeper_problems(opened, health)
        _report_guard_problems(opened.journal, health)
    return opened


def _open(config: KioskConfig, clock: Callable[[], dt.datetime], restore: bool) -> OpenedJournal:
    terminal = config["terminal.id"]
    problems: list[tuple[ProblemKind, str]] = []
    if (problem := state_dir_problem(config)) is not None:
        problems.append((ProblemKind.STATE_DIR, problem))
    path = config.state_path(config["paths.journal"])
    watermark = Watermark.beside(path)
    copy_path = copy_path_for(config["paths.journal_copy"], config.state_dir)
    # quick_check (2 s at 10^6 records; integrity_check takes 10 s): the idle pass runs integrity_check soon after.
    # A full check that failed before is run again in full, so that its damage is restored from the copy.
    full = failed_marker(path).exists()
    verdict = inspect_file(path, full=full, watermark=watermark)
    restored = copy_note = None
    if restore and copy_path is not None and _copy_should_replace(verdict, copy_path, watermark):
        try:
            done, message = restore_from_copy(path, copy_path, watermark, clock)
        except OSError as error:
            done, message = False, f"restoring the second copy failed: {describe(error)}"
        if done:
            restored = message
            verdict = inspect_file(path, full=full, watermark=watermark)
        else:
            copy_note = message
    if verdict.usable or verdict.state == "empty":
        if full:  # checked in full again (or restored): good now
            with contextlib.suppress(OSError):
                failed_marker(path).unlink()
        try:
            journal = Journal(path, terminal, clock=clock)
        except JournalError as error:
            problems.append((ProblemKind.JOURNAL, f"{error}; the kiosk takes no money until it is fixed"))
            state = "damaged"
        else:
            return _with_guard_and_mirror(OpenedJournal(journal, problems, restored), watermark, copy_path, clock)
    else:
        state = verdict.state
        note = f"; {copy_note}" if copy_note else ""
        problems.append((ProblemKind.JOURNAL, f"{verdict.detail}{note}; the kiosk takes no money until it is fixed"))
    journal = _read_only_or_stand_in(path, terminal, clock, problems[-1][1])
    return OpenedJournal(journal, problems, restored, state=state)


def _copy_should_replace(verdict: FileVerdict, copy_path: Path, watermark: Watermark) -> bool:
    """A damaged journal, or one that lost records; or none at all (a new disk) while the copy holds records."""
    if verdict.state in ("damaged", "lost"):
        return True
    if verdict.state in ("absent", "empty") and copy_path.exists():
        return inspect_file(copy_path, full=False, watermark=watermark).highest_sequence > 0
    return False


def _with_guard_and_mirror(
    opened: OpenedJournal, watermark: Watermark, copy_path: Path | None, clock: Callable[[], dt.datetime]
) -> OpenedJournal:
    journal = opened.journal
    copy = JournalCopy(copy_path) if copy_path is not None else None
    keeper = opened.keeper = CommitKeeper(watermark, copy, lambda problem: None, clock)
    full_check = FullCheck(journal.path, clock)
    attach_full_check(journal, full_check)
    journal.payment_guard = PaymentGuard(journal, watermark, full_check, lambda: keeper.failing)
    journal.mirror = keeper
    # Bring the copy up to date now (it may be missing, or older after a restore); a first start marks the water.
    newest = journal.execute_read("SELECT journal_no FROM payments ORDER BY rowid DESC LIMIT 1")
    journal.mirror_now(created=newest[0][0] if newest and watermark.read() is None else None)
    if opened.keeper.failing:
        opened.problems.append((ProblemKind.JOURNAL, opened.keeper.failing))
        journal.refusal = opened.keeper.failing
    return opened


def _report_keeper_problems(opened: OpenedJournal, health: ServiceHealth) -> None:
    """A copy or watermark that cannot be written puts the kiosk out of service until it can again."""
    journal = opened.journal
    assert opened.keeper is not None

    def on_problem(problem: str | None) -> None:
        if problem is None:
            journal.refusal = None
            health.clear(ProblemKind.JOURNAL)
        else:
            journal.refusal = problem
            health.report(ProblemKind.JOURNAL, problem)

    opened.keeper.on_problem = on_problem


def _report_guard_problems(journal: Journal, health: ServiceHealth) -> None:
    """A journal that fails its check before a payment takes no money and puts the kiosk out of service."""
    guard = journal.payment_guard
    if guard is None:
        return

    def reporting_guard() -> str | None:
        # A journal or recovery problem reported since (lost records, unreadable rows, a failed recovery) holds too.
        known = [p.detail for p in health.problems() if p.kind in (ProblemKind.JOURNAL, ProblemKind.RECOVERY)]
        if known:
            return known[0]
        problem = guard()
        if problem:
            health.report(ProblemKind.JOURNAL, problem)
        return problem

    journal.payment_guard = reporting_guard


def _read_only_or_stand_in(path: Path, terminal: str, clock: Callable[[], dt.datetime], reason: str) -> Journal:
    """What maintenance can still read: the damaged file read-only, or an empty stand-in."""
    try:
        journal = Journal(path, terminal, clock=clock, read_only=True)
        journal.entries()  # readable at all?
    except Exception as error:  # whatever SQLite makes of a damaged file: maintenance then has nothing to read
        log.error("journal: not even readable (%s): maintenance has nothing to export", describe(error))
        journal = Journal(IN_MEMORY, terminal, clock=clock)
    journal.refusal = reason
    return journal


def doctor_check(config: KioskConfig) -> tuple[str, str]:
    """`kiosk doctor`'s journal row: ("ok" | "warn" | "fail", what a technician needs to know). Reads only."""
    path = config.state_path(config["paths.journal"])
    watermark = Watermark.beside(path)
    verdict = inspect_file(path, full=True, watermark=watermark)
    copy_path = copy_path_for(config["paths.journal_copy"], config.state_dir)
    copy = inspect_file(copy_path, full=True, watermark=watermark) if copy_path is not None else None
    if verdict.state in ("damaged", "lost"):
        if copy is not None and copy.ok:
            remedy = f"a good second copy is at {copy_path}: a restart or `kiosk recover` restores it"
        else:
            remedy = "no good second copy (" + (copy.detail if copy else "none configured") + ")"
        return "fail", f"{verdict.detail}; the kiosk takes no money; {remedy}"
    if verdict.state in ("absent", "empty"):
        return "ok", f"{verdict.detail} (the kiosk creates it)"
    if copy is None:
        return "warn", f'{verdict.detail}; no second copy ([paths] journal_copy = "off")'
    if copy.state == "absent":
        return "warn", f"{verdict.detail}; the second copy {copy_path} is written at the next start"
    if not copy.ok or copy.highest_sequence < verdict.highest_sequence:
        what = copy.detail if not copy.ok else f"behind (events up to {copy.highest_sequence})"
        return "warn", f"{verdict.detail}; the second copy {copy_path} is {what}: rewritten at the next commit"
    return "ok", f"{verdict.detail}; second copy at {copy_path}"
