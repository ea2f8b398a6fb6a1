"""The card payment's state machine without widgets: one test per path, the clock moved by hand.

The runner holds each blocking job until the test answers it, so a test decides what the devices, the bank and
the fee system say, and when. The same paths run on the real devices in tests/test_gui_card.py and the scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from drivers.bankcard.errors import BankCardError, bankcard_error
from drivers.base import Completion
from drivers.pcsc.errors import NO_CARD
from drivers.pinpad.errors import PinEntryCanceled, PinPadError
from kiosk.card_checkout import CardAttempt
from kiosk.card_checkout_machine import CardCheckoutMachine, CardDelays, CardFinish, CardPhase, CardView, Ending
from kiosk.checkout import PaymentOutcome
from kiosk.feesystem.api import QrOrderState
from kiosk.session import Session
from machine_fixtures import Clock, HandRunner

CARD = object()  # the card's data: the machine only hands it on
PIN_BLOCK = b"\x01" * 8


@dataclass
class FakeCheckout:
    """What the machine asks of kiosk.card_checkout.CardCheckout; the test's runner answers the blocking calls."""

    available: bool = True
    card_in_slot: bool = False
    pin_cancels: int = 0
    keys: list[str] = field(default_factory=list)

    def device_problem(self):  # pragma: no cover - answered by the runner
        raise AssertionError

    def card_present(self):  # pragma: no cover
        raise AssertionError

    def read_card_and_prepare(self):  # pragma: no cover
        raise AssertionError

    def read_pin(self, card, on_key):
        for key in self.keys:
            on_key(key)
        return PIN_BLOCK

    def pay(self, quote, payer, card, pin_block, parties):  # pragma: no cover
        raise AssertionError

    def cancel_pin(self) -> None:
        self.pin_cancels += 1


@dataclass
class Quote:
    id_number: str = "370103197003224422"
    amount_fen: int = 80000


@dataclass
class Rig:
    machine: CardCheckoutMachine
    checkout: FakeCheckout
    runner: HandRunner
    clock: Clock
    session: Session
    views: list[CardView]
    finishes: list[CardFinish]

    @property
    def view(self) -> CardView:
        return self.views[-1]

    def to_card(self) -> None:
        self.machine.start(self.session)
        self.runner.answer("device_problem", None)
        assert self.machine.phase is CardPhase.CARD

    def to_pin(self) -> None:
        self.to_card()
        self.clock.now += CardDelays().card_poll_seconds
        self.machine.tick()
        self.runner.answer("card_present", True)
        self.runner.answer("read_card_and_prepare", CARD)
        assert self.machine.phase is CardPhase.PIN


@pytest.fixture
def rig(monkeypatch) -> Rig:
    monkeypatch.setattr("kiosk.card_checkout_machine.session_parties", lambda session: "parties")
    checkout, runner, clock = FakeCheckout(), HandRunner(), Clock()
    views: list[CardView] = []
    finishes: list[CardFinish] = []
    machine = CardCheckoutMachine(
        checkout, runner, on_view=views.append, on_finished=finishes.append, clock=clock, delays=CardDelays()
    )
    session = Session()
    session.quote = Quote()
    return Rig(machine, checkout, runner, clock, session, views, finishes)


def paid_outcome() -> PaymentOutcome:
    return PaymentOutcome(QrOrderState.PAID, None, record="record")


def test_approved_payment_ends_with_the_outcome_and_the_card_noted_in_the_slot(rig: Rig) -> None:
    rig.to_pin()
    assert rig.view.pin_digits == 0 and rig.view.cancel_enabled
    rig.runner.answer("<lambda>", PIN_BLOCK)
    assert rig.machine.phase is CardPhase.PROCESSING and rig.view.busy and not rig.view.cancel_enabled
    rig.runner.answer("<lambda>", CardAttempt(paid_outcome()))
    assert rig.finishes == [CardFinish(Ending.PAYMENT, paid_outcome())]
    assert rig.session.payment == paid_outcome() and rig.session.record == "record"
    assert rig.checkout.card_in_slot  # the result screen asks for the card back
    assert rig.checkout.pin_cancels == 0


def test_no_card_payment_on_this_kiosk_ends_at_once_without_asking_a_device(rig: Rig) -> None:
    rig.checkout.available = False
    rig.machine.start(rig.session)
    assert rig.finishes[0].ending is Ending.UNAVAILABLE and rig.runner.jobs == []


def test_a_pin_pad_that_cannot_take_a_pin_is_found_before_the_card_is_asked_for(rig: Rig) -> None:
    rig.machine.start(rig.session)
    assert rig.machine.phase is CardPhase.CHECKING and rig.view.busy
    rig.runner.answer("device_problem", ("pad", "The PIN pad is out of service."))
    assert rig.finishes == [
        CardFinish(Ending.DEVICE, PaymentOutcome(QrOrderState.CLOSED, None), "The PIN pad is out of service.")
    ]
    rig.machine.tick()
    assert rig.runner.jobs == []  # the slot is never asked


def test_the_slot_is_asked_once_per_poll_delay(rig: Rig) -> None:
    rig.to_card()
    assert not rig.view.busy  # the citizen acts now: no progress bar
    rig.machine.tick()
    assert rig.runner.jobs == []  # not at once: a card pulled a moment ago still shows in pcscd
    rig.clock.now += CardDelays().card_poll_seconds
    rig.machine.tick()
    rig.machine.tick()  # a poll is on its way: not a second one
    assert rig.runner.names() == ["card_present"]
    rig.runner.answer("card_present", False)
    rig.clock.now += CardDelays().card_poll_seconds / 2
    rig.machine.tick()
    assert rig.runner.jobs == []
    rig.clock.now += CardDelays().card_poll_seconds / 2
    rig.machine.tick()
    assert rig.runner.names() == ["card_present"]


