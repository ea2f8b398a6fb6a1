"""A QR payment (Alipay / WeChat Pay) step by step, each state journaled before the outside call it leads to.

created → order_opened → paid → posted → receipt_printed → done; a timeout or cancel closes the order
(order_closed), unless the channel says it was paid meanwhile, in which case the payment is posted as usual.
A posting the fee system refuses (AlreadyPaid: the period was paid meanwhile) is refunded by the channel:
paid → refunded. A quote already paid opens no order: created → order_closed.
A journal that cannot be written (kiosk/payments/write_failures.py): no first record below the disk reserve; an
order whose opening cannot be journaled is closed before its code is shown (no money); a payment the channel took
whose ``paid`` cannot be journaled after retries raises MoneyNotRecorded (recovery posts it once the journal can be
written: the kiosk has no refund right of its own, see docs/recovery.md); a failed write after the posting leaves
the record ``paid`` for recovery, and the payment stands.
The steps block on the fee system: the application runs them off the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import (
    AlreadyPaid,
    FeeSystem,
    FeeSystemError,
    InvalidRequest,
    NotAllowed,
    PaymentRecord,
    QrOrder,
    QrOrderState,
    Quote,
    UnknownRecord,
)
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.journal import Journal, JournalEntry, JournalWriteError, PaymentState
from kiosk.payments.write_failures import MoneyNotRecorded, WriteRetry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedQrPayment:
    entry: JournalEntry
    order: QrOrder


class PostingRefused(Exception):
    """The fee system refused to post a paid QR payment and the channel gave the money back (journal refunded).

    ``error`` is the fee system's refusal (AlreadyPaid when the period was paid meanwhile)."""

    def __init__(self, entry: JournalEntry, error: FeeSystemError) -> None:
        super().__init__(f"{entry.journal_no}: posting refused ({error.code}), refunded by the channel")
        self.entry = entry
        self.error = error


class QrPayments:
    def __init__(
        self,
        journal: Journal,
        fee_system: FeeSystem,
        *,
        reserve: DiskReserve | None = None,
        retry: WriteRetry | None = None,
    ) -> None:
        self.journal = journal
        self.fee_system = fee_system
        self.reserve = reserve  # None: no disk check (an in-memory journal, tests)
        self.retry = retry or WriteRetry()

    def open(self, quote: Quote, method: PayMethod, payer_id_number: str) -> OpenedQrPayment:
        """Raises ReserveTooLow or JournalWriteError when no record could be written: no order, no money."""
        if self.reserve is not None:
            self.reserve.require()
        entry = self.journal.create(
            quote.item, quote.id_number, payer_id_number, quote.quote_id, quote.amount_fen, method
        )
        # The key is journaled before the call: a crash here reopens the same order, never a second one.
        try:
            order = self.fee_system.open_qr_order(entry.idempotency_key, quote.quote_id, method)
        except (NotAllowed, UnknownRecord, InvalidRequest) as error:
            # A refusal opened no order (a known key would have got its order back): nothing can be paid.
            self.journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED, note=f"no order: {error.code}")
            raise
        if order.amount_fen != entry.amount_fen:
            self.journal.advance(entry.journal_no, PaymentState.FLAGGED, note="order amount differs from quote")
            raise ValueError("the channel's order amount differs from the quote")
        try:
            entry = self.journal.advance(entry.journal_no, PaymentState.ORDER_OPENED, order_no=order.order_no)
        except JournalWriteError:
            self._close_unshown(entry, order.order_no)
            raise
        return OpenedQrPayment(entry, order)

    def _close_unshown(self, entry: JournalEntry, order_no: str) -> None:
        """The order is open but could not be journaled: close it before its code is ever shown. Its closing is
        journaled if the journal takes it; otherwise recovery reopens it by key, finds it closed, and ends it."""
        try:
            status = self.fee_system.close_qr_order(order_no)
        except FeeSystemError as error:  # left open, never shown: recovery closes it
            log.warning("order %s of %s not closed after a failed journal write: %s", order_no, entry.journal_no, error)
            return
        if status.state is QrOrderState.PAID:  # cannot happen with the code unshown; never leave it unsaid
            raise MoneyNotRecorded(entry, received=True, cause=f"order {order_no} paid while unjournaled")
        try:
            self.journal.advance(
                entry.journal_no, PaymentState.ORDER_CLOSED, note="closed: its opening was not journaled"
            )
        except JournalWriteError as error:
            log.warning("%s stays created (order %s closed): %s", entry.journal_no, order_no, error)

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
            opened = current
            try:
                current = self.retry(
                    lambda: self.journal.advance(entry.journal_no, PaymentState.PAID, channel_ref=status.channel_txn)
                )
            except JournalWriteError as error:
                # Not posted without ``paid`` journaled first; recovery finds the order paid and posts it.
                raise MoneyNotRecorded(opened, received=True, cause=str(error)) from error
        try:
            record = self.fee_system.post_payment(
                current.idempotency_key,
                current.quote_id,
                current.pay_method,
                current.channel_ref or "",
                current.payer_id_number,
            )
        except AlreadyPaid as error:
            if current.state is PaymentState.PAID:
                self.refunded_after_refusal(current, error)
            raise
        if current.state is PaymentState.PAID:
            try:
                current = self.journal.advance(entry.journal_no, PaymentState.POSTED, payment_no=record.payment_no)
            except JournalWriteError as error:  # posted all the same: recovery finds it by key and ends the record
                log.warning("%s posted as %s, not journaled: %s", entry.journal_no, record.payment_no, error)
        return current, record

    def refunded_after_refusal(self, entry: JournalEntry, error: AlreadyPaid) -> None:
        """The fee system refused the posting: record the channel's refund and raise PostingRefused. When the
        channel does not say refunded yet (a platform that refunds later), the record stays paid with a note and
        ``error`` is left to the caller: recovery posts again (refused again) until the refund is seen."""
        assert entry.order_no
        status = self.fee_system.qr_order_status(entry.order_no)
        note = f"fee system refused the posting ({error.code}): {error.detail}"
        try:
            if status.state is not QrOrderState.REFUNDED:
                self.journal.advance(entry.journal_no, entry.state, note=f"{note}; the channel says {status.state}")
                return
            refunded = self.journal.advance(
                entry.journal_no, PaymentState.REFUNDED, note=f"{note}; refunded by the channel"
            )
        except JournalWriteError as write_error:  # the record stays paid: recovery posts again, refused, refunded
            log.warning("%s: the refusal was not journaled: %s", entry.journal_no, write_error)
            if status.state is not QrOrderState.REFUNDED:
                return
            refunded = entry
        raise PostingRefused(refunded, error) from error

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
