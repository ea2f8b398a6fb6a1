"""What /metrics reports that takes a device or a party to find out, asked in the background and kept.

A scrape must be quick and must not stand in line behind a receipt being printed or a PIN being entered, so the
devices' states (the one device contract, kiosk/maintenance/devices.py), the receipt paper counter and the day's
reconciliation are asked by this thread every ``poll_seconds`` (the reconciliation every ``reconcile_minutes``,
only while the kiosk is at Home) and the scrape reads the last answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.maintenance.devices import DeviceReport
from kiosk.maintenance.paper import PaperCounter
from kiosk.metrics.journal_figures import JournalFigures

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaperRoll:
    used: int  # receipts cut since the refill (payments from the journal, the rest counted by the paper file)
    roll: int
    warning_at: int


@dataclass(frozen=True)
class Reconciled:
    day: dt.date
    unexplained: int
    explained: int


@dataclass
class Polled:
    devices: list[DeviceReport] = field(default_factory=list)
    paper: PaperRoll | None = None
    reconciled: Reconciled | None = None
    reconcile_failures: int = 0  # fee system not answering, ...: the figure above is then old


class Poller:
    """Asks ``devices`` (a callable returning the device reports), the paper counter and ``reconcile`` in a
    daemon thread; ``latest`` is what a scrape reads."""

    def __init__(
        self,
        devices: Callable[[], list[DeviceReport]],
        paper: PaperCounter,
        figures: JournalFigures,
        reconcile: Callable[[], Reconciled] | None,
        may_reconcile: Callable[[], bool],
        poll_seconds: float,
        reconcile_seconds: float,
    ) -> None:
        self._devices = devices
        self._paper = paper
        self._figures = figures
        self._reconcile = reconcile
        self._may_reconcile = may_reconcile
        self.poll_seconds = poll_seconds
        self.reconcile_seconds = reconcile_seconds
        self.latest = Polled()
        self._stop = threading.Event()
        self._polled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="metrics-poller", daemon=True)
        self._next_reconcile = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def wait_polled(self, timeout: float) -> bool:
        """The first poll is done (tests; a scrape before it shows no devices yet)."""
        return self._polled.wait(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._polled.set()
            self._stop.wait(self.poll_seconds)

    def poll_once(self, now: float | None = None) -> None:
        polled = Polled(self.latest.devices, self.latest.paper, self.latest.reconciled, self.latest.reconcile_failures)
        try:
            polled.devices = self._devices()
        except Exception:  # one bad poll must not end the thread: the last states stay
            log.exception("metrics: device states")
        try:
            refilled_at, extra = self._paper._load()  # the paper file's own reader: refill time and other cuts
            used = self._figures.receipts_printed_since(refilled_at) + extra
            polled.paper = PaperRoll(used, self._paper.roll, self._paper.warning_at)
        except Exception:
            log.exception("metrics: receipt paper counter")
        moment = time.monotonic() if now is None else now
        due = self._reconcile is not None and self.reconcile_seconds > 0 and moment >= self._next_reconcile
        if due and self._may_reconcile():
            self._next_reconcile = moment + self.reconcile_seconds
            try:
                polled.reconciled = self._reconcile()  # type: ignore[misc]
            except Exception as error:
                polled.reconcile_failures += 1
                log.warning("metrics: reconciliation failed: %s", error)
        self.latest = polled