def test_pad_keys_show_stars_never_more_than_six_and_clear_empties_them(rig: Rig) -> None:
    rig.to_pin()
    for _ in range(8):
        rig.machine.pad_key("*")
    assert rig.view.pin_digits == 6
    rig.machine.pad_key("clear")
    assert rig.view.pin_digits == 0


def test_wrong_pin_asks_again_with_words_and_the_slot_still_watched(rig: Rig) -> None:
    rig.to_pin()
    rig.runner.answer("<lambda>", PIN_BLOCK)
    rig.runner.answer("<lambda>", CardAttempt(PaymentOutcome(QrOrderState.CLOSED, None), pin_wrong=True))
    assert rig.machine.phase is CardPhase.PIN and rig.view.wrong_pin and rig.view.pin_digits == 0
    assert rig.view.cancel_enabled and rig.finishes == []
    rig.machine.tick()
    assert "card_present" in rig.runner.names()


def test_card_pulled_during_the_pin_ends_without_money_and_takes_the_pad_out_of_pin_entry(rig: Rig) -> None:
    rig.to_pin()
    rig.clock.now += 1
    rig.machine.tick()
    rig.runner.answer("card_present", False)
    assert rig.finishes[0].ending is Ending.CARD_REMOVED
    assert rig.checkout.pin_cancels == 1 and not rig.checkout.card_in_slot
    canceled = PinEntryCanceled("canceled", Completion.CANCELED, "cancel() called")
    rig.runner.fail("<lambda>", canceled)  # the pad's answer to our cancel: no second ending
    assert len(rig.finishes) == 1


def test_countdown_while_waiting_for_the_card_ends_it(rig: Rig) -> None:
    rig.to_card()
    assert rig.machine.countdown_expired()
    assert rig.finishes[0].ending is Ending.TIMEOUT


def test_countdown_while_the_bank_is_asked_interrupts_nothing(rig: Rig) -> None:
    rig.to_pin()
    rig.runner.answer("<lambda>", PIN_BLOCK)
    assert rig.machine.countdown_expired()
    assert rig.finishes == [] and rig.machine.phase is CardPhase.PROCESSING


def test_cancel_during_the_pin_ends_and_cancels_the_pad(rig: Rig) -> None:
    rig.to_pin()
    rig.machine.cancel()
    assert rig.finishes[0].ending is Ending.CANCELLED and rig.checkout.pin_cancels == 1


def test_a_failure_after_the_bank_may_have_answered_promises_nothing(rig: Rig) -> None:
    rig.to_pin()
    rig.runner.answer("<lambda>", PIN_BLOCK)
    rig.runner.fail("<lambda>", RuntimeError("journal disk full"))
    assert rig.finishes[0].ending is Ending.UNCERTAIN


def test_a_device_failing_while_the_card_is_read_says_its_own_words(rig: Rig) -> None:
    rig.to_card()
    rig.clock.now += CardDelays().card_poll_seconds
    rig.machine.tick()
    rig.runner.answer("card_present", True)
    error = PinPadError("no_answer", Completion.TIMEOUT, "no ACK", "The PIN pad is not answering.")
    rig.runner.fail("read_card_and_prepare", error)
    assert rig.finishes[0].ending is Ending.DEVICE
    assert rig.finishes[0].device_message == "The PIN pad is not answering."


def test_pin_keys_reach_the_machine_through_the_sink(rig: Rig) -> None:
    rig.checkout.keys = ["*", "*", "*"]
    rig.to_pin()
    rig.runner.run("<lambda>")  # read_pin reports three keys, then the PIN block
    assert rig.machine.phase is CardPhase.PROCESSING


def test_leaving_during_the_pin_cancels_the_pad_and_ends_nothing(rig: Rig) -> None:
    rig.to_pin()
    rig.machine.leave()
    assert rig.checkout.pin_cancels == 1 and rig.finishes == [] and rig.machine.phase is CardPhase.IDLE
    rig.machine.forget()
    assert rig.machine.card is None and not rig.checkout.card_in_slot


def no_card() -> BankCardError:
    return bankcard_error(NO_CARD, "SCardConnect(Virtual PCD 00 01): No smart card inserted.")


def test_a_card_seen_but_not_yet_answering_is_waited_for_and_then_read(rig: Rig) -> None:
    """pcscd reports a card going in a moment before it can be connected: the read says "no card"."""
    rig.to_card()
    rig.clock.now += CardDelays().card_poll_seconds
    rig.machine.tick()
    rig.runner.answer("card_present", True)
    rig.runner.fail("read_card_and_prepare", no_card())
    assert rig.machine.phase is CardPhase.CARD and rig.finishes == [] and not rig.checkout.card_in_slot
    rig.machine.tick()
    assert rig.runner.jobs == []  # the next poll waits its delay
    rig.clock.now += CardDelays().card_poll_seconds
    rig.machine.tick()
    rig.runner.answer("card_present", True)
    rig.runner.answer("read_card_and_prepare", CARD)
    assert rig.machine.phase is CardPhase.PIN


def test_a_card_that_never_answers_ends_the_payment_in_words(rig: Rig) -> None:
    rig.to_card()
    for _ in range(CardDelays().card_settle_retries + 1):
        rig.clock.now += CardDelays().card_poll_seconds
        rig.machine.tick()
        rig.runner.answer("card_present", True)
        rig.runner.fail("read_card_and_prepare", no_card())
    assert rig.finishes[0].ending is Ending.DEVICE
    assert rig.finishes[0].device_message == no_card().citizen_message
