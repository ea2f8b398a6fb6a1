"""A period paid twice (two quotes taken before either was paid: two kiosks, or a quote left open).

The fee system refuses the second posting (AlreadyPaid) and its QR money goes back through the channel; the kiosk
journals it refunded, says so to the citizen and prints no receipt; recovery settles a paid record whose posting is
refused the same way; reconciliation explains it.
"""

from __future__ import annotations

import datetime as dt
import types

import pytest

import kiosk.payments.card as card_module
from bank_fixtures import RICH, card_of
from kiosk.card_checkout import MSG_ALREADY_PAID_RETURNED, MSG_ALREADY_PAID_RETURNING, CardCheckout
from kiosk.checkout import MSG_ALREADY_PAID_REFUNDED, Checkout
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import AlreadyPaid, QrOrderState
from kiosk.flow import Step
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.payments.reconcile import reconcile_embedded
from kiosk.payments.recovery import Outcome, Recovery
from kiosk.receipts import ReceiptParties
from kiosk_driving import Driver
from recovery_fixtures import FEE_FILE, JOURNAL_FILE, NOW, RESIDENT, clock, open_fee_system

pytest_plugins = ["bank_fixtures"]

TERMINAL = "SD370102-ZZ01"
PARTIES = ReceiptParties(payer_name="李秀英", payer_id=RESIDENT)


class Printer:
    """Receipts counted, none printed: a refused payment must not reach the printer."""

    def __init__(self) -> None:
        self.printed: list[str] = []

    def print_for(self, record, parties, journal_no, now, reference):
        self.printed.append(journal_no)
        return None


@pytest.fixture
def books(tmp_path):
    """An on-disk journal and fee-system database (reconciliation reads the simulator's file)."""
    fee = open_fee_system(tmp_path)
    journal = Journal(tmp_path / JOURNAL_FILE, TERMINAL, clock=clock)
    yield tmp_path, journal, fee
    journal.close()
    fee.close()


def two_quotes(fee):
    return [fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02") for _ in range(2)]


def test_two_quotes_for_the_same_year_both_paid_the_second_ends_refunded(books):
    directory, journal, fee = books
    printer = Printer()
    checkout = Checkout(QrPayments(journal, fee), printer, clock)  # type: ignore[arg-type]
    first_quote, second_quote = two_quotes(fee)  # taken before either was paid
    first = checkout.open_qr(first_quote, PayMethod.ALIPAY, RESIDENT)
    second = checkout.open_qr(second_quote, PayMethod.WECHAT, RESIDENT)
    fee.simulate_qr_payment(first.order.order_no)
    fee.simulate_qr_payment(second.order.order_no)
    paid = checkout.finish_paid(first.entry, PARTIES)
    refused = checkout.finish_paid(second.entry, PARTIES)

    assert paid.state is QrOrderState.PAID and paid.entry.state is PaymentState.DONE
    assert refused.state is QrOrderState.REFUNDED and refused.record is None
    assert refused.message == MSG_ALREADY_PAID_REFUNDED and refused.entry.state is PaymentState.REFUNDED
    assert printer.printed == [first.entry.journal_no]  # no receipt for the money given back
    assert fee.qr_order_status(second.order.order_no).state is QrOrderState.REFUNDED
    [record] = fee.payment_records(RESIDENT, first_quote.period)
    assert record.idempotency_key == first.entry.idempotency_key
    notes = [note for _, state, note in journal.events(second.entry.journal_no) if state is PaymentState.REFUNDED]
    assert notes and "already_paid" in notes[0] and RESIDENT not in notes[0]

    report = reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date())
    assert report.ok, report.as_json()
    [difference] = report.differences
    assert (difference.kind, difference.explained) == ("refunded_refused_posting", True)
    assert difference.journal_no == second.entry.journal_no and difference.fee_system_payment_no is None
    wechat = report.totals["wechat"]
    assert (wechat.refunded_fen, wechat.channel_paid_fen, wechat.fee_system_fen) == (second_quote.amount_fen, 0, 0)
    assert Recovery(journal, fee, clock=clock).run().records == []  # nothing left to settle


