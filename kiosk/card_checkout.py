"""Paying by bank card (刷卡支付): read the card, the PIN on the pad, the bank's answer, the fee system, the receipt.

Blocking steps for worker threads; the screen strings them together. The money rules live in
kiosk.payments.card (journal states, stored reversals): here only what the citizen's path needs on top.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from drivers.bankcard import BankCardData
from drivers.bankcard.errors import BANKCARD_ERRORS
from drivers.base import QT_TRANSLATE_NOOP, DeviceStatus
from drivers.pcsc.errors import NO_READER
from drivers.pinpad.errors import MSG_OUT_OF_SERVICE, MSG_UNAVAILABLE, PinEntryCanceled, PinPadError
from kiosk.checkout import PaymentOutcome, finished_receipt, posting_problem, write_failure_outcome
from kiosk.devices import DeviceHub
from kiosk.feesystem.api import AlreadyPaid, FeeSystem, FeeSystemError, QrOrderState, Quote, Unavailable
from kiosk.payments import emv_terminal
from kiosk.payments.card import CardOutcome, CardPayments
from kiosk.payments.disk_reserve import DiskReserve, ReserveTooLow
from kiosk.payments.journal import Journal, JournalWriteError, PaymentState
from kiosk.receipts import ReceiptParties, ReceiptService

log = logging.getLogger(__name__)

__all__ = ["CardAttempt", "CardCheckout", "PinEntryCanceled"]  # the screen tells its own cancel from a failure

PIN_LENGTH = 6  # UnionPay debit cards in China: six digits
PIN_TIMEOUT_SECONDS = 60

MSG_POSTING_LATER = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "Your payment was taken by the bank and will be recorded in the fee system shortly. "
    "You can print the receipt later under Payment records.",
)
MSG_FEE_SYSTEM_REFUSED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The fee system did not accept the payment, so the bank has given your money back."
)
# Said only when the bank has acknowledged the reversal; a stored one (sent again until acknowledged) is "being
# returned". AlreadyPaid (the period was paid meanwhile, e.g. at another kiosk) says why.
MSG_FEE_SYSTEM_REFUSED_RETURNING = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The fee system did not accept the payment. Your money is being returned to your card."
)
MSG_ALREADY_PAID_RETURNED = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This period had already been paid, so this payment was not recorded. The bank has given your money back.",
)
MSG_ALREADY_PAID_RETURNING = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "This period had already been paid, so this payment was not recorded. Your money is being returned to your card.",
)


@dataclass(frozen=True)
class CardAttempt:
    """One PIN entry's result: paid (outcome.record), a wrong PIN (try again), or ended without money."""

    outcome: PaymentOutcome
    pin_wrong: bool = False


