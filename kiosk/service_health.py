"""Whether the kiosk may serve citizens: the problems that put it out of service, in one place.

Each problem has a kind (why), a detail for the technician (maintenance mode, `kiosk doctor`, the log; never
personal data) and when it was first seen. A kiosk with any problem takes no money and shows Home's out-of-service
panel in words; the problem goes when the part that reported it finds it healthy again (``clear``). Reports come
from any thread (start-up, the idle recovery pass, a payment's journal write); listeners are called on the
reporting thread, so a screen that listens re-reads ``problems()`` on its own thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class ProblemKind(StrEnum):
    """Why the kiosk is out of service. The citizen's sentence for each is chosen by the screen."""

    STATE_DIR = "state_dir"  # the state directory cannot be written
    DISK_RESERVE = "disk_reserve"  # the journal's disk has less room than one whole payment needs
    JOURNAL = "journal"  # the journal failed its integrity, schema or continuity checks
    RECOVERY = "recovery"  # unfinished payments could not be settled
    SIGNING_KEY = "signing_key"  # a demo or placeholder key in a real (non-simulated) kiosk
    CLIENT_CERTIFICATE = "client_certificate"  # the terminal's certificate for the fee system is missing or bad


@dataclass(frozen=True)
class ServiceProblem:
    kind: ProblemKind
    detail: str
    since: dt.datetime


class ServiceHealth:
    """The kiosk's current out-of-service problems, at most one per kind."""

    def __init__(self, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._problems: dict[ProblemKind, ServiceProblem] = {}
        self._listeners: list[Callable[[], None]] = []

    def report(self, kind: ProblemKind, detail: str) -> None:
        with self._lock:
            known = self._problems.get(kind)
            if known is not None and known.detail == detail:
                return
            since = known.since if known is not None else self._clock()
            self._problems[kind] = ServiceProblem(kind, detail, since)
        log.error("out of service (%s): %s", kind.value, detail)
        self._notify()

    def clear(self, kind: ProblemKind) -> None:
        with self._lock:
            if self._problems.pop(kind, None) is None:
                return
        log.warning("back in service for %s", kind.value)
        self._notify()

    def problems(self) -> list[ServiceProblem]:
        with self._lock:
            return sorted(self._problems.values(), key=lambda problem: problem.since)

    def has(self, kind: ProblemKind) -> bool:
        with self._lock:
            return kind in self._problems

    def in_service(self) -> bool:
        with self._lock:
            return not self._problems

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # a listener's failure must not stop the report
                log.exception("service health listener failed")
