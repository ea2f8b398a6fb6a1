"""Paying a household basket by one QR code (issue 22) as a state machine: the single payment's phases, named
delays and view (kiosk/qr_checkout_machine.py), an injected clock, transitions logged.

The screen (screens/basket.py BasketQrScreen) draws the machine's ``QrView``, forwards a tap on cancel, the
countdown, its timer's tick and its leaving, and puts a ``BasketQrFinish`` in words. The blocking calls
(kiosk.payments.basket_payments.BasketPayments: open_qr, poll, cancel, settle_paid, receipt_result; the receipt)
go through ``run``. Money the channel took is always settled: a close that finds the order paid settles it, and so
does a session that ends while the order is open.

    IDLE → OPENING → WAITING (the code shown, the order polled) → SETTLING (paid: lines posted, receipt) → DONE
                         └──→ CLOSING (cancel, the code's time up) → DONE, or → SETTLING when paid meanwhile
    no room on the journal's disk, a failed open, close or settle → ERROR (the finish says what became of the money)
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.basket_receipt import print_basket_receipt
from kiosk.checkout_gate import disk_gate
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import BasketQuote, FeeSystemError, QrOrderState
from kiosk.payments.basket_journal import BasketEntry
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments, OpenedBasket
from kiosk.qr_checkout_machine import QrDelays, QrPhase, QrView, Runner
from kiosk.receipts import ReceiptService
from kiosk.service_health import ServiceHealth
from kiosk.session import Session

log = logging.getLogger(__name__)
DEFAULT_DELAYS = QrDelays()


class BasketEnding(StrEnum):
    """How the basket's payment ended; the screen says each in words (session.basket_outcome)."""

    PAID = "paid"  # the outcome: lines posted, lines refunded, the receipt printed or not
    NO_ROOM = "no_room"  # the journal's disk is short: nothing opened, no money taken
    NOT_OPENED = "not_opened"  # the order could not be opened: no money taken
    CANCELLED = "cancelled"  # closed unpaid (cancel, the code's time up): no money taken
    GIVEN_BACK = "given_back"  # paid only after the close: the channel gave it all back at once
    CLOSE_FAILED = "close_failed"  # the close itself failed: the fee system's words
    NOT_SETTLED = "not_settled"  # paid, but not recorded now: recovery finishes it ("recorded shortly")


@dataclass(frozen=True)
class BasketQrFinish:
    ending: BasketEnding
    outcome: BasketOutcome | None = None
    error: Exception | None = None


@dataclass
class _Attempt:
    """One basket payment; ``left`` is read by its background work (the session ended: nobody hears answers)."""

    payments: BasketPayments
    opened: OpenedBasket | None = None
    left: bool = False


def close_quietly(payments: BasketPayments, basket: BasketEntry) -> QrOrderState | None:
    """Close the order after the session ended; money that came meanwhile is settled (no receipt: nobody is
    there); a fee system that does not answer leaves it to recovery."""
    try:
        state = payments.cancel(basket)
        if state is QrOrderState.PAID:
            payments.settle_paid(basket)
        return state
    except FeeSystemError as error:
        log.warning("BASKET_QR_LEFT_TO_RECOVERY basket %s: %s", basket.basket_no, error)
        return None


