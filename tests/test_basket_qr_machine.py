"""The basket's QR payment as a state machine without widgets (issue 22): one test per path, against the embedded
fee system and a journal on disk, the runner answered by hand and the clock moved by hand.

The same paths run through the kiosk's screens in tests/test_gui_basket.py and the household scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from drivers.base import Completion, DeviceError
from kiosk.basket_qr_machine import BasketEnding, BasketQrFinish, BasketQrMachine
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import Unavailable
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.journal import Journal, PaymentState
from kiosk.qr_checkout_machine import QrDelays, QrPhase, QrView
from kiosk.receipts import PrinterReadiness, ReceiptService
from kiosk.service_health import ProblemKind, ServiceHealth
from kiosk.session import Person, Session
from machine_fixtures import Clock, HandRunner
from printers.escpos.status import PrinterStatus
from test_basket_payments import PAYER, basket_of, household_quotes
from tests.conftest import NOW

POLL, DEADLINE = 0.2, 180.0


class Printer:
    """The receipt printer: keeps what it printed, or fails as one out of paper does."""

    def __init__(self) -> None:
        self.printed: list[bytes] = []
        self.error: DeviceError | None = None

    def print_receipt(self, data: bytes) -> PrinterStatus:
        if self.error is not None:
            raise self.error
        self.printed.append(data)
        return PrinterStatus(online=True, paper="full", cover_open=False)  # type: ignore[arg-type]


class Flaky:
    """The fee system, with the named calls failing as an unreachable one does."""

    def __init__(self, real, failing: set[str]) -> None:
        self.real, self.failing = real, failing

    def __getattr__(self, name: str):
        if name in self.failing:

            def unreachable(*_args, **_kwargs):
                raise Unavailable("down for the test")

            return unreachable
        return getattr(self.real, name)


@dataclass
class Rig:
    machine: BasketQrMachine
    runner: HandRunner
    clock: Clock
    session: Session
    fee_system: object
    journal: Journal
    printer: Printer
    health: ServiceHealth
    failing: set[str] = field(default_factory=set)
    views: list[QrView] = field(default_factory=list)
    finishes: list[BasketQrFinish] = field(default_factory=list)

    @property
    def finish(self) -> BasketQrFinish:
        [finish] = self.finishes
        return finish

    def open(self) -> str:
        """Start, open the order; the order's number."""
        self.machine.start(self.session, PayMethod.AGGREGATED)
        self.runner.run("open_order")
        assert self.machine.phase is QrPhase.WAITING and self.views[-1].qr_payload
        assert self.views[-1].cancel_enabled and not self.views[-1].busy
        [order] = self.fee_system.open_qr_orders()  # type: ignore[attr-defined]
        return order.order_no

    def poll(self) -> None:
        self.machine.tick()
        self.runner.run("<lambda>")

    def baskets(self):
        return BasketJournal(self.journal).created_on(NOW.date())


@pytest.fixture
def rig(fee_system, journal, clock, tmp_path: Path) -> Rig:
    failing: set[str] = set()
    flaky = Flaky(fee_system, failing)
    printer = Printer()
    receipts = ReceiptService(printer, "测试办税服务厅", "SD370102-ZZ01", "https://verify.example.invalid", 80)  # type: ignore[arg-type]
    health = ServiceHealth(clock)
    runner, hand_clock = HandRunner(), Clock()
    session = Session(person=Person(PAYER, "王志刚"), pay_method=PayMethod.AGGREGATED)
    quotes = household_quotes(fee_system, clock)
    for quote in quotes:
        session.basket.add(quote, "王志刚" if quote.id_number == PAYER else "刘芳")
    session.basket_quote = basket_of(fee_system, quotes)
    session.printer = PrinterReadiness(True)
    reserve = DiskReserve(tmp_path, 1024)
    rig = Rig(None, runner, hand_clock, session, fee_system, journal, printer, health, failing)  # type: ignore[arg-type]
    rig.machine = BasketQrMachine(
        lambda: BasketPayments(journal, flaky, reserve=reserve),  # type: ignore[arg-type]
        receipts,
        health,
        runner,
        on_view=rig.views.append,
        on_finished=rig.finishes.append,
        clock=hand_clock,
        wall_clock=clock,
        delays=QrDelays(poll_seconds=POLL, deadline_seconds=DEADLINE),
    )
    return rig


