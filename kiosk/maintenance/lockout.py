"""Five failed sign-ins lock maintenance entry for fifteen minutes, persisted in the state directory so that a
restart does not reset it. One counter for the kiosk, whatever technician id was typed: guessing ids does not
buy more tries."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path


class Lockout:
    def __init__(
        self, path: Path, max_failures: int, minutes: float, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self.path = path
        self.max_failures = max_failures
        self.duration = dt.timedelta(minutes=minutes)
        self.clock = clock

    def _load(self) -> tuple[int, dt.datetime | None]:
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
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = {"failures": failures, "locked_until": until.isoformat(timespec="seconds") if until else None}
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

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
