"""The payment journal: durable settings, checked transitions, and the QR payment steps on top of it."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from conftest import NOW, TERMINAL
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.journal import SCHEMA_VERSION, Journal, JournalError, PaymentState
from kiosk.payments.qr import QrPayments

RESIDENT = "370103197003224422"


def test_file_is_private_and_durable(journal, journal_path):
    assert stat.S_IMODE(journal_path.stat().st_mode) == 0o600
    with sqlite3.connect(journal_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert journal._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_reopening_keeps_records_and_schema(journal, journal_path):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q1", 80000, PayMethod.ALIPAY)
    journal.close()
    second = Journal(journal_path, TERMINAL, clock=lambda: NOW)
    assert second.get(entry.journal_no).amount_fen == 80000
    assert [e.journal_no for e in second.unfinished()] == [entry.journal_no]
    second.close()


def test_only_designed_transitions_are_allowed_and_an_end_state_stays_ended(journal):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q1", 80000, PayMethod.ALIPAY)
    assert entry.state is PaymentState.CREATED and entry.idempotency_key.startswith("kiosk-")
    with pytest.raises(JournalError):
        journal.advance(entry.journal_no, PaymentState.POSTED)  # not before it is paid
    journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no="ALI1")
    journal.advance(entry.journal_no, PaymentState.PAID, channel_ref="TXN")
    journal.advance(entry.journal_no, PaymentState.POSTED, payment_no="3137")
    journal.advance(entry.journal_no, PaymentState.RECEIPT_PRINTED)
    done = journal.advance(entry.journal_no, PaymentState.DONE)
    assert done.finished and (done.order_no, done.channel_ref, done.payment_no) == ("ALI1", "TXN", "3137")
    assert [state for _, state, _ in journal.events(entry.journal_no)] == [
        PaymentState.CREATED,
        PaymentState.ORDER_OPENED,
        PaymentState.PAID,
        PaymentState.POSTED,
        PaymentState.RECEIPT_PRINTED,
        PaymentState.DONE,
    ]
    with pytest.raises(JournalError):
        journal.advance(entry.journal_no, PaymentState.PAID)  # an end state stays ended
    assert journal.unfinished() == []


def test_a_paid_payment_refused_by_the_fee_system_may_end_refunded_only_from_paid(journal):
    """paid -> refunded (the channel gave back a payment the fee system would not post) is a transition of the
    state machine; posted money never becomes refunded, and refunded is an end state."""
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q1", 80000, PayMethod.ALIPAY)
    journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no="ALI1")
    journal.advance(entry.journal_no, PaymentState.PAID, channel_ref="TXN")
    refunded = journal.advance(entry.journal_no, PaymentState.REFUNDED, note="refused (already_paid): refunded")
    assert refunded.finished and refunded.payment_no is None
    with pytest.raises(JournalError):
        journal.advance(entry.journal_no, PaymentState.POSTED)
    posted = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q2", 80000, PayMethod.ALIPAY)
    for state in (PaymentState.ORDER_OPENED, PaymentState.PAID, PaymentState.POSTED):
        journal.advance(posted.journal_no, state)
    with pytest.raises(JournalError):
        journal.advance(posted.journal_no, PaymentState.REFUNDED)


def test_amounts_are_positive_integer_fen(journal):
    for bad in (0, -5, 12.5):
        with pytest.raises(JournalError):
            journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", bad, PayMethod.ALIPAY)
    with pytest.raises(JournalError):
        journal.advance("nope", PaymentState.DONE)


def test_qr_payment_steps_paid(journal, fee_system):
    payments = QrPayments(journal, fee_system)
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    opened = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    assert opened.entry.state is PaymentState.ORDER_OPENED and opened.entry.order_no == opened.order.order_no
    assert payments.poll(opened.entry) is QrOrderState.OPEN
    fee_system.simulate_qr_payment(opened.order.order_no)
    entry, record = payments.settle_paid(opened.entry)
    assert entry.state is PaymentState.POSTED and entry.payment_no == record.payment_no
    assert record.idempotency_key == entry.idempotency_key and record.amount_fen == 50000
    # Settling again (a retry after a crash) posts nothing twice.
    _, again = payments.settle_paid(entry)
    assert again == record and len(fee_system.payment_records(RESIDENT)) == 1
    final = payments.receipt_result(entry, error="paper_out")
    assert final.state is PaymentState.DONE and final.receipt_error == "paper_out"


def test_qr_payment_cancelled_and_paid_meanwhile(journal, fee_system):
    payments = QrPayments(journal, fee_system)
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    opened = payments.open(quote, PayMethod.WECHAT, RESIDENT)
    assert payments.cancel(opened.entry) is QrOrderState.CLOSED
    assert journal.get(opened.entry.journal_no).state is PaymentState.ORDER_CLOSED
    other = payments.open(quote, PayMethod.WECHAT, RESIDENT)
    fee_system.simulate_qr_payment(other.order.order_no)
    assert payments.cancel(other.entry) is QrOrderState.PAID  # the caller must post it
    assert journal.get(other.entry.journal_no).state is PaymentState.ORDER_OPENED


# --- the kill-sweep hook (kiosk/payments/crashpoint.py) ---------------------------------------------------------

CRASH_CHILD = """
import sys
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import Journal, PaymentState
journal = Journal(sys.argv[1], "T-01")
entry = journal.create(InsuredItem.RESIDENT_PENSION, "370103197003224422", "370103197003224422", "q", 100,
                       PayMethod.ALIPAY)
journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no="ALI1")
journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED)
"""


@pytest.mark.parametrize(
    ("setting", "killed", "state"),
    [
        (None, False, "order_closed"),
        ("after:2", True, "order_opened"),  # the 2nd commit is durable, the process dies right after it
        ("before:2", True, "created"),  # dies before the 2nd commit begins
        ("before:9", False, "order_closed"),  # never reached
        ("sometime", False, "order_closed"),  # not understood: ignored, never guessed at
        ("after:0", False, "order_closed"),
    ],
)
def test_the_kill_hook_is_inert_unless_set_and_kills_at_the_exact_commit(tmp_path, setting, killed, state):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key != "KIOSK_TEST_KILL_AT"}
    if setting is not None:
        env["KIOSK_TEST_KILL_AT"] = setting
    path = tmp_path / "journal.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", CRASH_CHILD, str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == (-signal.SIGKILL if killed else 0), done.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT state FROM payments").fetchall() == [(state,)]
