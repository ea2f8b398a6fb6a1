"""A full disk during a payment (issue 25 §1): every journal write that fails ends in the truth on screen.

The journal lives on a real 1 MB tmpfs (the tests run as root). The disk is filled at the exact moment of the
issue's reproductions (the first record, the order just opened, the phone paid, the host approved, the payment
posted, the receipt printed) by the fee system, the bank or the printer the payment calls; "room back" is the
named retry delay freeing it. Recovery, once room is back, ends every record the session could not.
"""

from __future__ import annotations

import types

import pytest

from bank_fixtures import RICH, card_of
from disk_fixtures import TinyDisk
from kiosk.card_checkout import CardCheckout
from kiosk.checkout import (
    MSG_NO_ROOM,
    MSG_NOT_RECORDED_NOTHING_TAKEN,
    MSG_NOT_RECORDED_RECEIVED,
    MSG_NOT_RECORDED_RETURNED,
    Checkout,
)
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.card import send_pending_reversals
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.payments.recovery import Recovery
from kiosk.payments.write_failures import WriteRetry
from kiosk.qr_checkout_machine import QrCheckoutMachine, QrPhase
from kiosk.receipts import ReceiptParties
from kiosk.service_health import ProblemKind
from kiosk.session import Session
from machine_fixtures import Clock, HandRunner

pytest_plugins = ["bank_fixtures", "disk_fixtures"]

RESIDENT = "370103197003224422"
PARTIES = ReceiptParties(payer_name="王秀兰", payer_id=RESIDENT)
TERMINAL = "T-DISK"


class Printer:
    """Receipts that print; ``then`` runs after each (the disk filling up as the receipt comes out)."""

    def __init__(self, then=lambda: None) -> None:
        self.printed: list[str] = []
        self.then = then

    def print_for(self, record, parties, journal_no, now, reference):
        self.printed.append(journal_no)
        self.then()
        return None


class FillingFeeSystem:
    """The embedded fee system; the disk fills right after the named call answers."""

    def __init__(self, inner, disk: TinyDisk, after: str) -> None:
        self.inner, self.disk, self.after = inner, disk, after

    def __getattr__(self, name):
        call = getattr(self.inner, name)
        if name != self.after:
            return call

        def then_fill(*args, **kwargs):
            answer = call(*args, **kwargs)
            self.disk.fill()
            return answer

        return then_fill


@pytest.fixture
def journal(tiny_disk: TinyDisk, clock):
    journal = Journal(tiny_disk.path / "journal.sqlite3", TERMINAL, clock=clock)
    yield journal
    journal.close()


def quote(fee_system):
    return fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")


def no_room_back() -> WriteRetry:
    return WriteRetry(attempts=3, delay_seconds=0.0, sleep=lambda _s: None)


def room_back(disk: TinyDisk) -> WriteRetry:
    return WriteRetry(attempts=3, delay_seconds=0.5, sleep=lambda _s: disk.free())


def recover(journal, fee_system, bank=None) -> None:
    hook = (lambda j: send_pending_reversals(j, bank)) if bank is not None else None
    Recovery(journal, fee_system, clock=journal.clock, card_hook=hook).run()


class QrRig:
    def __init__(self, checkout: Checkout) -> None:
        self.runner = HandRunner()
        self.problems: list[tuple[ProblemKind, str]] = []
        self.finished = 0
        self.payloads: list[str | None] = []
        self.session = Session()
        self.machine = QrCheckoutMachine(
            checkout,
            self.runner,
            on_view=lambda view: self.payloads.append(view.qr_payload),
            on_finished=self._finished,
            clock=Clock(),
            on_problem=lambda kind, detail: self.problems.append((kind, detail)),
        )

    def _finished(self) -> None:
        self.finished += 1

    def start(self, fee_system) -> None:
        self.session.quote = quote(fee_system)
        self.machine.start(self.session, PayMethod.ALIPAY)
        self.runner.run_next()


# --- QR ---------------------------------------------------------------------------------------------------------


