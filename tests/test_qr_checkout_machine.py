"""The QR payment's state machine without widgets: one test per path, the clock moved by hand.

The fake checkout answers as the fee system's QR channel would; the runner runs each job when the test says so.
The same paths run against the embedded fee system in tests/test_gui_thin_path.py and the QR scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kiosk.checkout import PaymentOutcome
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import QrOrderState, Unavailable
from kiosk.qr_checkout_machine import QrCheckoutMachine, QrDelays, QrPhase, QrView
from kiosk.session import Session
from machine_fixtures import Clock, HandRunner


@dataclass
class Entry:
    journal_no: str = "J0001"


@dataclass
class Order:
    qr_payload: str = "https://qr.example.invalid/pay/ORDER1"


@dataclass
class Opened:
    entry: Entry = field(default_factory=Entry)
    order: Order = field(default_factory=Order)


@dataclass
class Quote:
    id_number: str = "370103197003224422"


PAID = PaymentOutcome(QrOrderState.PAID, Entry(), record="record")  # type: ignore[arg-type]
CLOSED = PaymentOutcome(QrOrderState.CLOSED, Entry())  # type: ignore[arg-type]


@dataclass
class FakeCheckout:
    """kiosk.checkout.Checkout as the machine uses it; records what it was asked."""

    states: list[QrOrderState] = field(default_factory=list)  # what each poll answers, the last one repeated
    open_error: Exception | None = None
    calls: list[str] = field(default_factory=list)

    def open_qr(self, quote, method, payer):
        self.calls.append(f"open {method.value} {payer}")
        if self.open_error:
            raise self.open_error
        return Opened()

    def poll(self, entry):
        self.calls.append("poll")
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]

    def finish_paid(self, entry, parties):
        self.calls.append("finish_paid")
        return PAID

    def abandon(self, entry, parties):
        self.calls.append("abandon")
        return CLOSED


@dataclass
class Rig:
    machine: QrCheckoutMachine
    checkout: FakeCheckout
    runner: HandRunner
    clock: Clock
    session: Session
    views: list[QrView]
    finished: list[bool]

    @property
    def view(self) -> QrView:
        return self.views[-1]

    def open(self) -> None:
        self.machine.start(self.session, PayMethod.ALIPAY)
        self.runner.run_next()
        assert self.machine.phase is QrPhase.WAITING

    def poll(self) -> None:
        self.machine.tick()
        self.runner.run_next()


@pytest.fixture
def rig(monkeypatch) -> Rig:
    monkeypatch.setattr("kiosk.qr_checkout_machine.session_parties", lambda session: "parties")
    checkout, runner, clock = FakeCheckout(states=[QrOrderState.OPEN]), HandRunner(), Clock()
    views: list[QrView] = []
    finished: list[bool] = []
    machine = QrCheckoutMachine(
        checkout, runner, on_view=views.append, on_finished=lambda: finished.append(True), clock=clock,
        delays=QrDelays(poll_seconds=0.2),
    )
    session = Session()
    session.quote = Quote()
    return Rig(machine, checkout, runner, clock, session, views, finished)


def test_paid_order_is_posted_with_its_receipt_and_the_session_gets_the_record(rig: Rig) -> None:
    rig.open()
    assert rig.view.qr_payload == Order().qr_payload and rig.checkout.calls == ["open alipay 370103197003224422"]
    rig.checkout.states = [QrOrderState.PAID]
    rig.poll()
    assert rig.machine.phase is QrPhase.SETTLING and not rig.view.cancel_enabled
    rig.runner.run_next()
    assert rig.finished == [True] and rig.session.payment == PAID and rig.session.record == "record"
    assert rig.checkout.calls[-1] == "finish_paid"


def test_the_order_is_asked_once_per_poll_delay(rig: Rig) -> None:
    rig.open()
    rig.machine.tick()
    rig.machine.tick()  # the first poll is still on its way
    assert len(rig.runner.jobs) == 1
    rig.runner.run_next()
    rig.clock.now += 0.1
    rig.machine.tick()
    assert rig.runner.jobs == []
    rig.clock.now += 0.1
    rig.machine.tick()
    assert len(rig.runner.jobs) == 1


def test_cancel_closes_the_order_and_says_cancelled(rig: Rig) -> None:
    rig.open()
    rig.machine.cancel()
    assert rig.machine.phase is QrPhase.CLOSING and rig.session.receipt_error == "cancelled"
    rig.machine.tick()  # no poll while closing
    rig.runner.run_next()
    assert rig.checkout.calls[-1] == "abandon" and rig.finished == [True] and rig.session.payment == CLOSED


def test_countdown_closes_the_order_and_says_timeout(rig: Rig) -> None:
    rig.open()
    assert rig.machine.countdown_expired()
    rig.runner.run_next()
    assert rig.session.receipt_error == "timeout" and rig.checkout.calls[-1] == "abandon"


def test_cancel_before_the_order_opened_ends_without_asking_the_channel(rig: Rig) -> None:
    rig.machine.start(rig.session, PayMethod.WECHAT)
    rig.checkout.open_error = Unavailable("the fee system did not answer")
    rig.runner.run_next()
    assert rig.machine.phase is QrPhase.ERROR and rig.view.cancel_enabled and not rig.view.busy
    rig.machine.cancel()
    assert rig.finished == [True] and rig.session.record is None and rig.runner.jobs == []


def test_a_failed_poll_is_asked_again_and_ends_nothing(rig: Rig) -> None:
    rig.open()
    rig.machine.tick()
    rig.runner.fail("<lambda>", Unavailable("no answer"))
    assert rig.machine.phase is QrPhase.WAITING
    rig.clock.now += 0.2
    rig.poll()
    assert rig.checkout.calls.count("poll") == 1  # the failed one never reached the fake


def test_cancel_while_settling_is_ignored_the_money_is_posted(rig: Rig) -> None:
    rig.open()
    rig.checkout.states = [QrOrderState.PAID]
    rig.poll()
    rig.machine.cancel()
    assert rig.machine.countdown_expired()
    rig.runner.run_next()
    assert rig.checkout.calls.count("abandon") == 0 and rig.session.payment == PAID


def test_leaving_with_an_open_order_closes_it_in_the_background(rig: Rig) -> None:
    rig.open()
    rig.machine.leave()
    assert rig.machine.phase is QrPhase.IDLE
    rig.runner.run_next()
    assert rig.checkout.calls[-1] == "abandon" and rig.finished == []


def test_a_failure_while_posting_keeps_the_order_for_cancel_which_posts_it(rig: Rig) -> None:
    rig.open()
    rig.checkout.states = [QrOrderState.PAID]
    rig.poll()
    rig.runner.fail("<lambda>", Unavailable("the fee system did not answer"))
    assert rig.machine.phase is QrPhase.ERROR and rig.view.qr_payload == Order().qr_payload
    rig.machine.cancel()
    rig.runner.run_next()
    assert rig.checkout.calls[-1] == "abandon"  # Checkout.abandon posts an order found paid
    assert rig.finished == [True]
