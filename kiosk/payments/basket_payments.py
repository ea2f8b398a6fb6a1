"""Paying a household basket by one QR code (issue 22), each state journaled before the call it leads to.

basket and lines: created → order_opened → paid; then each line is posted on its own key (line posted), and a line
the fee system refuses because its period was paid meanwhile is refunded alone by the channel, in the refusal's
transaction (line refunded); the basket is posted once every line has ended, with its own code (the fee system's
seal of the lines it posted, journaled with the posted state), then receipt_printed → done (lines done). A timeout
or cancel closes the order (order_closed, nothing taken) unless it was paid meanwhile.
Recovery (kiosk/payments/basket_recovery.py) finishes a basket stopped at any of these steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import (
    AlreadyPaid,
    BasketQuote,
    FeeSystem,
    FeeSystemError,
    InvalidRequest,
    NotAllowed,
    PaymentRecord,
    QrOrder,
    QrOrderState,
    UnknownRecord,
)
from kiosk.payments.basket_journal import BasketEntry, BasketJournal, BasketLineEntry
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.journal import Journal, PaymentState

log = logging.getLogger(__name__)

POSTED = (PaymentState.POSTED, PaymentState.RECEIPT_PRINTED, PaymentState.DONE)  # a line the fee system holds
TRANSIENT = (TimeoutError, ConnectionError, OSError)


@dataclass(frozen=True)
class RefundedLine:
    """A line the fee system refused after the money moved: its amount went back to the payer."""

    line_no: int
    journal_no: str
    amount_fen: int
    reason: str  # the fee system's code (already_paid)


@dataclass
class BasketOutcome:
    basket: BasketEntry
    records: list[tuple[int, PaymentRecord]] = field(default_factory=list)  # line no, posted record
    refunded: list[RefundedLine] = field(default_factory=list)

    @property
    def paid_fen(self) -> int:
        return sum(record.amount_fen for _line, record in self.records)

    @property
    def verification_code(self) -> str | None:
        """The basket's own signed code (its receipt's QR); None while the fee system has not given it."""
        return self.basket.verification_code


@dataclass(frozen=True)
class OpenedBasket:
    basket: BasketEntry
    order: QrOrder


class BasketPayments:
    def __init__(self, journal: Journal, fee_system: FeeSystem, *, reserve: DiskReserve | None = None) -> None:
        self.baskets = BasketJournal(journal)
        self.fee_system = fee_system
        self.reserve = reserve

    # --- QR -------------------------------------------------------------------------------------------------

    def open_qr(self, quote: BasketQuote, method: PayMethod) -> OpenedBasket:
        """Journal the basket and its lines, then open the one order for the total (the key journaled first:
        recovery reopens the same order, never a second one)."""
        if not method.is_qr:
            raise ValueError(f"{method} is not a QR method")
        if self.reserve is not None:
            self.reserve.require()
        basket = self.baskets.create(quote, method)
        try:
            order = self.fee_system.open_basket_qr_order(basket.idempotency_key, basket.basket_id, method)
        except (NotAllowed, UnknownRecord, InvalidRequest) as error:
            self.baskets.advance_all(basket.basket_no, PaymentState.ORDER_CLOSED, note=f"no order: {error.code}")
            raise
        if order.amount_fen != basket.amount_fen:
            self.baskets.advance_all(basket.basket_no, PaymentState.FLAGGED, note="order amount differs from basket")
            raise ValueError("the channel's order amount differs from the basket's total")
        basket = self.baskets.advance_all(basket.basket_no, PaymentState.ORDER_OPENED, order_no=order.order_no)
        return OpenedBasket(basket, order)

    def poll(self, basket: BasketEntry) -> QrOrderState:
        assert basket.order_no
        return self.fee_system.qr_order_status(basket.order_no).state

    def cancel(self, basket: BasketEntry) -> QrOrderState:
        """Close the order (timeout, cancel, session end); PAID when the money came meanwhile (then settle)."""
        assert basket.order_no
        status = self.fee_system.close_qr_order(basket.order_no)
        if status.state is QrOrderState.CLOSED:
            self.baskets.advance_all(basket.basket_no, PaymentState.ORDER_CLOSED, note="closed unpaid")
        elif status.state is QrOrderState.REFUNDED:  # paid after closing: the channel gave it all back
            self.baskets.advance_all(
                basket.basket_no,
                PaymentState.REFUNDED,
                note="paid after closing: refunded",
                channel_ref=status.channel_txn,
            )
        return status.state

    def settle_paid(self, basket: BasketEntry) -> BasketOutcome:
        """The channel took the money: journal it (basket and lines paid), then post each line."""
        assert basket.order_no
        current = self.baskets.get(basket.basket_no)
        if current.state is PaymentState.ORDER_OPENED:
            status = self.fee_system.qr_order_status(basket.order_no)
            if status.state is not QrOrderState.PAID:
                raise ValueError(f"order {basket.order_no} is {status.state}, not paid")
            note = f"paid with {status.paid_with}" if status.paid_with else None
            current = self.baskets.advance_all(
                basket.basket_no, PaymentState.PAID, note=note, channel_ref=status.channel_txn
            )
        return self.post_lines(current)

    # --- posting, both methods ------------------------------------------------------------------------------

    def post_lines(self, basket: BasketEntry) -> BasketOutcome:
        """Post every line not yet posted (its own key: a repeat returns the same record); a line refused as paid
        already is refunded alone. The basket is posted when every line has ended."""
        outcome = BasketOutcome(basket)
        for line in self.baskets.lines(basket.basket_no):
            if line.state in POSTED:
                record = self.fee_system.find_payment(line.entry.idempotency_key)
                if record is not None:
                    outcome.records.append((line.line_no, record))
            elif line.state in (PaymentState.PAID, PaymentState.APPROVED):
                self._post_line(basket, line, outcome)
            elif line.state in (PaymentState.REFUNDED, PaymentState.REVERSAL_PENDING, PaymentState.REVERSED):
                outcome.refunded.append(_refunded(line, line.entry.note or "already_paid"))
        if basket.state in (PaymentState.PAID, PaymentState.APPROVED):
            basket = self.baskets.advance(
                basket.basket_no,
                PaymentState.POSTED,
                note=f"{len(outcome.records)} line(s) posted, {len(outcome.refunded)} refunded",
                verification_code=self.seal(basket) if outcome.records else None,
            )
        outcome.basket = basket
        return outcome

    def seal(self, basket: BasketEntry) -> str | None:
        """The basket's own code, signed by the fee system over the lines it posted (asked again while missing:
        the same seal comes back). None when the fee system cannot give it now, or when its total is not the
        journal's total of the lines posted: the payment stands, the receipt lists each line's own code."""
        if basket.verification_code:
            return basket.verification_code
        try:
            seal = self.fee_system.seal_basket(basket.idempotency_key, basket.basket_id)
        except (FeeSystemError, *TRANSIENT) as error:
            log.warning("basket %s: no basket code now (%s)", basket.basket_no, type(error).__name__)
            return None
        posted_fen = sum(line.entry.amount_fen for line in self.baskets.lines(basket.basket_no) if line.state in POSTED)
        if seal.total_fen != posted_fen:
            log.error(
                "basket %s: the fee system sealed %d fen, %d posted", basket.basket_no, seal.total_fen, posted_fen
            )
            return None
        return seal.verification_code or None

    def _post_line(self, basket: BasketEntry, line: BasketLineEntry, outcome: BasketOutcome) -> None:
        entry = line.entry
        try:
            record = self.fee_system.post_basket_line(
                entry.idempotency_key, basket.basket_id, line.line_no, basket.pay_method, basket.channel_ref or ""
            )
        except AlreadyPaid as error:
            # On QR the channel refunded this line in the refusal's transaction; on card the line's money goes back
            # by a refund message (kiosk/payments/basket_card.py), so the line waits in reversal_pending.
            target = PaymentState.REFUNDED if basket.pay_method.is_qr else PaymentState.REVERSAL_PENDING
            self.baskets.advance(
                basket.basket_no, None, note=error.code, lines={line.line_no: target}, line_fields={"note": error.code}
            )
            log.info("basket %s line %d refused (%s): %s", basket.basket_no, line.line_no, error.code, target)
            outcome.refunded.append(_refunded(line, error.code))
            return
        self.baskets.advance(
            basket.basket_no,
            None,
            lines={line.line_no: PaymentState.POSTED},
            line_fields={"payment_no": record.payment_no},
        )
        outcome.records.append((line.line_no, record))

    def receipt_result(self, basket: BasketEntry, error: str | None) -> BasketEntry:
        """After printing the one receipt: the basket and its posted lines done (the failure kept for a reprint)."""
        posted = {
            line.line_no: PaymentState.DONE
            for line in self.baskets.lines(basket.basket_no)
            if line.state is PaymentState.POSTED
        }
        # A code the posting could not get (the fee system was away) is asked for again, for a reprint.
        code = self.seal(basket) if posted else basket.verification_code
        if error is None:
            self.baskets.advance(basket.basket_no, PaymentState.RECEIPT_PRINTED, verification_code=code)
            return self.baskets.advance(basket.basket_no, PaymentState.DONE, lines=posted)
        return self.baskets.advance(
            basket.basket_no,
            PaymentState.DONE,
            lines=posted,
            line_fields={"receipt_error": error},
            receipt_error=error,
            verification_code=code,
        )


def _refunded(line: BasketLineEntry, reason: str) -> RefundedLine:
    return RefundedLine(line.line_no, line.entry.journal_no, line.entry.amount_fen, reason)