def test_qr_below_the_reserve_opens_no_order_and_says_no_money_was_taken(tiny_disk, journal, fee_system):
    tiny_disk.fill_to(96 * 1024)
    payments = QrPayments(journal, fee_system, reserve=DiskReserve.for_journal(journal.path, 512))
    rig = QrRig(Checkout(payments, Printer(), journal.clock))  # type: ignore[arg-type]
    rig.start(fee_system)

    assert rig.machine.phase is QrPhase.DONE and rig.finished == 1
    assert rig.session.payment.message == MSG_NO_ROOM and rig.session.payment.state is QrOrderState.CLOSED
    [(kind, detail)] = rig.problems
    assert kind is ProblemKind.DISK_RESERVE and "kB free, 512 kB needed" in detail
    assert journal.entries() == [] and fee_system.open_qr_orders() == []


def test_qr_first_record_not_written_says_no_money_was_taken_not_the_fee_system(tiny_disk, journal, fee_system):
    tiny_disk.fill()
    rig = QrRig(Checkout(QrPayments(journal, fee_system), Printer(), journal.clock))  # type: ignore[arg-type]
    rig.start(fee_system)

    assert rig.machine.phase is QrPhase.DONE  # not ERROR with the fee system's words
    assert rig.session.payment.message == MSG_NOT_RECORDED_NOTHING_TAKEN
    assert [kind for kind, _ in rig.problems] == [ProblemKind.DISK_RESERVE]
    assert journal.entries() == [] and fee_system.open_qr_orders() == []


def test_qr_order_whose_opening_is_not_journaled_is_closed_before_its_code_is_shown(tiny_disk, journal, fee_system):
    """The issue's 24–32 kB row: the record stayed ``created`` while the order was open, and was paid."""
    filling = FillingFeeSystem(fee_system, tiny_disk, after="open_qr_order")
    rig = QrRig(Checkout(QrPayments(journal, filling), Printer(), journal.clock))  # type: ignore[arg-type]
    rig.start(fee_system)

    assert rig.machine.phase is QrPhase.DONE and not any(rig.payloads)  # no code ever on screen
    assert rig.session.payment.message == MSG_NOT_RECORDED_NOTHING_TAKEN
    [entry] = journal.entries()
    assert entry.state is PaymentState.CREATED  # the disk is still full
    assert fee_system.open_qr_orders() == []  # closed: nobody can pay it
    tiny_disk.free()
    recover(journal, fee_system)
    assert journal.get(entry.journal_no).state is PaymentState.ORDER_CLOSED


def open_and_pay(journal, fee_system, retry: WriteRetry, printer: Printer | None = None):
    payments = QrPayments(journal, fee_system, retry=retry)
    checkout = Checkout(payments, printer or Printer(), journal.clock)  # type: ignore[arg-type]
    opened = checkout.open_qr(quote(fee_system), PayMethod.ALIPAY, RESIDENT)
    fee_system.simulate_qr_payment(opened.order.order_no)
    return checkout, opened


def test_qr_paid_when_the_disk_fills_is_posted_as_soon_as_a_write_succeeds_again(tiny_disk, journal, fee_system):
    checkout, opened = open_and_pay(journal, fee_system, room_back(tiny_disk))
    tiny_disk.fill()
    outcome = checkout.finish_paid(opened.entry, PARTIES)

    assert outcome.state is QrOrderState.PAID and outcome.record is not None and not outcome.needs_technician
    assert journal.get(opened.entry.journal_no).state is PaymentState.DONE
    assert fee_system.find_payment(opened.entry.idempotency_key) is not None


def test_qr_paid_and_never_journaled_tells_a_technician_with_the_journal_number(tiny_disk, journal, fee_system):
    checkout, opened = open_and_pay(journal, fee_system, no_room_back())
    tiny_disk.fill()
    outcome = checkout.finish_paid(opened.entry, PARTIES)

    assert outcome.needs_technician and outcome.message == MSG_NOT_RECORDED_RECEIVED
    assert outcome.entry.journal_no == opened.entry.journal_no and outcome.problem[0] is ProblemKind.DISK_RESERVE
    assert fee_system.find_payment(opened.entry.idempotency_key) is None  # never posted without ``paid`` first
    tiny_disk.free()
    recover(journal, fee_system)
    assert journal.get(opened.entry.journal_no).state is PaymentState.DONE
    assert fee_system.find_payment(opened.entry.idempotency_key) is not None