def journal_state(rig: Rig) -> PaymentState:
    [basket] = rig.baskets()
    return basket.state


def test_a_paid_basket_is_settled_with_one_receipt_and_the_outcome_goes_to_the_session(rig: Rig) -> None:
    order_no = rig.open()
    rig.poll()
    assert rig.machine.phase is QrPhase.WAITING and rig.finishes == []
    rig.clock.now += POLL
    rig.fee_system.simulate_qr_payment(order_no, "unionpay")  # type: ignore[attr-defined]
    rig.poll()
    assert rig.machine.phase is QrPhase.SETTLING and not rig.views[-1].cancel_enabled and rig.views[-1].busy
    rig.runner.run("settle_and_print")
    assert rig.finish.ending is BasketEnding.PAID and rig.machine.phase is QrPhase.DONE
    outcome = rig.session.basket_outcome
    assert isinstance(outcome, BasketOutcome) and outcome is rig.finish.outcome
    assert outcome.paid_fen == rig.session.basket_quote.total_fen and len(outcome.records) == 5
    assert len(rig.printer.printed) == 1 and journal_state(rig) is PaymentState.DONE
    assert rig.runner.jobs == []


def test_a_poll_not_due_asks_nothing(rig: Rig) -> None:
    rig.open()
    rig.poll()
    rig.machine.tick()
    assert rig.runner.jobs == []  # the next poll waits for its interval
    rig.clock.now += POLL
    rig.machine.tick()
    assert rig.runner.names() == ["<lambda>"]


def test_cancel_closes_the_order_and_nothing_is_taken(rig: Rig) -> None:
    rig.open()
    rig.machine.cancel()
    assert rig.machine.phase is QrPhase.CLOSING and not rig.views[-1].cancel_enabled
    rig.machine.cancel()  # a second tap while closing does nothing
    rig.runner.run("close")
    assert rig.finish.ending is BasketEnding.CANCELLED and rig.machine.phase is QrPhase.DONE
    assert rig.fee_system.open_qr_orders() == []  # type: ignore[attr-defined]
    assert journal_state(rig) is PaymentState.ORDER_CLOSED and rig.fee_system.payment_records(PAYER) == []  # type: ignore[attr-defined]


def test_paid_while_cancelling_is_settled(rig: Rig) -> None:
    order_no = rig.open()
    rig.machine.cancel()
    rig.fee_system.simulate_qr_payment(order_no, "alipay")  # type: ignore[attr-defined]
    rig.runner.run("close")  # the close finds the order paid
    assert rig.machine.phase is QrPhase.SETTLING
    rig.runner.run("settle_and_print")
    assert rig.finish.ending is BasketEnding.PAID and journal_state(rig) is PaymentState.DONE
    assert rig.session.basket_outcome.paid_fen == rig.session.basket_quote.total_fen


def test_paid_after_the_close_is_given_back_and_said_so(rig: Rig) -> None:
    order_no = rig.open()
    rig.machine.cancel()
    # Before the close's answer comes: the order closes, then the phone pays it and the channel gives it back.
    rig.fee_system.close_qr_order(order_no)  # type: ignore[attr-defined]
    rig.fee_system.simulate_qr_payment(order_no, "alipay")  # type: ignore[attr-defined]
    rig.runner.run("close")
    assert rig.finish.ending is BasketEnding.GIVEN_BACK and rig.machine.phase is QrPhase.DONE  # not "nothing taken"
    assert journal_state(rig) is PaymentState.REFUNDED and rig.fee_system.payment_records(PAYER) == []  # type: ignore[attr-defined]


def test_the_codes_time_up_closes_the_order(rig: Rig) -> None:
    assert rig.machine.countdown_expired() is False  # before the code is shown: the usual "still there?"
    rig.open()
    rig.clock.now += DEADLINE
    rig.machine.tick()
    assert rig.machine.phase is QrPhase.CLOSING and rig.runner.names() == ["close"]
    assert rig.machine.countdown_expired() is False  # closing already: the kiosk's countdown changes nothing
    rig.runner.run("close")
    assert rig.finish.ending is BasketEnding.CANCELLED and journal_state(rig) is PaymentState.ORDER_CLOSED


