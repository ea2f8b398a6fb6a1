"""A new version waits for an idle kiosk (issue 24, DESIGN.md §10): an upgrade never cuts a citizen off.

The package's postinst installs the new version beside the running kiosk and, when a kiosk holds its lock, writes
the new version into ``state_dir/update-pending`` instead of restarting it (packaging/debian/postinst). The running
kiosk polls ``UpdateGate.poll``; once it is idle — at Home, no one logged in, no unfinished journal record (a
reversal waiting to be sent is one), no recovery pass running, maintenance mode closed — and has stayed idle for
``SETTLE``, the verdict is RESTART and the application exits with its restart status (app/kiosk_app.py). A marker
naming the version already running is stale (the restart happened, or ``dpkg-reconfigure``) and is removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path

from kiosk.flow import Flow, Step
from kiosk.payments.journal import Journal, JournalError, describe
from kiosk.session import Session

log = logging.getLogger(__name__)

MARKER_NAME = "update-pending"  # postinst writes it under this name (packaging/debian/postinst)
DISTRIBUTION = "sifee-kiosk"
# Idle this long before restarting: a citizen who just finished, or one walking up, is not cut off mid-gesture.
SETTLE = dt.timedelta(seconds=30)
POLL_MS = 10_000


class Blocker(StrEnum):
    """Why a pending update waits (the technician sees these in maintenance mode and the log)."""

    SESSION = "a citizen is using the kiosk"
    UNFINISHED = "an unfinished payment record"
    JOURNAL = "the journal cannot be read"
    RECOVERY = "a recovery pass is running"
    MAINTENANCE = "maintenance mode is open"


class Verdict(StrEnum):
    NONE = "none"  # no update pending
    WAIT = "wait"
    RESTART = "restart"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    version: str | None = None  # the version waiting to run
    blockers: tuple[Blocker, ...] = ()


@functools.cache
def running_version() -> str:
    """This process's version, read once: postinst replaces the installed files under a running kiosk."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def marker_path(state_dir: Path) -> Path:
    return state_dir / MARKER_NAME


def pending_update(state_dir: Path, running: str | None = None) -> str | None:
    """The installed version waiting for a restart, or None (no marker, or it names the running version)."""
    try:
        version = marker_path(state_dir).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        log.warning("update marker %s unreadable: %s", marker_path(state_dir), error)
        return None
    if not version or version == (running or running_version()):
        return None
    return version


def discard_applied(state_dir: Path, running: str | None = None) -> None:
    """At start-up: a marker naming this version was applied by the restart that started us."""
    path = marker_path(state_dir)
    try:
        if path.read_text(encoding="utf-8").strip() == (running or running_version()):
            path.unlink()
            log.info("update to %s applied", running or running_version())
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError) as error:
        log.warning("update marker %s not cleared: %s", path, error)


def idle_blockers(
    flow: Flow, session: Session, journal: Journal, *, recovering: bool, maintenance: bool
) -> list[Blocker]:
    """What keeps the kiosk from restarting now, cheapest first: the journal is read only at an idle Home."""
    if maintenance:
        return [Blocker.MAINTENANCE]
    if flow.step is not Step.HOME or session.person is not None:
        return [Blocker.SESSION]
    if recovering:
        return [Blocker.RECOVERY]
    try:
        # A row this version cannot read is skipped here: the new version may be the one that reads it.
        unfinished = journal.unfinished()
    except (sqlite3.Error, JournalError, OSError) as error:
        log.warning("update waits: the journal cannot be read: %s", describe(error))
        return [Blocker.JOURNAL]
    return [Blocker.UNFINISHED] if unfinished else []


class UpdateGate:
    """Decides, poll by poll, whether the pending update may restart the kiosk now (clock injected)."""

    def __init__(
        self,
        state_dir: Path,
        clock: Callable[[], dt.datetime],
        running: str | None = None,
        settle: dt.timedelta = SETTLE,
    ) -> None:
        self.state_dir = state_dir
        self.clock = clock
        self.running = running or running_version()
        self.settle = settle
        self.idle_since: dt.datetime | None = None
        self.last = Decision(Verdict.NONE)

    def poll(self, blockers: Callable[[], Sequence[Blocker]]) -> Decision:
        """``blockers`` is asked only while an update is pending (it may read the journal)."""
        version = pending_update(self.state_dir, self.running)
        if version is None:
            self.idle_since = None
            return self._decided(Decision(Verdict.NONE))
        waiting = tuple(blockers())
        if waiting:
            self.idle_since = None
            return self._decided(Decision(Verdict.WAIT, version, waiting))
        now = self.clock()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.settle:
            return self._decided(Decision(Verdict.WAIT, version))
        return self._decided(Decision(Verdict.RESTART, version))

    def _decided(self, decision: Decision) -> Decision:
        if decision != self.last and decision.verdict is not Verdict.NONE:
            why = ", ".join(decision.blockers) or "idle, settling"
            log.info("update to %s (running %s): %s (%s)", decision.version, self.running, decision.verdict, why)
        self.last = decision
        return decision