@pytest.mark.parametrize("fills_after", ["post_payment", "print"])
def test_qr_posted_whose_later_writes_fail_is_a_success_with_its_receipt(tiny_disk, journal, fee_system, fills_after):
    """The issue's 56–96 kB rows: the money was posted, and the screen must say so."""
    printer = Printer(then=tiny_disk.fill if fills_after == "print" else lambda: None)
    fee = FillingFeeSystem(fee_system, tiny_disk, after="post_payment") if fills_after == "post_payment" else fee_system
    checkout, opened = open_and_pay(journal, fee, no_room_back(), printer)
    outcome = checkout.finish_paid(opened.entry, PARTIES)

    assert outcome.state is QrOrderState.PAID and outcome.record is not None and outcome.receipt_error is None
    assert printer.printed == [opened.entry.journal_no] and not outcome.needs_technician
    assert outcome.problem is not None and outcome.problem[0] is ProblemKind.DISK_RESERVE
    tiny_disk.free()
    recover(journal, fee_system)
    assert journal.get(opened.entry.journal_no).state is PaymentState.DONE
    assert len(fee_system.payment_records(RESIDENT)) == 1


def test_qr_closed_but_not_journaled_says_no_money_was_taken(tiny_disk, journal, fee_system):
    payments = QrPayments(journal, fee_system)
    checkout = Checkout(payments, Printer(), journal.clock)  # type: ignore[arg-type]
    opened = checkout.open_qr(quote(fee_system), PayMethod.ALIPAY, RESIDENT)
    tiny_disk.fill()
    outcome = checkout.abandon(opened.entry, PARTIES)

    assert outcome.state is QrOrderState.CLOSED and outcome.problem is not None
    assert fee_system.qr_order_status(opened.order.order_no).state is QrOrderState.CLOSED
    tiny_disk.free()
    recover(journal, fee_system)
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_CLOSED


# --- bank card --------------------------------------------------------------------------------------------------


@pytest.fixture
def card_rig(journal, fee_system, bank_client, pad_rig):
    def make(retry: WriteRetry, fee=None, printer: Printer | None = None) -> CardCheckout:
        devices = types.SimpleNamespace(bank=bank_client, bankcard=None, pinpad=None)
        checkout = CardCheckout(journal, fee or fee_system, devices, printer or Printer(), journal.clock)  # type: ignore[arg-type]
        assert checkout.payments is not None
        checkout.payments.retry = retry
        return checkout

    return make


def fill_after_approval(monkeypatch, client, disk: TinyDisk) -> None:
    purchase = client.purchase

    def approved_then_full(*args, **kwargs):
        approval = purchase(*args, **kwargs)
        disk.fill()
        return approval

    monkeypatch.setattr(client, "purchase", approved_then_full)


def pay_by_card(checkout: CardCheckout, fee_system, pad_rig):
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    return checkout.pay(quote(fee_system), RESIDENT, card_of(RICH), block, PARTIES).outcome


def test_card_first_record_not_written_sends_nothing(tiny_disk, journal, fee_system, bank_host, card_rig, pad_rig):
    checkout = card_rig(no_room_back())
    tiny_disk.fill()
    outcome = pay_by_card(checkout, fee_system, pad_rig)

    assert outcome.message == MSG_NOT_RECORDED_NOTHING_TAKEN and outcome.problem is not None
    assert bank_host.ledger() == [] and bank_host.balance(RICH.pan) == RICH.balance_fen


def test_card_below_the_reserve_sends_nothing(tiny_disk, journal, fee_system, bank_host, card_rig, pad_rig):
    tiny_disk.fill_to(64 * 1024)
    checkout = card_rig(no_room_back())
    assert checkout.payments is not None
    checkout.payments.reserve = DiskReserve.for_journal(journal.path, 512)
    outcome = pay_by_card(checkout, fee_system, pad_rig)

    assert outcome.message == MSG_NO_ROOM and outcome.problem[0] is ProblemKind.DISK_RESERVE
    assert journal.entries() == [] and bank_host.ledger() == []


def test_card_approval_not_journaled_is_reversed_as_soon_as_a_write_succeeds(
    tiny_disk, journal, fee_system, bank_host, bank_client, card_rig, pad_rig, monkeypatch
):
    """The issue's 40–48 kB row: the record stayed ``auth_sent`` with the bank's approval unreversed."""
    fill_after_approval(monkeypatch, bank_client, tiny_disk)
    outcome = pay_by_card(card_rig(room_back(tiny_disk)), fee_system, pad_rig)

    assert outcome.state is QrOrderState.CLOSED and outcome.record is None
    assert journal.get(outcome.entry.journal_no).state is PaymentState.REVERSED
    assert bank_host.balance(RICH.pan) == RICH.balance_fen
    assert fee_system.find_payment(outcome.entry.idempotency_key) is None