class CardCheckout:
    def __init__(
        self,
        journal: Journal,
        fee_system: FeeSystem,
        devices: DeviceHub,
        receipts: ReceiptService,
        clock: Callable[[], dt.datetime],
        *,
        reserve: DiskReserve | None = None,
    ) -> None:
        self.devices = devices
        self.receipts = receipts
        self.clock = clock
        self.journal = journal
        self.reserve = reserve
        bank = devices.bank
        self.payments = CardPayments(journal, fee_system, bank, reserve=reserve) if bank else None
        # True from the card read until the card is seen leaving: the result screen then asks for it back.
        self.card_in_slot = False

    @property
    def available(self) -> bool:
        return self.payments is not None and self.devices.bankcard is not None and self.devices.pinpad is not None

    def device_problem(self) -> tuple[str, str] | None:
        """Which device cannot serve a card payment now, "reader" or "pad", and why (a "DeviceMessage" source
        text); None when both can. Asked before the citizen is told to insert the card."""
        state = self.devices.bankcard.state() if self.devices.bankcard else None
        if state is None or state.status is not DeviceStatus.ONLINE:
            log.warning("bank card reader not available: %s", state.detail if state else "not configured")
            return "reader", BANKCARD_ERRORS[NO_READER].citizen_message
        problem = self.pad_problem()
        return ("pad", problem) if problem else None

    def pad_problem(self) -> str | None:
        """Why the PIN pad cannot take a PIN now (a "DeviceMessage" source text), or None when it can.

        Blocking: a silent pad takes the device timeout."""
        if self.devices.pinpad is None:
            return MSG_UNAVAILABLE
        try:
            state = self.devices.pinpad.pad_state()
        except PinPadError as error:
            log.warning("PIN pad not ready: %s", error)
            return error.citizen_message or MSG_UNAVAILABLE
        if state.tampered or not state.master_key:
            log.warning("PIN pad out of service: tampered=%s master key=%s", state.tampered, state.master_key)
            return MSG_OUT_OF_SERVICE
        return None

    def card_present(self) -> bool:
        return bool(self.devices.bankcard and self.devices.bankcard.card_present())

    def read_card_and_prepare(self) -> BankCardData:
        """The card's data, then stored reversals out and a sign-on if due: all before the PIN is asked."""
        assert self.payments and self.devices.bankcard
        card = self.devices.bankcard.read_card()
        self.payments.prepare()
        return card

    def read_pin(self, card: BankCardData, on_key: Callable[[str], None]) -> bytes:
        """The encrypted PIN block; the application never sees a digit (on_key gets "*", "clear", ...)."""
        assert self.devices.pinpad
        return self.devices.pinpad.read_pin(
            card.pan, min_len=PIN_LENGTH, max_len=PIN_LENGTH, timeout=PIN_TIMEOUT_SECONDS, on_key=on_key
        )

    def cancel_pin(self) -> None:
        if self.devices.pinpad:
            self.devices.pinpad.cancel()

    def pay(
        self, quote: Quote, payer_id_number: str, card: BankCardData, pin_block: bytes, parties: ReceiptParties
    ) -> CardAttempt:
        """The bank's answer, the posting and the receipt. A full disk or a failed journal write never raises: the
        outcome says what became of the money (kiosk.checkout.write_failure_outcome)."""
        try:
            return self._pay(quote, payer_id_number, card, pin_block, parties)
        except (ReserveTooLow, JournalWriteError) as error:
            outcome = write_failure_outcome(error)
            assert outcome is not None
            return CardAttempt(outcome)

    def _pay(
        self, quote: Quote, payer_id_number: str, card: BankCardData, pin_block: bytes, parties: ReceiptParties
    ) -> CardAttempt:
        assert self.payments
        reader = self.devices.bankcard
        chip = reader.chip() if reader is not None else None
        if reader is not None and chip is None:  # no chip session with this card: there is no stripe to fall back on
            outcome = PaymentOutcome(QrOrderState.CLOSED, None, message=emv_terminal.MSG_CHIP_FAILED)
            return CardAttempt(outcome)
        result = self.payments.authorize(quote, payer_id_number, card, pin_block, chip)
        if result.outcome is not CardOutcome.APPROVED:
            outcome = PaymentOutcome(QrOrderState.CLOSED, result.entry, message=result.citizen_message)
            return CardAttempt(outcome, pin_wrong=result.pin_wrong)
        try:
            entry, record = self.payments.post(result.entry)
        except Unavailable:
            # The money is taken and the record stays approved: recovery posts it with the same key.
            log.warning("card payment %s approved, posting deferred", result.entry.journal_no)
            return CardAttempt(PaymentOutcome(QrOrderState.PAID, result.entry, message=MSG_POSTING_LATER))
        except FeeSystemError as error:  # CardPayments.post stored the reversal and sent it once
            entry = self.journal.get(result.entry.journal_no)
            returned = entry.state is PaymentState.REVERSED
            if isinstance(error, AlreadyPaid):
                message = MSG_ALREADY_PAID_RETURNED if returned else MSG_ALREADY_PAID_RETURNING
            else:
                message = MSG_FEE_SYSTEM_REFUSED if returned else MSG_FEE_SYSTEM_REFUSED_RETURNING
            return CardAttempt(PaymentOutcome(QrOrderState.CLOSED, entry, message=message))
        problem = posting_problem(entry)
        reference = result.approval.rrn if result.approval else None
        receipt_error = self.receipts.print_for(record, parties, entry.journal_no, self.clock(), reference)
        code = receipt_error.code if receipt_error else None
        payments = self.payments
        entry, receipt_problem = finished_receipt(lambda: payments.receipt_result(entry, code), entry)
        outcome = PaymentOutcome(QrOrderState.PAID, entry, record, receipt_error, problem=problem or receipt_problem)
        return CardAttempt(outcome)