class BasketQrMachine:
    """One basket payment at a time. All methods but the runner's work run on one thread (the GUI's)."""

    def __init__(
        self,
        payments: Callable[[], BasketPayments],
        receipts: ReceiptService,
        health: ServiceHealth,
        run: Runner,
        *,
        on_view: Callable[[QrView], None],
        on_finished: Callable[[BasketQrFinish], None],
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], dt.datetime] = dt.datetime.now,
        delays: QrDelays = DEFAULT_DELAYS,
    ) -> None:
        self.payments = payments  # made anew for each payment, on the kiosk's journal and fee system
        self.receipts = receipts
        self.health = health  # the disk gate reports a short disk: out of service
        self.run = run
        self.on_view = on_view
        self.on_finished = on_finished
        self.clock = clock  # polls and the code's deadline
        self.wall_clock = wall_clock  # the order's expires_at and the receipt's time
        self.delays = delays
        self.view = QrView()
        self.session: Session | None = None
        self.attempt: _Attempt | None = None
        self._polling = False
        self._next_poll = 0.0
        self._deadline = 0.0

    @property
    def phase(self) -> QrPhase:
        return self.view.phase

    # -- what the screen forwards ----------------------------------------------------------------------------

    def start(self, session: Session, method: PayMethod) -> None:
        self.session, self._polling = session, False
        session.basket_outcome = None
        attempt = self.attempt = _Attempt(self.payments())
        self._show(QrView(QrPhase.OPENING, busy=True, cancel_enabled=False))
        if not disk_gate(session, self.health, attempt.payments.reserve):
            self._end(QrPhase.ERROR, BasketQrFinish(BasketEnding.NO_ROOM))
            return
        quote: BasketQuote = session.basket_quote
        assert quote is not None, "a basket payment needs the basket's quote"

        def open_order() -> OpenedBasket:
            opened = attempt.payments.open_qr(quote, method)
            if attempt.left:  # the session ended while the order was being opened: nobody will scan it
                close_quietly(attempt.payments, opened.basket)
            return opened

        self.run(open_order, self._opened, self._open_failed)

    def tick(self) -> None:
        """Called by the screen's timer: closes the order when its time is up, else asks whether it was paid."""
        if self.phase is not QrPhase.WAITING or self.attempt is None or self.attempt.opened is None:
            return
        if self.clock() >= self._deadline:
            log.info("BASKET_QR_EXPIRED basket %s", self.attempt.opened.basket.basket_no)
            self._close()
            return
        if self._polling or self.clock() < self._next_poll:
            return
        self._polling, self._next_poll = True, self.clock() + self.delays.poll_seconds
        payments, basket = self.attempt.payments, self.attempt.opened.basket
        self.run(lambda: payments.poll(basket), self._polled, self._poll_failed)

    def cancel(self) -> None:
        self._close()

    def countdown_expired(self) -> bool:
        """The code's time is up: close the order; before the code is shown (or once it is ending) the usual
        "still there?" question (False)."""
        if self.phase is not QrPhase.WAITING:
            return False
        self._close()
        return True

    def leave(self) -> None:
        """Left without an outcome (the session ended): the order is closed in the background and money that came
        meanwhile settled; nothing comes back to the screen. Work already running (opening, closing) does the
        same when it ends."""
        attempt = self.attempt
        if attempt is not None:
            attempt.left = True
            if attempt.opened is not None and self.phase is QrPhase.WAITING:
                log.info("BASKET_QR_ABANDONED basket %s", attempt.opened.basket.basket_no)
                payments, basket = attempt.payments, attempt.opened.basket
                self.run(lambda: close_quietly(payments, basket), None, None)
        self.attempt = None
        self._show(QrView())

    # -- the runner's answers --------------------------------------------------------------------------------

    def _opened(self, opened: OpenedBasket) -> None:
        if self.phase is not QrPhase.OPENING or self.attempt is None:
            return
        self.attempt.opened = opened
        now = self.clock()
        # The code's time: the kiosk's own limit or the order's expiry, whichever comes first.
        left_on_order = (opened.order.expires_at - self.wall_clock()).total_seconds()
        self._deadline = now + min(self.delays.deadline_seconds, left_on_order)
        self._next_poll = now
        self._show(QrView(QrPhase.WAITING, opened.order.qr_payload))

    def _open_failed(self, error: Exception) -> None:
        if self.phase is not QrPhase.OPENING:
            return
        log.warning("BASKET_QR_NOT_OPENED: %s", error)
        self._end(QrPhase.ERROR, BasketQrFinish(BasketEnding.NOT_OPENED, error=error))

    def _poll_failed(self, _error: Exception) -> None:
        self._polling = False  # a missed poll is asked again on the next due tick

    def _polled(self, state: QrOrderState) -> None:
        self._polling = False
        if state is QrOrderState.PAID and self.phase is QrPhase.WAITING:
            self._settle()

    def _close(self) -> None:
        attempt = self.attempt
        if self.phase is not QrPhase.WAITING or attempt is None or attempt.opened is None:
            return  # not open yet, or closing, settling or done already: the outcome is on its way
        self._show(QrView(QrPhase.CLOSING, self.view.qr_payload, cancel_enabled=False))
        payments, basket = attempt.payments, attempt.opened.basket

        def close() -> QrOrderState:
            state = payments.cancel(basket)
            if state is QrOrderState.PAID and attempt.left:  # the session ended meanwhile: settle it here
                payments.settle_paid(basket)
            return state

        self.run(close, self._closed, self._close_failed)

    def _closed(self, state: QrOrderState) -> None:
        if self.phase is not QrPhase.CLOSING:
            return
        if state is QrOrderState.PAID:  # paid while it was being closed: the money is settled as any payment
            self._settle()
        elif state is QrOrderState.REFUNDED:  # the phone paid the closed order: not "nothing was taken"
            self._end(QrPhase.DONE, BasketQrFinish(BasketEnding.GIVEN_BACK))
        else:
            self._end(QrPhase.DONE, BasketQrFinish(BasketEnding.CANCELLED))

    def _close_failed(self, error: Exception) -> None:
        if self.phase is not QrPhase.CLOSING:
            return
        log.warning("BASKET_QR_CLOSE_FAILED: %s", error)
        self._end(QrPhase.ERROR, BasketQrFinish(BasketEnding.CLOSE_FAILED, error=error))

    def _settle(self) -> None:
        attempt, session = self.attempt, self.session
        assert attempt is not None and attempt.opened is not None and session is not None
        self._show(QrView(QrPhase.SETTLING, self.view.qr_payload, busy=True, cancel_enabled=False))
        payments, basket = attempt.payments, attempt.opened.basket
        payer_name = session.person.name if session.person else ""
        names = {item.quote.id_number: item.name for item in session.basket.items}
        can_print = bool(getattr(session.printer, "can_print", False))

        def settle_and_print() -> BasketOutcome:
            outcome = payments.settle_paid(basket)
            return print_basket_receipt(
                self.receipts, payments, outcome, payer_name, names, self.wall_clock(), can_print=can_print
            )

        self.run(settle_and_print, self._settled, self._settle_failed)

    def _settled(self, outcome: BasketOutcome) -> None:
        if self.phase is not QrPhase.SETTLING:
            return
        log.info("BASKET_QR_SETTLED basket %s: %d fen", outcome.basket.basket_no, outcome.paid_fen)
        if self.session is not None:
            self.session.basket_outcome = outcome
        self._end(QrPhase.DONE, BasketQrFinish(BasketEnding.PAID, outcome))

    def _settle_failed(self, error: Exception) -> None:
        if self.phase is not QrPhase.SETTLING:
            return
        log.error("BASKET_QR_NOT_SETTLED now (recovery finishes it): %s", error)
        self._end(QrPhase.ERROR, BasketQrFinish(BasketEnding.NOT_SETTLED, error=error))

    def _end(self, phase: QrPhase, finish: BasketQrFinish) -> None:
        self.attempt = None
        self._show(QrView(phase, cancel_enabled=False, error=finish.error))
        self.on_finished(finish)

    def _show(self, view: QrView) -> None:
        if view.phase is not self.view.phase:
            log.info("BASKET_QR_PHASE %s -> %s", self.view.phase.value, view.phase.value)
        self.view = view
        self.on_view(view)