def test_card_approval_never_journaled_is_reversed_all_the_same_and_said(
    tiny_disk, journal, fee_system, bank_host, bank_client, card_rig, pad_rig, monkeypatch
):
    fill_after_approval(monkeypatch, bank_client, tiny_disk)
    outcome = pay_by_card(card_rig(no_room_back()), fee_system, pad_rig)

    assert outcome.message == MSG_NOT_RECORDED_RETURNED and not outcome.needs_technician
    assert journal.get(outcome.entry.journal_no).state is PaymentState.AUTH_SENT  # the disk is still full
    assert bank_host.balance(RICH.pan) == RICH.balance_fen  # the money is back already
    tiny_disk.free()
    recover(journal, fee_system, bank_client)
    assert journal.get(outcome.entry.journal_no).state is PaymentState.REVERSED
    assert bank_host.balance(RICH.pan) == RICH.balance_fen


@pytest.mark.parametrize("fills_after", ["post_payment", "print"])
def test_card_posted_whose_later_writes_fail_is_a_success_with_its_receipt(
    tiny_disk, journal, fee_system, bank_host, card_rig, pad_rig, fills_after
):
    """The issue's 56–96 kB row: money taken and posted, receipt printed, yet "缴费未完成" on screen."""
    printer = Printer(then=tiny_disk.fill if fills_after == "print" else lambda: None)
    fee = FillingFeeSystem(fee_system, tiny_disk, after="post_payment") if fills_after == "post_payment" else None
    outcome = pay_by_card(card_rig(no_room_back(), fee, printer), fee_system, pad_rig)

    assert outcome.state is QrOrderState.PAID and outcome.record is not None and outcome.receipt_error is None
    assert printer.printed == [outcome.entry.journal_no] and outcome.problem is not None
    tiny_disk.free()
    recover(journal, fee_system)
    assert journal.get(outcome.entry.journal_no).state is PaymentState.DONE
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - outcome.record.amount_fen
    assert len(fee_system.payment_records(RESIDENT)) == 1


# --- on screen --------------------------------------------------------------------------------------------------


def test_on_screen_below_the_reserve_no_order_opens_and_home_goes_out_of_service(make_kiosk, qtbot):
    from kiosk.flow import Step
    from kiosk_driving import Driver

    driver = Driver(make_kiosk(), qtbot)
    reserve = driver.ctx.qr_payments.reserve
    assert reserve is not None and driver.ctx.health.in_service()
    driver.login_resident("resident")
    driver.to_resident_pension_grades("alipay")
    reserve.needed_bytes = 1 << 60  # the disk filled up while the citizen chose
    driver.tap("grade_G03")
    driver.tap("confirm_grade")
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("本机暂时无法收款")
    assert "未扣任何款项" in driver.screen_text() and "缴费系统" not in driver.screen_text()
    assert driver.ctx.journal.entries() == [] and driver.ctx.fee_system.open_qr_orders() == []
    assert driver.ctx.health.has(ProblemKind.DISK_RESERVE)
    driver.tap("finish")
    driver.wait_for(Step.HOME)
    driver.wait_for_text("暂停服务")
    reserve.needed_bytes = 1024  # room is back: the idle pass's recheck
    reserve.recheck(driver.ctx.health)
    assert driver.ctx.health.in_service()


def test_on_screen_a_payment_for_the_technician_shows_its_journal_number(make_kiosk, qtbot, journal, fee_system):
    from kiosk.checkout import PaymentOutcome
    from screens.result import ResultScreen

    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "Q-1", 80000, PayMethod.ALIPAY)
    outcome = PaymentOutcome(
        QrOrderState.PAID, entry, message=MSG_NOT_RECORDED_RECEIVED, needs_technician=True, problem=None
    )
    kiosk = make_kiosk()
    screen = ResultScreen(kiosk.ctx)
    qtbot.addWidget(screen)
    screen.show_outcome(outcome)
    assert screen.heading.text() == "本次缴费将由工作人员处理"
    assert "您的款项已收到" in screen.detail.text() and entry.journal_no in screen.receipt.text()
    assert "缴费成功" not in screen.heading.text() and "未完成" not in screen.heading.text()
