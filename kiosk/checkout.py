"""From a quote to money posted and a receipt in the citizen's hand, for QR payments.

Blocking: called from worker threads. Whatever happens on screen (cancel, timeout, the citizen walking away),
``abandon`` closes the order and, if the money came in meanwhile, posts it and prints its receipt: money paid is
never left unposted. A posting the fee system refuses because the period was paid meanwhile (another kiosk, a
quote left open) is refunded by the channel: the outcome is REFUNDED, with words for the citizen and no receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from drivers.base import QT_TRANSLATE_NOOP, DeviceError
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import PaymentRecord, QrOrderState, Quote
from kiosk.payments.journal import JournalEntry
from kiosk.payments.qr import OpenedQrPayment, PostingRefused, QrPayments
from kiosk.receipts import ReceiptParties, ReceiptService

MSG_ALREADY_PAID_REFUNDED = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This period had already been paid, so this payment was not recorded. Your money has been returned: "
    "nothing was taken.",
)


@dataclass(frozen=True)
class PaymentOutcome:
    state: QrOrderState  # PAID: posted (receipt printed or not); CLOSED / REFUNDED: no money taken (or given back)
    entry: JournalEntry | None
    record: PaymentRecord | None = None
    receipt_error: DeviceError | None = None
    message: str | None = None  # why it ended so (English source, context "DeviceMessage"), for the screen


class Checkout:
    def __init__(self, qr_payments: QrPayments, receipts: ReceiptService, clock: Callable[[], dt.datetime]) -> None:
        self.qr_payments = qr_payments
        self.receipts = receipts
        self.clock = clock

    def open_qr(self, quote: Quote, method: PayMethod, payer_id_number: str) -> OpenedQrPayment:
        return self.qr_payments.open(quote, method, payer_id_number)

    def poll(self, entry: JournalEntry) -> QrOrderState:
        return self.qr_payments.poll(entry)

    def finish_paid(self, entry: JournalEntry, parties: ReceiptParties) -> PaymentOutcome:
        try:
            entry, record = self.qr_payments.settle_paid(entry)
        except PostingRefused as refused:
            return PaymentOutcome(QrOrderState.REFUNDED, refused.entry, message=MSG_ALREADY_PAID_REFUNDED)
        receipt_error = self.receipts.print_for(record, parties, entry.journal_no, self.clock(), entry.order_no)
        entry = self.qr_payments.receipt_result(entry, receipt_error.code if receipt_error else None)
        return PaymentOutcome(QrOrderState.PAID, entry, record, receipt_error)

    def abandon(self, entry: JournalEntry, parties: ReceiptParties) -> PaymentOutcome:
        state = self.qr_payments.cancel(entry)
        if state is QrOrderState.PAID:
            return self.finish_paid(entry, parties)
        return PaymentOutcome(state, self.qr_payments.journal.get(entry.journal_no))