def test_a_quote_already_paid_opens_no_order_and_closes_its_record(books):
    _, journal, fee = books
    first_quote, second_quote = two_quotes(fee)
    fee.post_payment("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)
    with pytest.raises(AlreadyPaid):
        QrPayments(journal, fee).open(second_quote, PayMethod.ALIPAY, RESIDENT)
    [entry] = journal.entries()
    assert entry.state is PaymentState.ORDER_CLOSED and entry.order_no is None and fee.open_qr_orders() == []


def test_recovery_drives_a_paid_record_whose_posting_is_refused_to_refunded(books):
    """A crash after `paid` was journaled; meanwhile another kiosk posted the year. Recovery posts with the same key,
    the fee system refuses and has the order refunded: refunded, not flagged with the money kept."""
    directory, journal, fee = books
    first_quote, second_quote = two_quotes(fee)
    payments = QrPayments(journal, fee)
    opened = payments.open(second_quote, PayMethod.ALIPAY, RESIDENT)
    status = fee.simulate_qr_payment(opened.order.order_no)
    journal.advance(opened.entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)  # then the crash
    fee.post_payment("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)

    report = Recovery(journal, fee, clock=clock).run()
    [record] = report.records
    assert (record.from_state, record.to_state, record.outcome) == ("paid", "refunded", Outcome.SETTLED)
    assert any("already_paid" in step or "post_payment" in step for step in record.steps)
    assert fee.qr_order_status(opened.order.order_no).state is QrOrderState.REFUNDED
    assert fee.find_payment(opened.entry.idempotency_key) is None
    assert Recovery(journal, fee, clock=clock).run().records == []  # a second pass has nothing to do
    report = reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date())
    assert report.ok and [d.kind for d in report.differences] == ["refunded_refused_posting"]


def test_recovery_closes_a_created_record_whose_period_was_paid_before_its_order_opened(books):
    """A crash after `created`, before the order was opened; meanwhile the year was paid elsewhere. Opening it again
    by key is refused (no order exists under that key): order_closed, nothing to pay, nothing flagged."""
    _, journal, fee = books
    first_quote, second_quote = two_quotes(fee)
    entry = journal.create(
        second_quote.item, RESIDENT, RESIDENT, second_quote.quote_id, second_quote.amount_fen, PayMethod.WECHAT
    )
    fee.post_payment("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)
    [record] = Recovery(journal, fee, clock=clock).run().records
    assert (record.to_state, record.outcome) == ("order_closed", Outcome.SETTLED)
    assert journal.get(entry.journal_no).order_no is None and fee.open_qr_orders() == []


def test_recovery_waits_for_a_refund_under_way_then_flags_it_when_overdue(books):
    """A platform that refunds later: paid with the posting refused, the order still paid. Recovery leaves it
    pending (not a technician's yet), and flags it once the refund is overdue (late-refund lookback)."""
    _, journal, fee = books
    first_quote, second_quote = two_quotes(fee)
    opened = QrPayments(journal, fee).open(second_quote, PayMethod.ALIPAY, RESIDENT)
    status = fee.simulate_qr_payment(opened.order.order_no)
    journal.advance(opened.entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)
    fee.post_payment("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)

    class RefundsLater:
        """The fee system, whose refusal leaves the order paid (the refund comes later)."""

        def __getattr__(self, name):
            return getattr(fee, name)

        def post_payment(self, key, *args):
            try:
                return fee.post_payment(key, *args)
            finally:  # what the platform has not done yet: undo the simulator's immediate refund
                with fee._transaction() as db:
                    db.execute("UPDATE qr_orders SET state = 'paid' WHERE idempotency_key = ?", (key,))

    [record] = Recovery(journal, RefundsLater(), clock=clock).run().records
    assert record.outcome == Outcome.PENDING and "refund is under way" in record.error
    later = Recovery(journal, RefundsLater(), clock=lambda: NOW + dt.timedelta(days=3)).run()
    assert later.records[0].outcome == Outcome.FLAGGED and "the channel says paid" in later.records[0].error


# --- bank card: the refusal is reversed ------------------------------------------------------------------------


@pytest.mark.parametrize("acknowledged", [True, False])
def test_a_card_payment_of_a_paid_period_is_reversed_with_the_right_words(
    acknowledged, journal, fee_system, bank_host, bank_client, pad_rig, monkeypatch
):
    first_quote, second_quote = two_quotes(fee_system)
    paid = fee_system.simulate_qr_payment(
        fee_system.open_qr_order("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.ALIPAY).order_no
    )  # the fee system posts only money its channel took
    fee_system.post_payment("kiosk-elsewhere-1", first_quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT)
    if not acknowledged:  # the reversal is stored but the host's answer never comes: sent again later
        monkeypatch.setattr(card_module, "_send_reversal", lambda journal, client, entry: (entry, None))
    devices = types.SimpleNamespace(bank=bank_client, bankcard=None, pinpad=None)
    checkout = CardCheckout(journal, fee_system, devices, Printer(), clock)  # type: ignore[arg-type]
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    attempt = checkout.pay(second_quote, RESIDENT, card_of(RICH), block, PARTIES)
    entry = attempt.outcome.entry
    assert attempt.outcome.state is QrOrderState.CLOSED and attempt.outcome.record is None
    if acknowledged:
        assert entry.state is PaymentState.REVERSED and attempt.outcome.message == MSG_ALREADY_PAID_RETURNED
        assert bank_host.balance(RICH.pan) == RICH.balance_fen
    else:
        assert entry.state is PaymentState.REVERSAL_PENDING and attempt.outcome.message == MSG_ALREADY_PAID_RETURNING
        assert "being returned" in attempt.outcome.message and "given your money back" not in attempt.outcome.message
    assert fee_system.find_payment(entry.idempotency_key) is None


# --- on screen ------------------------------------------------------------------------------------------------


@pytest.fixture
def driver(make_kiosk, qtbot):
    return Driver(make_kiosk(), qtbot)


def test_the_result_screen_says_the_money_went_back_and_prints_nothing(driver):
    driver.login_resident("resident")
    driver.to_resident_pension_grades("alipay")
    driver.tap("grade_G03")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    driver.wait_for_text("正在等待支付")
    # Meanwhile the same year is paid elsewhere (another kiosk took its quote before this order was opened).
    fee = driver.ctx.fee_system
    elsewhere = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    fee.post_payment("kiosk-other-kiosk-1", elsewhere.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("款项已退回")
    text = driver.screen_text()
    assert "该期间已缴费，本次缴费未入账" in text and "未扣取任何费用" in text
    assert "缴费成功" not in text and "小票" not in text
    [entry] = driver.ctx.journal.entries()
    assert entry.state is PaymentState.REFUNDED and entry.payment_no is None
    assert [r.idempotency_key for r in fee.payment_records(RESIDENT, elsewhere.period)] == ["kiosk-other-kiosk-1"]
    assert driver.printer.receipts == []
    driver.tap("finish")
    driver.wait_for(Step.HOME)
