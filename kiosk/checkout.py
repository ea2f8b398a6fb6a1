"""From a quote to money posted and a receipt in the citizen's hand, for QR payments.

Blocking: called from worker threads. Whatever happens on screen (cancel, timeout, the citizen walking away),
``abandon`` closes the order and, if the money came in meanwhile, posts it and prints its receipt: money paid is
never left unposted. A posting the fee system refuses because the period was paid meanwhile (another kiosk, a
quote left open) is refunded by the channel: the outcome is REFUNDED, with words for the citizen and no receipt.

A journal that cannot be written (issue 25 §1; kiosk/payments/write_failures.py) always ends in the truth: no money
taken, money given back, or a technician settles it (with the journal number); a posted payment whose later write
failed is a success. Each such outcome carries the problem the kiosk reports (``problem``): no new money until
the journal's disk has room again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from drivers.base import QT_TRANSLATE_NOOP, DeviceError
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import PaymentRecord, QrOrderState, Quote
from kiosk.payments.disk_reserve import ReserveTooLow
from kiosk.payments.journal import JournalEntry, JournalWriteError, PaymentState
from kiosk.payments.qr import OpenedQrPayment, PostingRefused, QrPayments
from kiosk.payments.write_failures import MoneyNotRecorded, problem_of
from kiosk.receipts import ReceiptParties, ReceiptService
from kiosk.service_health import ProblemKind

log = logging.getLogger(__name__)

MSG_ALREADY_PAID_REFUNDED = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This period had already been paid, so this payment was not recorded. Your money has been returned: "
    "nothing was taken.",
)
MSG_NO_ROOM = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This machine cannot take payments at the moment. No money was taken. Please use another self-service machine "
    "or the service window.",
)
MSG_NOT_RECORDED_NOTHING_TAKEN = QT_TRANSLATE_NOOP(
    "DeviceMessage", "This machine could not record the payment, so it was stopped. No money was taken."
)
MSG_NOT_RECORDED_RETURNED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "This machine could not record the payment, so the bank has given your money back."
)
MSG_NOT_RECORDED_CARD = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This machine could not record the payment. Money may have been taken from your card: a technician will "
    "settle it and return any money taken.",
)
MSG_NOT_RECORDED_RECEIVED = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "Your payment was received, but this machine could not record it. A technician will settle it: it will be "
    "recorded in the fee system or your money returned.",
)


@dataclass(frozen=True)
class PaymentOutcome:
    state: QrOrderState  # PAID: posted (receipt printed or not); CLOSED / REFUNDED: no money taken (or given back)
    entry: JournalEntry | None
    record: PaymentRecord | None = None
    receipt_error: DeviceError | None = None
    message: str | None = None  # why it ended so (English source, context "DeviceMessage"), for the screen
    # The journal could not record the payment's end: a technician settles it (the screen shows the journal no).
    needs_technician: bool = False
    problem: tuple[ProblemKind, str] | None = None  # what the kiosk reports (ctx.health): no new money until fixed


def write_failure_outcome(error: Exception, entry: JournalEntry | None = None) -> PaymentOutcome | None:
    """The truth for a payment a full disk or a failed journal write ended (None: not such a failure)."""
    if isinstance(error, ReserveTooLow):
        return PaymentOutcome(
            QrOrderState.CLOSED, entry, message=MSG_NO_ROOM, problem=(ProblemKind.DISK_RESERVE, error.reading.detail)
        )
    if isinstance(error, MoneyNotRecorded):
        if error.returned:
            return PaymentOutcome(
                QrOrderState.CLOSED, error.entry, message=MSG_NOT_RECORDED_RETURNED, problem=problem_of(error)
            )
        log.error("TECHNICIAN: payment %s must be settled by hand: %s", error.entry.journal_no, error)
        state = QrOrderState.PAID if error.received else QrOrderState.CLOSED
        message = MSG_NOT_RECORDED_RECEIVED if error.received else MSG_NOT_RECORDED_CARD
        return PaymentOutcome(state, error.entry, message=message, needs_technician=True, problem=problem_of(error))
    if isinstance(error, JournalWriteError):
        return PaymentOutcome(
            QrOrderState.CLOSED, entry, message=MSG_NOT_RECORDED_NOTHING_TAKEN, problem=problem_of(error)
        )
    return None


def finished_receipt(
    write: Callable[[], JournalEntry], entry: JournalEntry
) -> tuple[JournalEntry, tuple[ProblemKind, str] | None]:
    """The receipt's journal writes after a posting: a failure leaves the record for recovery, never the citizen
    without a success; the problem is returned for the kiosk to report."""
    if entry.state is not PaymentState.POSTED:  # ``posted`` itself was not journaled: recovery ends the record
        return entry, None
    try:
        return write(), None
    except JournalWriteError as error:
        log.warning("%s posted; its receipt state not journaled: %s", entry.journal_no, error)
        return entry, problem_of(error)


def posting_problem(entry: JournalEntry) -> tuple[ProblemKind, str] | None:
    """A posted payment whose ``posted`` could not be journaled (the record still paid or approved)."""
    if entry.state in (PaymentState.PAID, PaymentState.APPROVED):
        return (
            ProblemKind.DISK_RESERVE,
            f"journal write failed during a payment: {entry.journal_no} posted, not journaled",
        )
    return None


class Checkout:
    def __init__(self, qr_payments: QrPayments, receipts: ReceiptService, clock: Callable[[], dt.datetime]) -> None:
        self.qr_payments = qr_payments
        self.receipts = receipts
        self.clock = clock

    def open_qr(self, quote: Quote, method: PayMethod, payer_id_number: str) -> OpenedQrPayment:
        """Raises ReserveTooLow / JournalWriteError (no money: write_failure_outcome says so) or the fee system's
        error."""
        return self.qr_payments.open(quote, method, payer_id_number)

    def poll(self, entry: JournalEntry) -> QrOrderState:
        return self.qr_payments.poll(entry)

    def finish_paid(self, entry: JournalEntry, parties: ReceiptParties) -> PaymentOutcome:
        try:
            entry, record = self.qr_payments.settle_paid(entry)
        except PostingRefused as refused:
            return PaymentOutcome(QrOrderState.REFUNDED, refused.entry, message=MSG_ALREADY_PAID_REFUNDED)
        except MoneyNotRecorded as unrecorded:
            outcome = write_failure_outcome(unrecorded, entry)
            assert outcome is not None
            return outcome
        problem = posting_problem(entry)
        receipt_error = self.receipts.print_for(record, parties, entry.journal_no, self.clock(), entry.order_no)
        code = receipt_error.code if receipt_error else None
        entry, receipt_problem = finished_receipt(lambda: self.qr_payments.receipt_result(entry, code), entry)
        return PaymentOutcome(QrOrderState.PAID, entry, record, receipt_error, problem=problem or receipt_problem)

    def abandon(self, entry: JournalEntry, parties: ReceiptParties) -> PaymentOutcome:
        try:
            state = self.qr_payments.cancel(entry)
        except JournalWriteError as error:  # the channel closed it (or gave it back): no money kept
            log.warning("%s closed, not journaled: %s", entry.journal_no, error)
            return PaymentOutcome(QrOrderState.CLOSED, entry, problem=problem_of(error))
        if state is QrOrderState.PAID:
            return self.finish_paid(entry, parties)
        return PaymentOutcome(state, self.qr_payments.journal.get(entry.journal_no))
