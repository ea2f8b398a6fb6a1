"""Recovery of household baskets (issue 22): every unfinished basket driven to an end state, like single
payments (kiosk/payments/recovery.py runs it), by asking the fee system and its QR channel what happened.

created (QR): the order may have been opened before the stop: the same key returns it, and it is closed (or, if
paid meanwhile, settled). created (card): the 0200 is journaled before it leaves, so none left: declined.
order_opened: paid → post the lines; open → closed; refunded → refunded. paid / approved: post the lines not yet
posted (each on its own key: a line posted before the stop is returned, never posted twice). posted: the receipt is
not known printed: done, reprint from Query. Each way to done asks the fee system for the basket's own code (its
seal) when the journal has none yet. A card basket with a line waiting for its refund message is left to
the card path (kiosk/payments/basket_card.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import FeeSystem, FeeSystemError, QrOrderState
from kiosk.payments.basket_journal import BasketEntry, BasketJournal
from kiosk.payments.basket_payments import BasketPayments
from kiosk.payments.journal import Journal, JournalError, PaymentState

log = logging.getLogger(__name__)

NOT_PRINTED = "not printed (recovery)"
TRANSIENT = (TimeoutError, ConnectionError, OSError)


class BasketRecovery:
    def __init__(self, journal: Journal, fee_system: FeeSystem, clock: Callable[[], dt.datetime]) -> None:
        self.baskets = BasketJournal(journal)
        self.payments = BasketPayments(journal, fee_system)
        self.fee_system = fee_system
        self.clock = clock

    def run(self, cutoff: dt.datetime, record: Callable[..., Any]) -> None:
        """Each unfinished basket last changed at or before ``cutoff``; ``record(basket, before, outcome, steps,
        error)`` reports it (recovery.py builds its RecordReport)."""
        for basket in self.baskets.unfinished():
            if basket.updated_at > cutoff:
                record(basket, basket, "unchanged", ["recent: left to the session"], None)
                continue
            steps: list[str] = []
            try:
                for _ in range(8):
                    current = self.baskets.get(basket.basket_no)
                    if current.finished or not self._step(current, steps):
                        break
            except (FeeSystemError, JournalError, *TRANSIENT) as error:
                after = self.baskets.get(basket.basket_no)
                record(basket, after, "pending", steps, f"{type(error).__name__}: {error}")
                continue
            after = self.baskets.get(basket.basket_no)
            outcome = "flagged" if after.state is PaymentState.FLAGGED else ("settled" if after.finished else "pending")
            record(basket, after, outcome, steps, None)

    def _step(self, basket: BasketEntry, steps: list[str]) -> bool:
        """One step; False when the basket must wait (a card line's refund message)."""
        state = basket.state
        if state is PaymentState.CREATED and not basket.pay_method.is_qr:
            self._all(basket, PaymentState.DECLINED, steps, "the purchase was never sent: no money moved")
        elif state is PaymentState.CREATED:
            try:
                order = self.fee_system.open_basket_qr_order(
                    basket.idempotency_key, basket.basket_id, basket.pay_method
                )
            except FeeSystemError as error:
                if error.code in ("unavailable",):
                    raise
                self._all(basket, PaymentState.ORDER_CLOSED, steps, f"no order: {error.code}")
                return True
            self._all(basket, PaymentState.ORDER_OPENED, steps, "order found by key", order_no=order.order_no)
        elif state is PaymentState.ORDER_OPENED:
            assert basket.order_no
            status = self.fee_system.close_qr_order(basket.order_no)
            if status.state is QrOrderState.PAID:
                note = f"paid with {status.paid_with}" if status.paid_with else "paid"
                self._all(basket, PaymentState.PAID, steps, note, channel_ref=status.channel_txn)
            elif status.state is QrOrderState.REFUNDED:
                self._all(basket, PaymentState.REFUNDED, steps, "paid after closing: refunded by the channel")
            else:
                self._all(basket, PaymentState.ORDER_CLOSED, steps, "closed unpaid")
        elif state in (PaymentState.PAID, PaymentState.APPROVED):
            outcome = self.payments.post_lines(basket)
            steps.append(f"-> {outcome.basket.state}: {len(outcome.records)} posted, {len(outcome.refunded)} refunded")
            if outcome.basket.state is state:
                return False
        elif state is PaymentState.POSTED:
            waiting = [
                line for line in self.baskets.lines(basket.basket_no) if line.state is PaymentState.REVERSAL_PENDING
            ]
            if waiting:
                steps.append(f"{len(waiting)} line(s) wait for the card refund")
                return False
            self.payments.receipt_result(basket, NOT_PRINTED)
            steps.append("-> done: receipt not known to be printed: reprint from Query")
        elif state is PaymentState.RECEIPT_PRINTED:
            posted = {
                line.line_no: PaymentState.DONE
                for line in self.baskets.lines(basket.basket_no)
                if line.state is PaymentState.POSTED
            }
            self.baskets.advance(
                basket.basket_no,
                PaymentState.DONE,
                note="recovery: receipt was printed",
                lines=posted,
                verification_code=self.payments.seal(basket) if posted else basket.verification_code,
            )
            steps.append("-> done")
        else:
            return False
        return True

    def _all(self, basket: BasketEntry, state: PaymentState, steps: list[str], note: str, **fields: str | None) -> None:
        self.baskets.advance_all(basket.basket_no, state, note=f"recovery: {note}", **fields)
        steps.append(f"-> {state}: {note}")


def card_baskets_waiting(journal: Journal) -> bool:
    """A card basket whose purchase must be reversed (auth_sent after a stop, reversal_pending): the card hook's."""
    return any(
        basket.pay_method is PayMethod.BANK_CARD
        and basket.state in (PaymentState.AUTH_SENT, PaymentState.REVERSAL_PENDING)
        for basket in BasketJournal(journal).unfinished()
    )
