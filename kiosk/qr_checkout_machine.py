"""Paying by Alipay or WeChat Pay as a state machine: a phase enum, named delays, an injected clock, transitions logged.

The screen (screens/qr_pay.py) draws the machine's ``QrView`` and forwards a tap on cancel, the countdown and its
timer's tick; the blocking calls (kiosk.checkout.Checkout: open, poll, post and print, close) go through ``run``.
Leaving in any way (cancel, the countdown, a session end) closes the order; money that arrived meanwhile is still
posted and receipted (Checkout.abandon), so paid money is never left unposted.

    IDLE → OPENING → WAITING (the code shown, the order polled) → SETTLING (paid: posted, receipt) → DONE
                         └──→ CLOSING (cancel, countdown) → DONE;   a failed call → ERROR (cancel still works)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.checkout import Checkout, PaymentOutcome, write_failure_outcome
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.qr import OpenedQrPayment
from kiosk.receipts import ReceiptParties, session_parties
from kiosk.service_health import ProblemKind
from kiosk.session import Session

log = logging.getLogger(__name__)

Runner = Callable[[Callable[[], Any], Callable[[Any], None] | None, Callable[[Exception], None] | None], None]


class QrPhase(StrEnum):
    IDLE = "idle"
    OPENING = "opening"
    WAITING = "waiting"
    SETTLING = "settling"
    CLOSING = "closing"
    ERROR = "error"
    DONE = "done"


@dataclass(frozen=True)
class QrDelays:
    """Every wait of the QR payment, named; the kiosk takes the first two from [timeouts]."""

    poll_seconds: float = 0.2  # how often the order is asked whether it was paid (timeouts.qr_poll_seconds)
    deadline_seconds: float = 180.0  # the order's time on screen: then it is closed (timeouts.qr_payment_seconds)
    tick_seconds: float = 0.1  # how often the screen's timer calls tick()


@dataclass(frozen=True)
class QrView:
    phase: QrPhase = QrPhase.IDLE
    qr_payload: str | None = None  # the order's code, once it is open
    busy: bool = False
    cancel_enabled: bool = True
    error: Exception | None = None  # a failed call, for the screen to put in words (ERROR)


class QrCheckoutMachine:
    """One QR payment at a time. All methods but the runner's work run on one thread (the GUI's)."""

    def __init__(
        self,
        checkout: Checkout,
        run: Runner,
        *,
        on_view: Callable[[QrView], None],
        on_finished: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
        delays: QrDelays = QrDelays(),
        on_problem: Callable[[ProblemKind, str], None] | None = None,
    ) -> None:
        self.checkout = checkout
        # A payment the journal could not record puts the kiosk out of service (ctx.health.report): no new money.
        self.on_problem = on_problem
        self.run = run
        self.on_view = on_view
        self.on_finished = on_finished
        self.clock = clock
        self.delays = delays
        self.view = QrView()
        self.session: Session | None = None
        self.payment: OpenedQrPayment | None = None
        self._polling = False
        self._next_poll = 0.0

    @property
    def phase(self) -> QrPhase:
        return self.view.phase

    # -- what the screen forwards ----------------------------------------------------------------------------

    def start(self, session: Session, method: PayMethod) -> None:
        self.session, self.payment, self._polling = session, None, False
        quote = session.quote
        assert quote is not None, "a QR payment needs the quote it pays"
        payer = session.person.id_number if session.person else quote.id_number
        self._show(QrView(QrPhase.OPENING, busy=True))
        self.run(lambda: self.checkout.open_qr(quote, method, payer), self._opened, self._failed)

    def tick(self) -> None:
        """Called by the screen's timer: asks whether the order was paid when a poll is due."""
        if self.phase is not QrPhase.WAITING or self._polling or self.clock() < self._next_poll:
            return
        assert self.payment is not None
        self._polling = True
        self._next_poll = self.clock() + self.delays.poll_seconds
        entry = self.payment.entry
        self.run(lambda: self.checkout.poll(entry), self._polled, self._poll_failed)

    def cancel(self) -> None:
        self._close(timeout=False)

    def countdown_expired(self) -> bool:
        """The order's time is up: close it instead of asking "still there?"."""
        self._close(timeout=True)
        return True

    def leave(self) -> None:
        """Left without an outcome (the session ended): close the order in the background, post it if it was
        paid; nothing comes back to the screen."""
        if self.payment is not None and self.phase in (QrPhase.WAITING, QrPhase.ERROR, QrPhase.OPENING):
            entry, parties = self.payment.entry, self._parties()
            log.info("QR_ABANDONED journal %s", entry.journal_no)
            self.run(lambda: self.checkout.abandon(entry, parties), None, None)
        self.payment = None
        self._show(QrView())

    # -- the runner's answers --------------------------------------------------------------------------------

    def _opened(self, payment: OpenedQrPayment) -> None:
        if self.phase is not QrPhase.OPENING:
            return
        self.payment = payment
        if self.session is not None:
            self.session.payment = payment
        self._next_poll = self.clock()
        self._show(QrView(QrPhase.WAITING, payment.order.qr_payload, busy=True))

    def _poll_failed(self, _error: Exception) -> None:
        self._polling = False  # a missed poll is asked again on the next due tick

    def _polled(self, state: QrOrderState) -> None:
        self._polling = False
        if state is not QrOrderState.PAID or self.phase is not QrPhase.WAITING or self.payment is None:
            return
        self._show(QrView(QrPhase.SETTLING, self.view.qr_payload, busy=True, cancel_enabled=False))
        entry, parties = self.payment.entry, self._parties()
        self.run(lambda: self.checkout.finish_paid(entry, parties), self._done, self._failed)

    def _close(self, *, timeout: bool) -> None:
        if self.phase not in (QrPhase.OPENING, QrPhase.WAITING, QrPhase.ERROR):
            return  # closing, settling or done already: the outcome is on its way
        self._show(QrView(QrPhase.CLOSING, self.view.qr_payload, busy=True, cancel_enabled=False))
        session = self.session
        if self.payment is None:
            if session is not None:
                session.record = None
            self._finish()
            return
        if session is not None:
            session.receipt_error = "timeout" if timeout else "cancelled"
        entry, parties = self.payment.entry, self._parties()
        self.run(lambda: self.checkout.abandon(entry, parties), self._done, self._failed)

    def _done(self, outcome: PaymentOutcome) -> None:
        if self.phase not in (QrPhase.SETTLING, QrPhase.CLOSING):
            return
        self.payment = None
        if self.session is not None:
            self.session.payment = outcome
            self.session.record = outcome.record
        if outcome.problem is not None and self.on_problem is not None:
            self.on_problem(*outcome.problem)
        log.info("QR_ENDED %s (journal %s)", outcome.state.value, outcome.entry.journal_no if outcome.entry else "-")
        self._finish()

    def _failed(self, error: Exception) -> None:
        if self.phase in (QrPhase.DONE, QrPhase.IDLE):
            return
        outcome = write_failure_outcome(error) if self.phase is QrPhase.OPENING else None
        if outcome is not None:
            # No record or no order could be journaled: nothing was shown, nothing paid. Say so, not "fee system".
            log.warning("QR_NOT_RECORDED: %s", error)
            self._show(QrView(QrPhase.CLOSING, busy=True, cancel_enabled=False))
            self._done(outcome)
            return
        log.warning("QR_FAILED in %s: %s", self.phase.value, error)
        self._show(QrView(QrPhase.ERROR, self.view.qr_payload, error=error))

    def _parties(self) -> ReceiptParties:
        assert self.session is not None, "start() sets the session"
        return session_parties(self.session)

    def _finish(self) -> None:
        self._show(QrView(QrPhase.DONE, cancel_enabled=False))
        self.on_finished()

    def _show(self, view: QrView) -> None:
        if view.phase is not self.view.phase:
            log.info("QR_PHASE %s -> %s", self.view.phase.value, view.phase.value)
        self.view = view
        self.on_view(view)
