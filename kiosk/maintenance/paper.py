"""Receipt paper: how many receipts were printed since the technician last put in a new roll.

Payment receipts are counted from the journal (each is a ``receipt_printed`` step, so they count even before
anybody listens); every other cut — a reprint from Query (补打), a reconciliation slip, a test receipt — is counted
here as it happens: ``listen(receipts)`` hooks the counter to ReceiptService's cuts. The maintenance service
listens while it lives; the application should listen from start-up (``listen_for_paper``) so that reprints made
before the first maintenance visit count too. The refill time and the extra cuts are kept in the state directory.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.payments.journal import Journal, PaymentState
from kiosk.private_files import replace_file

PAPER_FILE = "receipt_paper.json"
JOURNAL_COUNTED = "payment"  # ReceiptService's kind of cut that the journal records already
_LOCK = threading.Lock()  # cuts are counted from worker threads: one read-modify-write at a time


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
        data = {"refilled_at": refilled_at.isoformat(timespec="seconds") if refilled_at else None, "extra": extra}
        replace_file(self.path, json.dumps(data))

    def level(self) -> PaperLevel:
        refilled_at, extra = self._load()
        # The receipt_printed events since the refill, counted over the events' state index: a roll's worth of rows.
        printed = self.journal.count_events(PaymentState.RECEIPT_PRINTED, refilled_at)
        return PaperLevel(printed + extra, self.roll, self.warning_at, refilled_at)

    def add_test_print(self) -> None:
        """A cut that did not go through ReceiptService (the device test's receipt)."""
        with _LOCK:
            refilled_at, extra = self._load()
            self._save(refilled_at, extra + 1)

    def count_cut(self, kind: str) -> None:
        """ReceiptService cut a receipt of ``kind``; payment receipts are the journal's to count."""
        if kind != JOURNAL_COUNTED:
            self.add_test_print()

    def listen(self, receipts: Any) -> None:
        """Count ``receipts``' (a ReceiptService) cuts; once per counter file, however often it is called."""
        for listener in receipts.cut_listeners:
            owner = getattr(listener, "__self__", None)
            if isinstance(owner, PaperCounter) and owner.path == self.path:
                return
        receipts.cut_listeners.append(self.count_cut)

    def refill(self) -> None:
        with _LOCK:
            self._save(self.clock(), 0)


def paper_counter(config: Any, journal: Journal, clock: Callable[[], dt.datetime] = dt.datetime.now) -> PaperCounter:
    section = config.section("maintenance")
    return PaperCounter(
        config.state_path(PAPER_FILE),
        journal,
        section["paper_roll_receipts"],
        section["paper_warning_receipts"],
        clock,
    )


def listen_for_paper(ctx: Any) -> PaperCounter:
    """At start-up (kiosk/application.py): every receipt the kiosk cuts from now on is counted."""
    counter = paper_counter(ctx.config, ctx.journal, ctx.clock)
    counter.listen(ctx.receipts)
    return counter
