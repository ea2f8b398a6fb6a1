"""A journal write that fails during a payment (a full disk, an I/O error): retried a few times, then told apart by
whether money may have moved (issue 25 §1).

- No money moved (the first record, the request never sent, an order never shown): the payment stops; the caller
  gets the JournalWriteError and says "no money was taken".
- Money moved or may have (card approved or unanswered, QR paid): the write is retried WRITE_ATTEMPTS times,
  WRITE_RETRY_SECONDS apart; once it succeeds the session reverses (card) or carries on. If it never does,
  ``MoneyNotRecorded`` says what became of the money, and the screen says a technician will settle it, with the
  journal number.
- The payment posted, a later write failed: a success for the citizen; the caller only reports the problem.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kiosk.payments.journal import JournalEntry, JournalWriteError
from kiosk.service_health import ProblemKind

log = logging.getLogger(__name__)

T = TypeVar("T")

WRITE_ATTEMPTS = 4  # the first try and three more
WRITE_RETRY_SECONDS = 0.5  # between tries: long enough for a log rotation or a finished download to free room


@dataclass(frozen=True)
class WriteRetry:
    """Try a journal write again after a JournalWriteError; the last error is raised when every try failed."""

    attempts: int = WRITE_ATTEMPTS
    delay_seconds: float = WRITE_RETRY_SECONDS
    sleep: Callable[[float], None] = time.sleep

    def __call__(self, write: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return write()
            except JournalWriteError as error:
                log.warning("journal write failed (try %d of %d): %s", attempt, self.attempts, error)
                if attempt == self.attempts:
                    raise
                self.sleep(self.delay_seconds)
        raise AssertionError("unreachable: attempts must be at least 1")


class MoneyNotRecorded(JournalWriteError):
    """Money moved (or may have) and the journal could not record what became of it, even after retries.

    ``returned``: the bank acknowledged a reversal (the citizen has the money back; the journal will say so after
    recovery). ``received``: the money is with the bureau's channel, to be recorded or returned when the journal can
    be written again. A technician settles the record (journal number in the message)."""

    def __init__(self, entry: JournalEntry, *, returned: bool = False, received: bool = False, cause: str = "") -> None:
        super().__init__(f"{entry.journal_no}: money not recorded ({cause})")
        self.entry = entry
        self.returned = returned
        self.received = received


def problem_of(error: BaseException) -> tuple[ProblemKind, str]:
    """What the kiosk reports for a failed journal write: a full disk is DISK_RESERVE (cleared when room is back);
    anything else is the journal's own trouble (JOURNAL)."""
    text = str(error.__cause__ or error)
    kind = ProblemKind.DISK_RESERVE if "full" in text.lower() else ProblemKind.JOURNAL
    return kind, f"journal write failed during a payment: {error}"