def test_the_kiosks_countdown_closes_the_order(rig: Rig) -> None:
    rig.open()
    assert rig.machine.countdown_expired() is True
    rig.runner.run("close")
    assert rig.finish.ending is BasketEnding.CANCELLED


def test_an_order_not_opened_takes_nothing(rig: Rig) -> None:
    rig.failing.add("open_basket_qr_order")
    rig.machine.start(rig.session, PayMethod.AGGREGATED)
    assert not rig.views[-1].cancel_enabled  # no code yet: nothing to cancel
    rig.runner.run("open_order")
    assert rig.finish.ending is BasketEnding.NOT_OPENED and isinstance(rig.finish.error, Unavailable)
    assert rig.machine.phase is QrPhase.ERROR and rig.fee_system.open_qr_orders() == []  # type: ignore[attr-defined]
    rig.machine.cancel()
    rig.machine.tick()
    assert rig.runner.jobs == [] and len(rig.finishes) == 1


def test_no_room_on_the_journals_disk_opens_nothing_and_puts_the_kiosk_out_of_service(rig: Rig, tmp_path) -> None:
    rig.machine.payments = lambda: BasketPayments(rig.journal, rig.fee_system, reserve=DiskReserve(tmp_path, 2**62))  # type: ignore[arg-type]
    rig.machine.start(rig.session, PayMethod.AGGREGATED)
    assert rig.finish.ending is BasketEnding.NO_ROOM and rig.runner.jobs == []
    assert rig.fee_system.open_qr_orders() == [] and rig.baskets() == []  # type: ignore[attr-defined]
    assert rig.health.has(ProblemKind.DISK_RESERVE) and not rig.health.in_service()


def test_a_settle_that_fails_says_recorded_shortly_and_leaves_it_to_recovery(rig: Rig) -> None:
    order_no = rig.open()
    rig.failing.add("post_basket_line")
    rig.fee_system.simulate_qr_payment(order_no, "wechat")  # type: ignore[attr-defined]
    rig.poll()
    rig.runner.run("settle_and_print")
    assert rig.finish.ending is BasketEnding.NOT_SETTLED and rig.machine.phase is QrPhase.ERROR
    assert journal_state(rig) is PaymentState.PAID  # the money is journaled: recovery posts the lines
    assert rig.printer.printed == []


def test_a_printer_out_of_paper_keeps_the_payment_and_the_receipt_is_owed(rig: Rig) -> None:
    order_no = rig.open()
    rig.printer.error = DeviceError("paper_out", Completion.NO_MEDIA, "no paper")
    rig.fee_system.simulate_qr_payment(order_no, "unionpay")  # type: ignore[attr-defined]
    rig.poll()
    rig.runner.run("settle_and_print")
    assert rig.finish.ending is BasketEnding.PAID
    outcome = rig.session.basket_outcome
    assert outcome.paid_fen == rig.session.basket_quote.total_fen and outcome.basket.receipt_error == "paper_out"
    assert journal_state(rig) is PaymentState.DONE and len(rig.fee_system.payment_records(PAYER)) == 2  # type: ignore[attr-defined]


def test_leaving_mid_wait_closes_the_order_and_settles_money_that_came_meanwhile(rig: Rig) -> None:
    order_no = rig.open()
    rig.fee_system.simulate_qr_payment(order_no, "unionpay")  # paid just as the session ends
    rig.machine.leave()
    assert rig.machine.phase is QrPhase.IDLE
    rig.runner.run("<lambda>")  # the quiet close finds it paid and settles it
    assert rig.finishes == [] and journal_state(rig) is PaymentState.POSTED
    assert len(rig.fee_system.payment_records(PAYER)) == 2  # type: ignore[attr-defined]


def test_leaving_while_the_order_opens_closes_it_once_open(rig: Rig) -> None:
    rig.machine.start(rig.session, PayMethod.AGGREGATED)
    rig.machine.leave()
    rig.runner.run("open_order")  # the answer comes to nobody: the work closed the order itself
    assert rig.finishes == [] and rig.machine.phase is QrPhase.IDLE
    assert rig.fee_system.open_qr_orders() == [] and journal_state(rig) is PaymentState.ORDER_CLOSED  # type: ignore[attr-defined]
