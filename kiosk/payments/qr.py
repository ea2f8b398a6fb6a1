"""A QR payment (Alipay / WeChat Pay) step by step, each state journaled before the outside call it leads to.

created → order_opened → paid → posted → receipt_printed → done; a timeout or cancel closes the order
(order_closed), unless the channel says it was paid meanwhile, in which case the payment is posted as usual.
The steps block on the fee system: the application runs them off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import FeeSystem, PaymentRecord, QrOrder, QrOrderState, Quote
from kiosk.payments.journal import Journal, JournalEntry, PaymentState


@dataclass(frozen=True)
class OpenedQrPayment:
    entry: JournalEntry
    order: QrOrder


class QrPayments:
    def __init__(self, journal: Journal, fee_system: FeeSystem) -> None:
        self.journal = journal
        self.fee_system = fee_system

    def open(self, quote: Quote, method: PayMethod, payer_id_number: str) -> OpenedQrPayment:
        entry = self.journal.create(
            quote.item, quote.id_number, payer_id_number, quote.quote_id, quote.amount_fen, method
        )
        # The key is journaled before the call: a crash here reopens the same order, never a second one.
        order = self.fee_system.open_qr_order(entry.idempotency_key, quote.quote_id, method)
        if order.amount_fen != entry.amount_fen:
            self.journal.advance(entry.journal_no, PaymentState.FLAGGED, note="order amount differs from quote")
            raise ValueError("the channel's order amount differs from the quote")
        entry = self.journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no=order.order_no)
        return OpenedQrPayment(entry, order)

    def poll(self, entry: JournalEntry) -> QrOrderState:
        """The order's state as the channel sees it (no journal change)."""
        assert entry.order_no
        return self.fee_system.qr_order_status(entry.order_no).state

    def settle_paid(self, entry: JournalEntry) -> tuple[JournalEntry, PaymentRecord]:
        """The channel took the money: journal it, then post it to the fee system (idempotently)."""
        assert entry.order_no
        status = self.fee_system.qr_order_status(entry.order_no)
        if status.state is not QrOrderState.PAID:
            raise ValueError(f"order {entry.order_no} is {status.state}, not paid")
        current = self.journal.get(entry.journal_no)
        if current.state is PaymentState.ORDER_OPENED:
            current = self.journal.advance(entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)
        record = self.fee_system.post_payment(
            current.idempotency_key,
            current.quote_id,
            current.pay_method,
            current.channel_ref or "",
            current.payer_id_number,
        )
        if current.state is PaymentState.PAID:
            current = self.journal.advance(entry.journal_no, PaymentState.POSTED, payment_no=record.payment_no)
        return current, record

    def cancel(self, entry: JournalEntry) -> QrOrderState:
        """Close the order (timeout, cancel, session end). Returns PAID when the money came in meanwhile."""
        assert entry.order_no
        status = self.fee_system.close_qr_order(entry.order_no)
        if status.state is QrOrderState.CLOSED:
            self.journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED, note="closed unpaid")
        elif status.state is QrOrderState.REFUNDED:  # closed earlier and paid late: the channel gave it back
            note = "paid after closing: refunded"
            self.journal.advance(entry.journal_no, PaymentState.REFUNDED, note=note, channel_ref=status.channel_txn)
        return status.state

    def receipt_result(self, entry: JournalEntry, error: str | None) -> JournalEntry:
        """After printing: done, with the failure recorded so that Query can reprint the receipt."""
        if error is None:
            self.journal.advance(entry.journal_no, PaymentState.RECEIPT_PRINTED)
            return self.journal.advance(entry.journal_no, PaymentState.DONE)
        return self.journal.advance(entry.journal_no, PaymentState.DONE, receipt_error=error)
