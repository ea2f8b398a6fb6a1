"""Paying by bank card as a state machine: a phase enum, named delays, an injected clock, every transition logged.

The screen (screens/card_pay.py) draws the machine's ``CardView`` and forwards what happens to it: a tap on
cancel, the countdown running out, a key the PIN pad reported, the timer's tick. The blocking calls (devices, the
bank, the fee system) go through ``run``, the application's worker threads in the kiosk and a hand-driven runner in
the tests (tests/test_card_checkout_machine.py), so every path is tested without widgets by moving the clock.

    IDLE → CHECKING (PIN pad and reader asked) → CARD (waiting for it) → READING (card read, sign-on) → PIN
         → PROCESSING (bank, fee system, receipt) → DONE;  a wrong PIN goes back to PIN, every ending to DONE.

Model: votingworks/vxsuite's scanner state machines (named delays, injected clock, transitions logged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from drivers.bankcard import BankCardData
from drivers.base import DeviceError
from drivers.pcsc.errors import NO_CARD
from kiosk.card_checkout import CardAttempt, CardCheckout, PinEntryCanceled
from kiosk.checkout import MSG_NOT_RECORDED_NOTHING_TAKEN, PaymentOutcome
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.journal import JournalWriteError
from kiosk.payments.write_failures import problem_of
from kiosk.receipts import session_parties
from kiosk.service_health import ProblemKind
from kiosk.session import Session

log = logging.getLogger(__name__)

PIN_DIGITS = 6  # what the stars show; the pad itself enforces the length (card_checkout.PIN_LENGTH)

Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


class CardPhase(StrEnum):
    IDLE = "idle"
    CHECKING = "checking"
    CARD = "card"
    READING = "reading"
    PIN = "pin"
    PROCESSING = "processing"
    DONE = "done"


class Prompt(StrEnum):
    """What the citizen is asked to do or wait for; the screen puts it in words."""

    NONE = "none"
    GETTING_READY = "getting_ready"
    INSERT_CARD = "insert_card"
    READING = "reading"
    ENTER_PIN = "enter_pin"
    PROCESSING = "processing"


class Ending(StrEnum):
    """Why the payment ended; every one but PAYMENT says no money was taken, in the screen's words."""

    PAYMENT = "payment"  # the bank and the fee system answered: the outcome says what became of the money
    NOT_RECORDED = "not_recorded"  # the journal could not be written before the bank was asked: outcome's words
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"  # no card payment on this kiosk (no bank, reader or pad configured)
    CARD_REMOVED = "card_removed"
    DEVICE = "device"  # a device failed before the bank was asked: its own words in ``device_message``
    UNCERTAIN = "uncertain"  # broke after the bank may have answered: promise nothing, the journal knows
    FAILED = "failed"


@dataclass(frozen=True)
class CardDelays:
    """Every wait of the card payment, named."""

    card_poll_seconds: float = 0.5  # how often the slot is asked for a card (waiting for it, and during the PIN)
    # A card seen in the slot may not answer yet (still going in; pcscd reports it a moment before it can be
    # connected): "no card" on the read is waited out this many times before the payment ends.
    card_settle_retries: int = 3
    deadline_seconds: float = 120.0  # the screen's countdown while the card or the PIN is awaited
    tick_seconds: float = 0.1  # how often the screen's timer calls tick()


@dataclass(frozen=True)
class CardView:
    phase: CardPhase = CardPhase.IDLE
    prompt: Prompt = Prompt.NONE
    busy: bool = False
    pin_digits: int | None = None  # stars to show while the PIN is asked (None: no PIN line)
    wrong_pin: bool = False  # "wrong PIN, enter it again" under the prompt
    cancel_enabled: bool = True


@dataclass(frozen=True)
class CardFinish:
    ending: Ending
    outcome: PaymentOutcome
    device_message: str | None = None  # a "DeviceMessage" source text, for Ending.DEVICE


