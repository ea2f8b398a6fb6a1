"""Recovery, state by state: what it asks, what it journals, what it reports."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import NOW
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.journal import PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.payments.recovery import NOT_PRINTED, Outcome, Recovery
from recovery_fixtures import FaultyFeeSystem

RESIDENT = "370103197003224422"


@pytest.fixture
def quote(fee_system):
    return fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")


def recover(journal, fee_system, **kwargs):
    return Recovery(journal, fee_system, clock=lambda: NOW, **kwargs).run()


def created(journal, quote, method=PayMethod.ALIPAY):
    return journal.create(quote.item, quote.id_number, RESIDENT, quote.quote_id, quote.amount_fen, method)


def notes(journal, journal_no):
    return [note or "" for _, _, note in journal.events(journal_no)]


def test_created_without_order_opens_by_key_then_closes(journal, fee_system, quote):
    entry = created(journal, quote)
    report = recover(journal, fee_system)
    after = journal.get(entry.journal_no)
    assert after.state is PaymentState.ORDER_CLOSED and after.order_no
    assert fee_system.qr_order_status(after.order_no).state is QrOrderState.CLOSED
    assert [r.outcome for r in report.records] == [Outcome.SETTLED] and report.ok
    assert any("looked up by key" in note for note in notes(journal, entry.journal_no))


def test_created_with_order_reuses_the_same_order(journal, fee_system, quote):
    entry = created(journal, quote)
    order = fee_system.open_qr_order(entry.idempotency_key, quote.quote_id, PayMethod.ALIPAY)  # then the crash
    fee_system.simulate_qr_payment(order.order_no)  # the citizen paid the QR shown before the crash
    recover(journal, fee_system)
    after = journal.get(entry.journal_no)
    assert (after.state, after.order_no, after.receipt_error) == (PaymentState.DONE, order.order_no, NOT_PRINTED)
    assert len(fee_system.payment_records(RESIDENT)) == 1


def test_created_with_unknown_quote_closes_without_order(journal, fee_system):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "no-such-quote", 100, PayMethod.WECHAT)
    recover(journal, fee_system)
    assert journal.get(entry.journal_no).state is PaymentState.ORDER_CLOSED
    assert "quote is unknown" in notes(journal, entry.journal_no)[-1]


def test_order_opened_open_is_closed(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.WECHAT, RESIDENT)
    recover(journal, fee_system)
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_CLOSED
    assert fee_system.qr_order_status(opened.order.order_no).state is QrOrderState.CLOSED
    assert fee_system.payment_records(RESIDENT) == []


def test_order_opened_paid_is_posted_once(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    status = fee_system.simulate_qr_payment(opened.order.order_no)
    report = recover(journal, fee_system)
    after = journal.get(opened.entry.journal_no)
    assert after.state is PaymentState.DONE and after.channel_ref == status.channel_txn
    [record] = fee_system.payment_records(RESIDENT)
    assert after.payment_no == record.payment_no and record.amount_fen == quote.amount_fen
    states = [state for _, state, _ in journal.events(after.journal_no)]
    assert states[-3:] == [PaymentState.PAID, PaymentState.POSTED, PaymentState.DONE]
    assert report.records[0].steps[-1].startswith("-> done")


def test_order_opened_closed_or_refunded_by_the_channel(journal, fee_system, quote):
    payments = QrPayments(journal, fee_system)
    closed = payments.open(quote, PayMethod.WECHAT, RESIDENT)
    fee_system.close_qr_order(closed.order.order_no)  # closed, the journal not told (crash)
    refunded = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    fee_system.close_qr_order(refunded.order.order_no)
    fee_system.simulate_qr_payment(refunded.order.order_no)  # late: the channel refunds
    recover(journal, fee_system)
    assert journal.get(closed.entry.journal_no).state is PaymentState.ORDER_CLOSED
    assert journal.get(refunded.entry.journal_no).state is PaymentState.REFUNDED
    assert fee_system.payment_records(RESIDENT) == []


def test_paid_is_posted_with_the_same_key(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    status = fee_system.simulate_qr_payment(opened.order.order_no)
    journal.advance(opened.entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)
    recover(journal, fee_system)
    [record] = fee_system.payment_records(RESIDENT)
    assert record.idempotency_key == opened.entry.idempotency_key and record.channel_ref == status.channel_txn
    assert journal.get(opened.entry.journal_no).state is PaymentState.DONE


def test_paid_already_posted_before_the_crash_is_not_posted_again(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    status = fee_system.simulate_qr_payment(opened.order.order_no)
    entry = journal.advance(opened.entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)
    fee_system.post_payment(entry.idempotency_key, quote.quote_id, PayMethod.ALIPAY, status.channel_txn, RESIDENT)
    counting = FaultyFeeSystem(fee_system)
    recover(journal, counting)
    assert counting.calls == ["find_payment"]
    assert len(fee_system.payment_records(RESIDENT)) == 1


def test_paid_refused_by_the_fee_system_is_flagged(journal, fee_system):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "no-such-quote", 100, PayMethod.ALIPAY)
    journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no="ALI-X")
    journal.advance(entry.journal_no, PaymentState.PAID, channel_ref="TXN")
    report = recover(journal, fee_system)
    assert journal.get(entry.journal_no).state is PaymentState.FLAGGED
    [record] = report.records
    assert record.outcome == Outcome.FLAGGED and "refused to post" in record.error and report.ok


def test_order_unknown_to_the_channel_is_flagged(journal, fee_system, quote):
    entry = created(journal, quote)
    journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no="ALI-NOT-THERE")
    report = recover(journal, fee_system)
    assert journal.get(entry.journal_no).state is PaymentState.FLAGGED
    assert "does not know order" in report.records[0].error


def test_posted_and_receipt_printed_end_done(journal, fee_system, quote):
    payments = QrPayments(journal, fee_system)
    posted = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    fee_system.simulate_qr_payment(posted.order.order_no)
    payments.settle_paid(posted.entry)
    medical = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")  # 2026's is paid
    printed = payments.open(medical, PayMethod.WECHAT, RESIDENT)
    fee_system.simulate_qr_payment(printed.order.order_no)
    payments.settle_paid(printed.entry)
    journal.advance(printed.entry.journal_no, PaymentState.RECEIPT_PRINTED)
    recover(journal, fee_system)
    assert journal.get(posted.entry.journal_no).receipt_error == NOT_PRINTED
    assert journal.get(printed.entry.journal_no).receipt_error is None
    assert {journal.get(p.entry.journal_no).state for p in (posted, printed)} == {PaymentState.DONE}


def test_unavailable_fee_system_leaves_the_record_pending_and_notes_it_once(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    down = FaultyFeeSystem(fee_system, fail_on=1, mode="unavailable")
    report = recover(journal, down)
    assert not report.ok and report.records[0].outcome == Outcome.PENDING
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_OPENED
    recover(journal, FaultyFeeSystem(fee_system, fail_on=1, mode="unavailable"))
    assert sum("retry later" in note for note in notes(journal, opened.entry.journal_no)) == 1
    assert recover(journal, fee_system).ok
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_CLOSED


def test_recent_records_are_left_to_the_session(journal, fee_system, quote):
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    report = Recovery(journal, fee_system, clock=lambda: NOW).run(min_age=dt.timedelta(minutes=4))
    assert report.records[0].outcome == Outcome.UNCHANGED
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_OPENED
    later = Recovery(journal, fee_system, clock=lambda: NOW + dt.timedelta(minutes=5))
    later.run(min_age=dt.timedelta(minutes=4))
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_CLOSED


def test_late_payment_after_close_is_recorded_refunded(journal, fee_system, quote):
    payments = QrPayments(journal, fee_system)
    opened = payments.open(quote, PayMethod.WECHAT, RESIDENT)
    payments.cancel(opened.entry)
    fee_system.simulate_qr_payment(opened.order.order_no)  # the phone pays the closed order
    report = recover(journal, fee_system)
    after = journal.get(opened.entry.journal_no)
    assert after.state is PaymentState.REFUNDED and after.channel_ref
    assert report.records[0].from_state == "order_closed" and report.records[0].to_state == "refunded"



def test_a_closed_order_the_channel_kept_is_flagged_for_a_technician(journal, fee_system, quote):
    """The channel should refund a payment to a closed order; one that kept it cannot be posted nor refunded by the
    kiosk: flagged (it was left pending for ever, and `kiosk recover` exited 1 on every run)."""
    payments = QrPayments(journal, fee_system)
    opened = payments.open(quote, PayMethod.WECHAT, RESIDENT)
    payments.cancel(opened.entry)
    with fee_system._transaction() as db:  # a channel misbehaving: paid, not refunded
        db.execute("UPDATE qr_orders SET state = 'paid' WHERE order_no = ?", (opened.order.order_no,))
    report = recover(journal, fee_system)
    [record] = report.records
    assert (record.from_state, record.to_state, record.outcome) == ("order_closed", "flagged", Outcome.FLAGGED)
    assert "channel kept" in record.error and report.ok
    assert fee_system.find_payment(opened.entry.idempotency_key) is None


def test_cancel_of_an_order_already_refunded_records_the_refund(journal, fee_system, quote):
    payments = QrPayments(journal, fee_system)
    opened = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    fee_system.close_qr_order(opened.order.order_no)  # closed by a recovery pass, say
    fee_system.simulate_qr_payment(opened.order.order_no)  # paid late: refunded by the channel
    assert payments.cancel(opened.entry) is QrOrderState.REFUNDED
    after = journal.get(opened.entry.journal_no)
    assert after.state is PaymentState.REFUNDED and after.channel_ref

def test_report_masks_the_person(journal, fee_system, quote):
    created(journal, quote)
    report = recover(journal, fee_system)
    text = str(report.as_json())
    assert RESIDENT not in text and "3701**********4422" in text


# --- bank card: the card module's hook ------------------------------------------------------------------


def card_record(journal, quote, state):
    entry = created(journal, quote, PayMethod.BANK_CARD)
    if state is not PaymentState.CREATED:
        journal.advance(entry.journal_no, PaymentState.AUTH_SENT)
    if state is PaymentState.REVERSAL_PENDING:
        journal.advance(entry.journal_no, PaymentState.REVERSAL_PENDING)
    if state is PaymentState.APPROVED:
        journal.advance(entry.journal_no, PaymentState.APPROVED, channel_ref="BANKREF1")
    return entry


def test_card_records_without_the_card_module_stay_pending(journal, fee_system, quote):
    entry = card_record(journal, quote, PaymentState.AUTH_SENT)
    report = recover(journal, fee_system, card_hook=None)
    assert report.card_hook == "unavailable" and not report.ok
    assert "card recovery unavailable" in report.records[0].error
    assert journal.get(entry.journal_no).state is PaymentState.AUTH_SENT


def test_card_hook_settles_reversals(journal, fee_system, quote):
    pending = card_record(journal, quote, PaymentState.REVERSAL_PENDING)
    sent = card_record(journal, quote, PaymentState.AUTH_SENT)
    seen = []

    def send_pending_reversals(j):
        seen.append(j)
        for entry in j.unfinished():
            if entry.state is PaymentState.AUTH_SENT:
                j.advance(entry.journal_no, PaymentState.REVERSAL_PENDING)
            j.advance(entry.journal_no, PaymentState.REVERSED, note="host acknowledged the reversal")

    report = recover(journal, fee_system, card_hook=send_pending_reversals)
    assert seen == [journal] and report.card_hook == "called" and report.ok
    assert {journal.get(e.journal_no).state for e in (pending, sent)} == {PaymentState.REVERSED}


def test_card_hook_failure_leaves_card_records_pending_but_qr_recovers(journal, fee_system, quote):
    card = card_record(journal, quote, PaymentState.REVERSAL_PENDING)
    qr = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)

    def broken(_journal):
        raise ConnectionRefusedError("bank host down")

    report = recover(journal, fee_system, card_hook=broken)
    assert report.card_hook == "failed"
    assert journal.get(card.journal_no).state is PaymentState.REVERSAL_PENDING
    assert journal.get(qr.entry.journal_no).state is PaymentState.ORDER_CLOSED


def test_approved_card_payment_is_posted(journal, fee_system, quote):
    entry = card_record(journal, quote, PaymentState.APPROVED)
    recover(journal, fee_system, card_hook=None)
    after = journal.get(entry.journal_no)
    [record] = fee_system.payment_records(RESIDENT)
    assert after.state is PaymentState.DONE and record.pay_method is PayMethod.BANK_CARD
    assert record.channel_ref == "BANKREF1"


def test_approved_card_payment_the_fee_system_refuses_is_reversed_in_the_same_run(journal, fee_system):
    """A card payment recovery cannot post (the fee system refuses: quote gone, year paid elsewhere) is given back,
    as the session does: approved -> reversal_pending (reason 06), sent by the card hook in the same run."""
    from drivers.bankhost import TransactionRef

    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "no-such-quote", 100, PayMethod.BANK_CARD)
    ref = TransactionRef("000042", NOW, 100, "000001")
    journal.advance(entry.journal_no, PaymentState.AUTH_SENT, order_no=ref.to_text())
    journal.advance(entry.journal_no, PaymentState.APPROVED, channel_ref="BANKREF1")
    sent = []

    def send_pending_reversals(j):
        for pending in j.unfinished():
            if pending.state is PaymentState.REVERSAL_PENDING:
                sent.append(TransactionRef.from_text(pending.order_no))
                j.advance(pending.journal_no, PaymentState.REVERSED, note="host acknowledged the reversal")

    report = recover(journal, fee_system, card_hook=send_pending_reversals)
    [record] = report.records
    assert (record.from_state, record.to_state, record.outcome) == ("approved", "reversed", Outcome.SETTLED)
    assert report.ok and report.card_hook == "called"
    assert [(r.stan, r.reason) for r in sent] == [("000042", "06")]
    assert fee_system.find_payment(entry.idempotency_key) is None


def test_a_refused_card_payment_stays_reversal_pending_without_the_card_hook(journal, fee_system):
    from drivers.bankhost import TransactionRef

    stored = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "no-such-quote", 100, PayMethod.BANK_CARD)
    ref = TransactionRef("000043", NOW, 100, "000001")
    journal.advance(stored.journal_no, PaymentState.AUTH_SENT, order_no=ref.to_text())
    journal.advance(stored.journal_no, PaymentState.APPROVED, channel_ref="BANKREF2")
    blind = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "no-such-quote", 100, PayMethod.BANK_CARD)
    journal.advance(blind.journal_no, PaymentState.AUTH_SENT, order_no="not a reference")
    journal.advance(blind.journal_no, PaymentState.APPROVED, channel_ref="BANKREF1")
    report = recover(journal, fee_system, card_hook=None)
    assert journal.get(stored.journal_no).state is PaymentState.REVERSAL_PENDING  # sent by the next run with a hook
    assert journal.get(blind.journal_no).state is PaymentState.FLAGGED  # nothing to reverse it with: technician
    by_no = {record.journal_no: record for record in report.records}
    assert by_no[stored.journal_no].outcome == Outcome.PENDING and not report.ok
    assert "no reference" in by_no[blind.journal_no].error
