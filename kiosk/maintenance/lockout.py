"""Five failed sign-ins lock maintenance entry for fifteen minutes, persisted in the state directory so that a
restart does not reset it. One counter for the kiosk, whatever technician id was typed: guessing ids does not
buy more tries.

When the file cannot be written (a full disk, a read-only state directory) the count is kept in memory and the lock
still applies; it is written as soon as a write succeeds again. Only a restart on a disk that is still full forgets
the failures counted in memory since the last write."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.private_files import replace_file

log = logging.getLogger(__name__)


class Lockout:
    def __init__(
        self, path: Path, max_failures: int, minutes: float, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self.path = path
        self.max_failures = max_failures
        self.duration = dt.timedelta(minutes=minutes)
        self.clock = clock
        self._unsaved: tuple[int, dt.datetime | None] | None = None  # newer than the file: it could not be written

    @property
    def unsaved(self) -> bool:
        """The count lives in memory only: the last write failed."""
        return self._unsaved is not None

    def _load(self) -> tuple[int, dt.datetime | None]:
        if self._unsaved is not None:
            return self._unsaved
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            until = data.get("locked_until")
            return int(data.get("failures", 0)), dt.datetime.fromisoformat(until) if until else None
        except FileNotFoundError:
            return 0, None
        except (ValueError, TypeError, AttributeError):
            # A damaged file must not open the door: treat it as locked now.
            return self.max_failures, self.clock() + self.duration

    def _save(self, failures: int, until: dt.datetime | None) -> None:
        data = {"failures": failures, "locked_until": until.isoformat(timespec="seconds") if until else None}
        try:
            replace_file(self.path, json.dumps(data))
        except OSError as error:
            self._unsaved = (failures, until)
            log.warning("maintenance lock-out not written (%s): %d failures kept in memory", error, failures)
            return
        self._unsaved = None

    def locked_until(self) -> dt.datetime | None:
        """When entry opens again, or None when it is open now (an expired lock starts a fresh count)."""
        _, until = self._load()
        if until is None:
            return None
        if self.clock() >= until:
            self._save(0, None)
            return None
        return until

    @property
    def failures(self) -> int:
        return self._load()[0]

    def record_failure(self) -> dt.datetime | None:
        """Count a failure; returns the lock's end when this failure locked entry."""
        failures, _ = self._load()
        failures += 1
        if failures >= self.max_failures:
            until = self.clock() + self.duration
            self._save(failures, until)
            return until
        self._save(failures, None)
        return None

    def record_success(self) -> None:
        self._save(0, None)