class CardCheckoutMachine:
    """One card payment at a time. All methods but the runner's work run on one thread (the GUI's)."""

    def __init__(
        self,
        checkout: CardCheckout,
        run: Runner,
        *,
        on_view: Callable[[CardView], None],
        on_finished: Callable[[CardFinish], None],
        pad_key_sink: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        delays: CardDelays = CardDelays(),
        on_problem: Callable[[ProblemKind, str], None] | None = None,
    ) -> None:
        self.checkout = checkout
        # A payment the journal could not record puts the kiosk out of service (ctx.health.report): no new money.
        self.on_problem = on_problem
        self.run = run
        self.on_view = on_view
        self.on_finished = on_finished
        # The pad reports keys on the worker thread that reads the PIN: the screen hands them back to its own
        # thread (a queued signal) and then to pad_key(). Without a sink they go to pad_key() directly.
        self.pad_key_sink = pad_key_sink or self.pad_key
        self.clock = clock
        self.delays = delays
        self.view = CardView()
        self.session: Session | None = None
        self.card: BankCardData | None = None  # the card's data (PAN for the PIN block), kept only for this payment
        self._polling = False
        self._next_poll = 0.0
        self._settle_retries = 0

    @property
    def phase(self) -> CardPhase:
        return self.view.phase

    # -- what the screen forwards ----------------------------------------------------------------------------

    def start(self, session: Session) -> None:
        self.session, self.card, self._polling, self._settle_retries = session, None, False, 0
        self.checkout.card_in_slot = False
        self._show(CardView())
        if not self.checkout.available:
            self._end(Ending.UNAVAILABLE)
            return
        # A dead PIN pad or card reader is found before the citizen gives up the card, not with it in the slot.
        self._show(CardView(CardPhase.CHECKING, Prompt.GETTING_READY, busy=True))
        self.run(self.checkout.device_problem, self._devices_checked, self._failed)

    def tick(self) -> None:
        """Called by the screen's timer: asks the slot for the card when a poll is due."""
        if self.phase not in (CardPhase.CARD, CardPhase.PIN) or self._polling or self.clock() < self._next_poll:
            return
        self._polling = True
        self._next_poll = self.clock() + self.delays.card_poll_seconds
        self.run(self.checkout.card_present, self._card_polled, self._card_poll_failed)

    def pad_key(self, key: str) -> None:
        """A key the pad reported during PIN entry: "*" for a digit (never the digit), "clear", ..."""
        if self.phase is not CardPhase.PIN or self.view.pin_digits is None:
            return
        digits = min(self.view.pin_digits + 1, PIN_DIGITS) if key == "*" else 0 if key == "clear" else None
        if digits is not None:
            self._show(replace(self.view, pin_digits=digits))

    def cancel(self) -> None:
        self._end(Ending.CANCELLED)

    def countdown_expired(self) -> bool:
        """The screen's countdown ran out: waiting for the card or the PIN ends; a bank call is never cut."""
        if self.phase in (CardPhase.CARD, CardPhase.PIN):
            self._end(Ending.TIMEOUT)
        return True

    def leave(self) -> None:
        """The screen is left: the pad leaves PIN entry. The card stays noted as in the slot (the result screen asks
        for it back) until forget()."""
        if self.phase is CardPhase.PIN:
            self.checkout.cancel_pin()
        self._show(CardView())

    def forget(self) -> None:
        """The session ends: the card's data goes."""
        self.card = None
        self.checkout.card_in_slot = False

    # -- the runner's answers --------------------------------------------------------------------------------

    def _devices_checked(self, problem: tuple[str, str] | None) -> None:
        if self.phase is not CardPhase.CHECKING:
            return  # cancelled or left meanwhile
        if problem:
            self._end(Ending.DEVICE, device_message=problem[1])
            return
        # Now the citizen acts: no progress bar, which would say "wait". The first look into the slot comes one poll
        # delay later, as the screen's timer did before the machine: pcscd reports a card pulled a moment ago as
        # still there, and a look at once read the last citizen's card (it answered "no card").
        self._next_poll = self.clock() + self.delays.card_poll_seconds
        self._show(CardView(CardPhase.CARD, Prompt.INSERT_CARD))

    def _card_poll_failed(self, error: Exception) -> None:
        self._polling = False
        if self.phase in (CardPhase.CARD, CardPhase.PIN):
            self._failed(error)

    def _card_polled(self, present: bool) -> None:
        self._polling = False
        if self.phase is CardPhase.CARD and present:
            self.checkout.card_in_slot = True
            self._show(CardView(CardPhase.READING, Prompt.READING, busy=True))
            self.run(self.checkout.read_card_and_prepare, self._card_read, self._read_failed)
        elif self.phase is CardPhase.PIN and not present:
            self.checkout.card_in_slot = False
            self._end(Ending.CARD_REMOVED)

    def _read_failed(self, error: Exception) -> None:
        """A card that was there a moment ago but does not answer yet: wait for it again, a few times."""
        settling = isinstance(error, DeviceError) and error.code == NO_CARD
        if self.phase is CardPhase.READING and settling and self._settle_retries < self.delays.card_settle_retries:
            self._settle_retries += 1
            log.info("CARD_NOT_SETTLED retry %d: %s", self._settle_retries, error)
            self.checkout.card_in_slot = False
            self._next_poll = self.clock() + self.delays.card_poll_seconds
            self._show(CardView(CardPhase.CARD, Prompt.INSERT_CARD))
            return
        self._failed(error)

    def _card_read(self, card: BankCardData) -> None:
        if self.phase is not CardPhase.READING:
            return
        self.card = card
        self._ask_pin(wrong_pin=False)

    def _ask_pin(self, *, wrong_pin: bool) -> None:
        self._show(CardView(CardPhase.PIN, Prompt.ENTER_PIN, pin_digits=0, wrong_pin=wrong_pin))
        card, sink = self.card, self.pad_key_sink
        assert card is not None, "the PIN is asked after the card is read"
        self.run(lambda: self.checkout.read_pin(card, sink), self._pin_entered, self._failed)

    def _pin_entered(self, pin_block: bytes) -> None:
        if self.phase is not CardPhase.PIN or self.session is None:
            return
        self._show(CardView(CardPhase.PROCESSING, Prompt.PROCESSING, busy=True, cancel_enabled=False))
        session, card = self.session, self.card
        assert card is not None, "the PIN is entered after the card is read"
        quote = session.quote
        assert quote is not None, "a card payment needs the quote it pays"
        payer = session.person.id_number if session.person else quote.id_number
        parties = session_parties(session)
        self.run(lambda: self.checkout.pay(quote, payer, card, pin_block, parties), self._paid, self._failed)

    def _paid(self, attempt: CardAttempt) -> None:
        if self.phase is not CardPhase.PROCESSING:
            return
        if attempt.pin_wrong:
            self._next_poll = self.clock()
            self._ask_pin(wrong_pin=True)  # the bank counts the tries
            return
        self._end(Ending.PAYMENT, attempt.outcome)

    def _failed(self, error: Exception) -> None:
        if self.phase in (CardPhase.DONE, CardPhase.IDLE):
            return
        if isinstance(error, PinEntryCanceled) and self.phase is not CardPhase.PIN:
            return  # our own cancel: the ending is already on its way
        message = getattr(error, "citizen_message", None)
        if isinstance(error, JournalWriteError) and self.phase is not CardPhase.PROCESSING:
            # Sending stored reversals before the PIN could not journal them: this citizen's money never moved.
            outcome = PaymentOutcome(
                QrOrderState.CLOSED, None, message=MSG_NOT_RECORDED_NOTHING_TAKEN, problem=problem_of(error)
            )
            self._end(Ending.NOT_RECORDED, outcome)
        elif isinstance(error, DeviceError) and message:
            self._end(Ending.DEVICE, device_message=message)  # before the bank was asked: no money moved
        elif self.phase is CardPhase.PROCESSING:
            self._end(Ending.UNCERTAIN)
        else:
            self._end(Ending.FAILED)

    # -- transitions ----------------------------------------------------------------------------------------

    def _end(self, ending: Ending, outcome: PaymentOutcome | None = None, device_message: str | None = None) -> None:
        if self.phase is CardPhase.DONE:
            return
        if self.phase is CardPhase.PIN:
            # Whatever ended it (the reader gone, a countdown, a cancel), the pad must leave PIN entry now: left in
            # it, the next citizen's card payment would find the pad busy until its own 60 s timeout.
            self.checkout.cancel_pin()
        outcome = outcome or PaymentOutcome(QrOrderState.CLOSED, None)
        log.info("CARD_ENDED %s (journal %s)", ending.value, outcome.entry.journal_no if outcome.entry else "-")
        if outcome.problem is not None and self.on_problem is not None:
            self.on_problem(*outcome.problem)
        self._show(CardView(CardPhase.DONE, Prompt.NONE, cancel_enabled=False))
        if self.session is not None:
            self.session.payment = outcome
            self.session.record = outcome.record
        self.on_finished(CardFinish(ending, outcome, device_message))

    def _show(self, view: CardView) -> None:
        if view.phase is not self.view.phase:
            log.info("CARD_PHASE %s -> %s", self.view.phase.value, view.phase.value)
        self.view = view
        self.on_view(view)
