"""Receipt paper: how many receipts were printed since the technician last put in a new roll.

Counted from the journal (every payment receipt is a ``receipt_printed`` step) plus the technician's own test
prints; reprints from Query are not in the journal and so are not counted (a hook in ReceiptService would). The
refill time is kept in the state directory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.payments.journal import Journal, PaymentState


@dataclass(frozen=True)
class PaperLevel:
    used: int  # receipts since the refill
    roll: int  # receipts a roll holds
    warning_at: int  # warn when this many or fewer are left
    refilled_at: dt.datetime | None

    @property
    def left(self) -> int:
        return max(0, self.roll - self.used)

    @property
    def low(self) -> bool:
        return self.left <= self.warning_at


class PaperCounter:
    def __init__(
        self,
        path: Path,
        journal: Journal,
        roll: int,
        warning_at: int,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.path = path
        self.journal = journal
        self.roll = roll
        self.warning_at = warning_at
        self.clock = clock

    def _load(self) -> tuple[dt.datetime | None, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            refilled = data.get("refilled_at")
            return (dt.datetime.fromisoformat(refilled) if refilled else None), int(data.get("extra", 0))
        except (FileNotFoundError, ValueError, TypeError, AttributeError):
            return None, 0

    def _save(self, refilled_at: dt.datetime | None, extra: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = {"refilled_at": refilled_at.isoformat(timespec="seconds") if refilled_at else None, "extra": extra}
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, self.path)

    def level(self) -> PaperLevel:
        refilled_at, extra = self._load()
        since = refilled_at.isoformat(timespec="seconds") if refilled_at else ""
        printed = 0
        for entry in self.journal.entries():
            if refilled_at and entry.updated_at < refilled_at:
                continue
            printed += sum(
                1
                for at, state, _ in self.journal.events(entry.journal_no)
                if state is PaymentState.RECEIPT_PRINTED and at >= since
            )
        return PaperLevel(printed + extra, self.roll, self.warning_at, refilled_at)

    def add_test_print(self) -> None:
        refilled_at, extra = self._load()
        self._save(refilled_at, extra + 1)

    def refill(self) -> None:
        self._save(self.clock(), 0)
