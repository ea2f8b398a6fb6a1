"""A household basket through the card screen's machine (issue 22): CardCheckout's card read, PIN and devices as
they are, and a pay() that authorises the basket's total once and posts every line (kiosk/payments/basket_card.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from drivers.bankhost.client import BankCard
from kiosk.basket_receipt import print_basket_receipt
from kiosk.card_checkout import CardAttempt, CardCheckout
from kiosk.checkout import PaymentOutcome
from kiosk.feesystem.api import FeeSystem, QrOrderState, Unavailable
from kiosk.payments import emv_terminal
from kiosk.payments.basket_card import BasketCardPayments
from kiosk.payments.journal import Journal
from kiosk.receipts import ReceiptParties, ReceiptService
from kiosk.session import Session

log = logging.getLogger(__name__)


class BasketCardCheckout:
    def __init__(
        self,
        cards: CardCheckout,
        journal: Journal,
        fee_system: FeeSystem,
        receipts: ReceiptService,
        session: Session,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.cards = cards
        self.journal = journal
        self.fee_system = fee_system
        self.receipts = receipts
        self.session = session
        self.clock = clock

    def __getattr__(self, name: str) -> Any:  # available, device_problem, read_card_and_prepare, read_pin, ...
        return getattr(self.cards, name)

    def pay(
        self, quote: Any, payer_id_number: str, card: BankCard, pin_block: bytes, parties: ReceiptParties
    ) -> CardAttempt:
        """One purchase for the basket's total; the basket's outcome goes to the session for its result screen."""
        bank = self.cards.devices.bank
        basket_quote = self.session.basket_quote
        assert bank is not None and basket_quote is not None
        reader = self.cards.devices.bankcard
        chip = reader.chip() if reader is not None else None
        if reader is not None and chip is None:
            return CardAttempt(PaymentOutcome(QrOrderState.CLOSED, None, message=emv_terminal.MSG_CHIP_FAILED))
        payments = BasketCardPayments(self.journal, self.fee_system, bank, reserve=self.cards.reserve)
        result = payments.authorize(basket_quote, card, pin_block, chip)
        if not result.approved:
            return CardAttempt(
                PaymentOutcome(QrOrderState.CLOSED, None, message=result.chip_message), pin_wrong=result.pin_wrong
            )
        try:
            outcome = payments.post(result.basket)
        except Unavailable:  # approved, lines not yet posted: recovery posts them with their keys
            log.warning("basket %s approved, postings deferred", result.basket.basket_no)
            return CardAttempt(PaymentOutcome(QrOrderState.PAID, None))
        names = {item.quote.id_number: item.name for item in self.session.basket.items}
        print_basket_receipt(self.receipts, payments, outcome, parties.payer_name, names, self.clock())
        self.session.basket_outcome = outcome
        return CardAttempt(PaymentOutcome(QrOrderState.PAID, None))
