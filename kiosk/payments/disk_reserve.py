"""Room on the journal's disk for a whole payment: below it the kiosk takes no new payment (issue 25 §1).

A payment writes six journal commits (created … done); in WAL mode each appends its pages to the -wal file, which
grows until a checkpoint lets SQLite reuse it, and the database file grows when the checkpoint copies them back.
A second copy of the journal (kiosk/payments/journal_copy.py, when configured on the same disk) grows with it.
docs/recovery.md ("A full disk") gives the measured figure and how it was measured; the default reserve is that
figure with a margin, so a payment that starts always has room to end.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.service_health import ProblemKind, ServiceHealth

log = logging.getLogger(__name__)

# Measured (tests/test_disk_reserve.py, docs/recovery.md): one QR and one card payment on a fresh journal grew the
# disk by at most 108 kB (journal and WAL) and 312 kB with the second copy on the same disk (its own WAL). About
# three times that leaves room for the receipt's audit lines, a grown index page and a copy refreshed twice.
MEASURED_PAYMENT_BYTES = 320 * 1024
DEFAULT_RESERVE_KB = 1024


@dataclass(frozen=True)
class ReserveReading:
    free_bytes: int
    needed_bytes: int

    @property
    def enough(self) -> bool:
        return self.free_bytes >= self.needed_bytes

    @property
    def detail(self) -> str:
        """For the technician (and ctx.health)."""
        return f"journal disk: {self.free_bytes // 1024} kB free, {self.needed_bytes // 1024} kB needed"


class ReserveTooLow(Exception):
    """Raised before a payment's first journal record: no money has moved."""

    def __init__(self, reading: ReserveReading) -> None:
        super().__init__(reading.detail)
        self.reading = reading


class DiskReserve:
    """The free room on the disk of ``directory`` (the journal's) against ``needed_bytes``."""

    def __init__(
        self,
        directory: Path,
        needed_bytes: int,
        statvfs: Callable[[Path], os.statvfs_result] = os.statvfs,
    ) -> None:
        self.directory = directory
        self.needed_bytes = needed_bytes
        self._statvfs = statvfs

    @classmethod
    def for_journal(cls, journal_path: Path, reserve_kb: int = DEFAULT_RESERVE_KB) -> DiskReserve:
        return cls(Path(journal_path).parent, reserve_kb * 1024)

    def reading(self) -> ReserveReading:
        try:
            stats = self._statvfs(self.directory)
        except OSError as error:  # the directory gone or unreadable: no room we can count on
            log.warning("journal disk cannot be measured (%s): %s", self.directory, error)
            return ReserveReading(0, self.needed_bytes)
        # f_bavail: what an unprivileged writer may use; the kiosk should not live on root's reserved blocks.
        return ReserveReading(stats.f_bavail * stats.f_frsize, self.needed_bytes)

    def require(self) -> None:
        """Before a payment's first journal record: raises ReserveTooLow (with a technician warning) when short."""
        reading = self.reading()
        if not reading.enough:
            log.warning("TECHNICIAN: no payment taken, %s", reading.detail)
            raise ReserveTooLow(reading)

    def recheck(self, health: ServiceHealth) -> ReserveReading:
        """The idle pass: out of service below the reserve, back in service when room is back."""
        reading = self.reading()
        if reading.enough:
            health.clear(ProblemKind.DISK_RESERVE)
        else:
            health.report(ProblemKind.DISK_RESERVE, reading.detail)
        return reading
