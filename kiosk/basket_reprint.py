"""补打 of a household basket's one receipt from Query (issue 22): a line's record that belongs to a basket the person
paid brings back the whole basket receipt (kiosk/basket_receipt.py), marked as a reprint, with the basket's code.

What the receipt needs is rebuilt from the basket journal (its lines, amounts, payment numbers, refunded lines, the
code kept since migration 4); a line's period and own code live only in the fee system's record, so those come
from the records Query already holds, else from the fee system (find_payment, by the line's key). A basket whose
code the fee system could not give at payment time asks for it again (seal_basket, idempotent); still without
it, the receipt is printed without the QR and each line keeps its own code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping

from kiosk.basket_receipt import basket_document
from kiosk.feesystem.api import FeeSystem, FeeSystemError, PaymentRecord, UnknownRecord
from kiosk.payments.basket_journal import BasketEntry, BasketJournal
from kiosk.payments.basket_payments import POSTED, BasketOutcome, BasketPayments, RefundedLine
from kiosk.payments.journal import Journal, JournalError, PaymentState
from kiosk.receipts import ReceiptService

log = logging.getLogger(__name__)

GIVEN_BACK = (PaymentState.REFUNDED, PaymentState.REVERSAL_PENDING, PaymentState.REVERSED)


def basket_to_reprint(journal: Journal, record: PaymentRecord, person_id_number: str) -> BasketEntry | None:
    """The basket whose one receipt stands for ``record`` when the person asking paid it. A payee asking for their
    own line gets that line's receipt instead (None): the household's other lines are not theirs to print."""
    basket = BasketJournal(journal).of_payment(record.payment_no)
    return basket if basket is not None and basket.payer_id_number == person_id_number else None


def rebuild_outcome(
    journal: Journal, fee_system: FeeSystem, basket: BasketEntry, known: Mapping[str, PaymentRecord]
) -> BasketOutcome:
    """The basket's outcome as its receipt prints it; ``known``: records at hand by payment number. Raises the
    fee system's error when a posted line's record cannot be had (the receipt is not printed half)."""
    outcome = BasketOutcome(basket)
    for line in BasketJournal(journal).lines(basket.basket_no):
        entry = line.entry
        if line.state in POSTED:
            record = known.get(entry.payment_no or "") or fee_system.find_payment(entry.idempotency_key)
            if record is None:
                raise UnknownRecord(f"basket {basket.basket_no} line {line.line_no}: no posted record")
            outcome.records.append((line.line_no, record))
        elif line.state in GIVEN_BACK:
            outcome.refunded.append(
                RefundedLine(line.line_no, entry.journal_no, entry.amount_fen, entry.note or "already_paid")
            )
    if outcome.records and not basket.verification_code:
        code = BasketPayments(journal, fee_system).seal(basket)  # None when still not to be had: no QR
        outcome.basket = dataclasses.replace(basket, verification_code=code)
        if code:
            _keep_code(journal, basket, code)
    return outcome


def _keep_code(journal: Journal, basket: BasketEntry, code: str) -> None:
    """Journal a code had only now, in the basket's own state (a note), so that the next reprint need not ask;
    a journal that cannot take it (a full disk) costs only that: the receipt prints."""
    try:
        BasketJournal(journal).advance(
            basket.basket_no, basket.state, note="basket code had at a reprint", verification_code=code
        )
    except JournalError as error:
        log.warning("basket %s: code not journaled (%s)", basket.basket_no, error)


def payee_names(fee_system: FeeSystem, outcome: BasketOutcome, payer_name: str) -> dict[str, str]:
    """Each line's person by ID number (masked on the receipt); one the fee system cannot name prints masked ID."""
    names = {outcome.basket.payer_id_number: payer_name}
    for _line_no, record in outcome.records:
        if record.id_number not in names:
            try:
                names[record.id_number] = fee_system.registration(record.id_number).name
            except FeeSystemError:
                names[record.id_number] = ""
    return names


def reprint_basket(
    receipts: ReceiptService,
    journal: Journal,
    fee_system: FeeSystem,
    basket: BasketEntry,
    payer_name: str,
    now: dt.datetime,
    known: Mapping[str, PaymentRecord] | None = None,
) -> BasketOutcome:
    """Print the basket's receipt again (补打), counted for every line it shows. Raises the printer's DeviceError
    or the fee system's error."""
    outcome = rebuild_outcome(journal, fee_system, basket, known or {})
    names = payee_names(fee_system, outcome, payer_name)
    document = basket_document(receipts, outcome, payer_name, names, now, reprint=True)
    receipts.reprint_document(document, [record.payment_no for _line_no, record in outcome.records])
    return outcome
