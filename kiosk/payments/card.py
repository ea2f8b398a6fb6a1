"""A bank card payment step by step, each state journaled before the outside call it leads to (DESIGN.md §5).

created → auth_sent (with the transaction reference a reversal needs, BEFORE the 0200 goes out) → approved (with
the host's retrieval reference number) → posted (post_payment with the journal's idempotency key) →
receipt_printed → done.

An unknown outcome (no answer in time, connection dropped, an answer that cannot be completed, a crash while the
0200 was out) → reversal_pending: a stored reversal, sent before anything else and again until the host
acknowledges it → reversed. ``send_pending_reversals(journal, client)`` does that; the application calls it at
start-up, and ``CardPayments.prepare()`` (before the PIN is entered) and ``authorize`` call it before each new
card payment, refusing to send a new purchase while a reversal is still undelivered.

A decline (51, 55, 75, ...) or a request that never left the kiosk ends the record without money moving. The
journal has no state for that yet (see DECLINED_STATE below): until it has, such a record is closed through
reversal_pending → reversed *without sending a reversal*, with a note saying why.

A journal that cannot be written (kiosk/payments/write_failures.py): below the disk reserve no record is created;
a failed write before the 0200 leaves stops the payment (no money); after the host approved or did not answer,
the reversal is journaled as soon as a write succeeds again (retried) and sent; if no write succeeds, a record
still in auth_sent is reversed all the same (recovery reverses auth_sent anyway, and the host acknowledges a
reversal again), and MoneyNotRecorded tells the caller; an approved record is never reversed unjournaled
(recovery would post it). A failed write after the posting leaves the record for recovery; the payment stands.

With the card's chip (kiosk/payments/emv_terminal.py): the first GENERATE AC comes after the record is created and
before auth_sent (an AAC ends the record declined, nothing sent); the 0200 carries field 55; after the host's
approval an event "host approved, second GENERATE AC" is journaled (still auth_sent: a crash from here on is
reversed by recovery), then the card's TC makes it approved, while an AAC, a card pulled between the two GENERATE
ACs or a wrong ARPC store a reversal whose note says why. After the TC the kiosk uploads it (0320), best effort:
the day's settlement uploads it again if the host's totals differ.

The PIN is entered by the caller on the pad; these steps take the pad's encrypted PIN block as bytes. They block
on the network: the application runs them off the GUI thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from drivers.bankcard.errors import BankCardError
from drivers.bankhost import (
    Approval,
    BankHostClient,
    BankHostError,
    HostDeclined,
    HostOutcomeUnknown,
    TransactionRef,
)
from drivers.bankhost.client import BankCard
from drivers.bankhost.errors import MONEY_RETURNING, NO_MONEY_TAKEN, not_signed_on, reversals_pending
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import FeeSystem, FeeSystemError, PaymentRecord, Quote, Unavailable
from kiosk.payments import emv_terminal
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.emv_terminal import ChipCard, ChipTransaction
from kiosk.payments.journal import TRANSITIONS, Journal, JournalEntry, JournalWriteError, PaymentState
from kiosk.payments.settlement import link_of
from kiosk.payments.write_failures import MoneyNotRecorded, WriteRetry

log = logging.getLogger(__name__)

# A journal end state for "the host refused, or the request never left: no money moved". journal.py has none
# yet; when it gains PaymentState.DECLINED reachable from auth_sent, it is used instead of the stand-in.
DECLINED_STATE: PaymentState | None = getattr(PaymentState, "DECLINED", None)

# Records whose 0200 is out right now in this process: send_pending_reversals must not reverse them.
_in_flight: set[str] = set()
_in_flight_lock = threading.Lock()


class CardOutcome(StrEnum):
    APPROVED = "approved"  # money taken: post it
    DECLINED = "declined"  # the host refused (response_code says why): no money moved
    NOT_SENT = "not_sent"  # the request never left the kiosk: no money moved
    REVERSED = "reversed"  # the outcome was unknown; the host acknowledged the reversal: no money moved
    REVERSAL_PENDING = "reversal_pending"  # the outcome is unknown; the reversal is stored and will be sent


@dataclass(frozen=True)
class CardAuthorization:
    outcome: CardOutcome
    entry: JournalEntry
    approval: Approval | None = None
    error: BankHostError | None = None
    chip_message: str | None = None  # the chip's own words (declined offline, cannot complete, disagreed)

    @property
    def response_code(self) -> str | None:
        if self.approval is not None:
            return self.approval.response_code
        return self.error.response_code if isinstance(self.error, HostDeclined) else None

    @property
    def pin_wrong(self) -> bool:
        """The host said 55: the citizen may enter the PIN again (a new authorisation, a new record)."""
        return self.response_code == "55"

    @property
    def citizen_message(self) -> str | None:
        """English source string (context "DeviceMessage"); None for an approval."""
        if self.outcome is CardOutcome.APPROVED:
            return None
        if self.chip_message is not None:
            return self.chip_message
        if self.outcome is CardOutcome.REVERSED:
            return NO_MONEY_TAKEN
        if self.outcome is CardOutcome.REVERSAL_PENDING:
            return MONEY_RETURNING
        return self.error.citizen_message if self.error is not None else NO_MONEY_TAKEN


@dataclass
class ReversalReport:
    reversed: list[JournalEntry] = field(default_factory=list)
    pending: list[JournalEntry] = field(default_factory=list)
    errors: list[BankHostError] = field(default_factory=list)


def send_pending_reversals(journal: Journal, client: BankHostClient) -> ReversalReport:
    """Send every stored reversal once; journal each acknowledgement (reversed) or failure (an event).

    A card record left in auth_sent by a crash (not in flight in this process) has an unknown outcome: it becomes
    reversal_pending first. Safe to call at any time and from any thread; a reversal the host already has is
    acknowledged again, idempotently.
    """
    from kiosk.payments.basket_card import send_basket_reversals
    from kiosk.payments.basket_journal import BasketJournal

    report = ReversalReport()
    lines = BasketJournal(journal).line_journal_nos()  # a basket's lines are reversed with their basket
    for entry in journal.unfinished():
        if entry.pay_method is not PayMethod.BANK_CARD or entry.journal_no in lines:
            continue
        with _in_flight_lock:
            if entry.journal_no in _in_flight:
                continue
        if entry.state is PaymentState.AUTH_SENT:
            entry = journal.advance(
                entry.journal_no, PaymentState.REVERSAL_PENDING, note="no answer recorded for the 0200 (restart)"
            )
        if entry.state is not PaymentState.REVERSAL_PENDING:
            continue
        entry, error = _send_reversal(journal, client, entry)
        if entry.state is PaymentState.REVERSED:
            report.reversed.append(entry)
        else:
            report.pending.append(entry)
            if error is not None:
                report.errors.append(error)
    if send_basket_reversals(journal, client):  # household baskets (issue 22): one 0400 for the whole purchase
        report.errors.append(reversals_pending("a basket's stored reversal is not yet acknowledged"))
    return report


def _send_reversal(
    journal: Journal, client: BankHostClient, entry: JournalEntry
) -> tuple[JournalEntry, BankHostError | None]:
    try:
        ref = TransactionRef.from_text(entry.order_no or "")
    except ValueError:
        note = "stored reversal has no usable transaction reference: a technician must settle it with the bank"
        return journal.advance(entry.journal_no, PaymentState.FLAGGED, note=note), None
    try:
        if not client.signed_on:
            client.sign_on()
        code = client.reverse(ref)
    except BankHostError as error:
        log.warning("reversal of %s not acknowledged: %s", entry.journal_no, error.code)
        note = f"reversal not acknowledged: {error.code}: {error.detail}"
        try:
            return journal.advance(entry.journal_no, PaymentState.REVERSAL_PENDING, note=note), error
        except JournalWriteError:  # only a note: the stored reversal stands and is sent again
            return entry, error
    note = f"reversal acknowledged by the host ({code}), stan {ref.stan}"
    try:
        return journal.advance(entry.journal_no, PaymentState.REVERSED, note=note), None
    except JournalWriteError as write_error:  # the money is back; recovery sends it again and ends the record
        raise MoneyNotRecorded(entry, returned=True, cause=str(write_error)) from write_error


def _end_without_money(journal: Journal, entry: JournalEntry, note: str) -> JournalEntry:
    """Close a record whose money never moved (declined, or never sent)."""
    if DECLINED_STATE is not None and DECLINED_STATE in TRANSITIONS[entry.state]:
        return journal.advance(entry.journal_no, DECLINED_STATE, note=note)
    # Stand-in until the journal has a declined state: closed as reversed, but no reversal is sent (nothing to
    # reverse). A recovery that saw the intermediate state would send one: harmless, the host acknowledges it.
    journal.advance(entry.journal_no, PaymentState.REVERSAL_PENDING, note=f"{note}; no money moved")
    return journal.advance(entry.journal_no, PaymentState.REVERSED, note="closed without a reversal: no money moved")


class CardPayments:
    def __init__(
        self,
        journal: Journal,
        fee_system: FeeSystem,
        client: BankHostClient,
        *,
        reserve: DiskReserve | None = None,
        retry: WriteRetry | None = None,
    ) -> None:
        self.journal = journal
        self.fee_system = fee_system
        self.client = client
        self.reserve = reserve  # None: no disk check (an in-memory journal, tests)
        self.retry = retry or WriteRetry()

    def prepare(self) -> None:
        """Before the PIN is entered (the screens call it when the card is in): stored reversals go out, and the
        terminal signs on when it has to (new working keys: a PIN block entered before them would not decrypt).
        Raises ReversalsPending, SignOnFailed, HostUnreachable...: then card payment is not possible now."""
        with link_of(self.client).gate.purchase():  # not while the day-end settlement uses the connection
            self._send_reversals_first()
            if not self.client.signed_on:
                self.client.sign_on()

    def _send_reversals_first(self) -> None:
        report = send_pending_reversals(self.journal, self.client)
        if report.pending:
            raise reversals_pending(f"{len(report.pending)} stored reversal(s) not yet acknowledged")

    def authorize(
        self,
        quote: Quote,
        payer_id_number: str,
        card: BankCard,
        pin_block: bytes,
        chip: ChipCard | None = None,
    ) -> CardAuthorization:
        """Send the purchase for ``quote`` and journal what happened; with ``chip``, as a chip transaction (the
        two GENERATE ACs around the 0200). Raises BankHostError (ReversalsPending,
        NotSignedOn: call prepare() and take the PIN again, ...), ReserveTooLow or JournalWriteError only when
        nothing was sent; MoneyNotRecorded when money may have moved and the journal could not say what became of
        it. A purchase that starts while the day-end settlement runs waits for it (kiosk/payments/settlement.py)."""
        with link_of(self.client).gate.purchase():
            return self._authorize(quote, payer_id_number, card, pin_block, chip)

    def _authorize(
        self, quote: Quote, payer_id_number: str, card: BankCard, pin_block: bytes, chip: ChipCard | None
    ) -> CardAuthorization:
        if not self.client.signed_on:
            raise not_signed_on("sign on (prepare()) before the PIN is entered")
        if self.reserve is not None:
            self.reserve.require()
        self._send_reversals_first()
        ref = self.client.new_transaction(quote.amount_fen)  # checks the amount before a record exists
        entry = self.journal.create(
            quote.item, quote.id_number, payer_id_number, quote.quote_id, quote.amount_fen, PayMethod.BANK_CARD
        )
        with _in_flight_lock:
            _in_flight.add(entry.journal_no)
        try:
            created = entry
            tx: ChipTransaction | None = None
            if chip is not None:
                tx, ended = self._first_generate_ac(entry, chip, ref)
                if ended is not None:
                    return ended
            try:
                entry = self.journal.advance(
                    entry.journal_no, PaymentState.AUTH_SENT, order_no=ref.to_text(), note=f"0200 stan {ref.stan}"
                )
            except JournalWriteError:
                self._close_unsent(created)
                raise
            return self._purchase(entry, card, pin_block, ref, chip, tx)
        finally:
            with _in_flight_lock:
                _in_flight.discard(entry.journal_no)

    def _first_generate_ac(
        self, entry: JournalEntry, chip: ChipCard, ref: TransactionRef
    ) -> tuple[ChipTransaction | None, CardAuthorization | None]:
        """The ARQC, or the record ended without money: the card declined offline (AAC) or its chip failed."""
        try:
            tx = emv_terminal.first_generate_ac(
                chip, entry.amount_fen, ref.local_time, ref.stan, self.client.terminal_id
            )
        except BankCardError as error:
            log.warning("%s: first GENERATE AC failed: %s", entry.journal_no, error.code)
            entry = _end_without_money(self.journal, entry, f"chip could not complete: {error.code}; nothing sent")
            return None, CardAuthorization(CardOutcome.NOT_SENT, entry, chip_message=emv_terminal.MSG_CHIP_FAILED)
        if tx.first.kind == emv_terminal.emv.ARQC:
            return tx, None
        declined_offline = tx.first.kind == emv_terminal.emv.AAC
        note = (
            "declined offline: the card answered AAC to the first GENERATE AC; nothing sent"
            if declined_offline
            else f"chip could not complete: {tx.first.kind} to the first GENERATE AC; nothing sent"
        )
        entry = _end_without_money(self.journal, entry, note)
        message = emv_terminal.MSG_DECLINED_OFFLINE if declined_offline else emv_terminal.MSG_CHIP_FAILED
        outcome = CardOutcome.DECLINED if declined_offline else CardOutcome.NOT_SENT
        return None, CardAuthorization(outcome, entry, chip_message=message)

    def _purchase(
        self,
        entry: JournalEntry,
        card: BankCard,
        pin_block: bytes,
        ref: TransactionRef,
        chip: ChipCard | None = None,
        tx: ChipTransaction | None = None,
    ) -> CardAuthorization:
        icc_data = tx.request_field55 if tx is not None else None
        try:
            approval = self.client.purchase(card, entry.amount_fen, pin_block, ref, icc_data)
        except HostDeclined as error:
            note = f"declined {error.response_code}"
            if chip is not None and tx is not None:  # the card ends it too: AAC asked, whatever it answers
                note += f"; card {emv_terminal.decline(chip, tx, error.response_code) or 'gave no answer'}"
            entry = _end_without_money(self.journal, entry, note)
            return CardAuthorization(CardOutcome.DECLINED, entry, error=error)
        except HostOutcomeUnknown as error:
            return self._unknown(entry, ref, error.reason, f"{error.code}: {error.detail}", error)
        except BankHostError as error:
            if error.sent:  # sign-on-like failures after sending do not happen on a purchase; be safe anyway
                return self._unknown(entry, ref, "06", f"{error.code}: {error.detail}", error)
            entry = _end_without_money(self.journal, entry, f"not sent: {error.code}")
            return CardAuthorization(CardOutcome.NOT_SENT, entry, error=error)
        except Exception as error:  # a bug after the 0200 may have left: treat the outcome as unknown
            log.exception("card purchase %s ended unexpectedly", entry.journal_no)
            return self._unknown(entry, ref, "06", f"unexpected: {type(error).__name__}", None)
        if chip is not None and tx is not None:
            disagreed = self._second_generate_ac(entry, ref, approval, chip, tx)
            if disagreed is not None:
                return disagreed
            self._keep_tc(entry, ref, tx)
        try:
            entry = self.journal.advance(
                entry.journal_no,
                PaymentState.APPROVED,
                channel_ref=approval.rrn,
                note=f"approved, auth {approval.auth_code}",
            )
        except JournalWriteError as error:  # the bank took the money and the journal cannot say so: give it back
            log.warning("%s approved by the host, not journaled: %s", entry.journal_no, error)
            return self._unknown(entry, ref, "06", f"approval {approval.rrn} not journaled", None)
        if tx is not None and tx.second is not None:
            self._upload_tc(entry, ref, approval, tx)
        return CardAuthorization(CardOutcome.APPROVED, entry, approval=approval)

    def _second_generate_ac(
        self, entry: JournalEntry, ref: TransactionRef, approval: Approval, chip: ChipCard, tx: ChipTransaction
    ) -> CardAuthorization | None:
        """The host approved: the card has the last word. None when it gave a TC; else the reversal's outcome."""
        note = f"host approved rrn {approval.rrn}, auth {approval.auth_code}; second GENERATE AC"
        try:  # still auth_sent: a crash from here on is reversed by recovery, as the card never confirmed
            self.journal.advance(entry.journal_no, PaymentState.AUTH_SENT, note=note)
        except JournalWriteError as error:
            log.warning("%s: host approval not journaled: %s", entry.journal_no, error)
        try:
            decision = emv_terminal.complete(chip, tx, approval.response_code, approval.icc_response)
        except Exception as error:  # a bug between the two: the card never confirmed, so give the money back
            log.exception("second GENERATE AC of %s ended unexpectedly", entry.journal_no)
            decision = emv_terminal.Decision(False, emv_terminal.CARD_SILENT)
            note = f"unexpected: {type(error).__name__}"
        if decision.approve:
            return None
        reason = decision.reason or emv_terminal.CARD_SILENT
        stored = ref.with_reason(emv_terminal.REVERSAL_REASON_CODE, tx.final_field55())
        entry = self._store_reversal(
            entry, stored, f"ic_reversal={reason}: {decision.words}; rrn {approval.rrn}; reversal stored"
        )
        entry, _error = _send_reversal(self.journal, self.client, entry)
        returned = entry.state is PaymentState.REVERSED
        if reason == emv_terminal.CARD_REMOVED_BETWEEN:
            message = emv_terminal.MSG_REMOVED_RETURNED if returned else emv_terminal.MSG_REMOVED_RETURNING
        else:
            message = emv_terminal.MSG_CARD_DECLINED_RETURNED if returned else emv_terminal.MSG_CARD_DECLINED_RETURNING
        outcome = CardOutcome.REVERSED if returned else CardOutcome.REVERSAL_PENDING
        return CardAuthorization(outcome, entry, approval=approval, chip_message=message)

    def _keep_tc(self, entry: JournalEntry, ref: TransactionRef, tx: ChipTransaction) -> None:
        """The TC's field 55 into the settlement store (before the approval is journaled) for the batch upload; a
        failure is only logged: that purchase's batch upload then goes without field 55."""
        store = link_of(self.client).store
        if store is None:
            return
        try:
            store.keep_tc(ref, tx.tc_field55())
        except sqlite3.Error as error:
            log.warning("%s: TC not kept for the batch upload: %s", entry.journal_no, error)

    def _upload_tc(self, entry: JournalEntry, ref: TransactionRef, approval: Approval, tx: ChipTransaction) -> None:
        """The TC to the host at once (0320); a failure is only noted: the settlement's batch upload carries it."""
        try:
            self.client.upload(ref, approval.rrn, tx.tc_field55())
        except BankHostError as error:
            log.info("%s: TC upload not acknowledged (%s): the settlement uploads it", entry.journal_no, error.code)

    def _close_unsent(self, entry: JournalEntry) -> None:
        """The 0200 never left: end the record if the journal takes it (else recovery declines a created record)."""
        try:
            _end_without_money(self.journal, entry, "not sent: the journal could not record auth_sent")
        except JournalWriteError as error:
            log.warning("%s stays created (nothing sent): %s", entry.journal_no, error)

    def _unknown(
        self, entry: JournalEntry, ref: TransactionRef, reason: str, note: str, error: BankHostError | None
    ) -> CardAuthorization:
        entry = self._store_reversal(entry, ref.with_reason(reason), f"outcome unknown ({note}); reversal stored")
        entry, _error = _send_reversal(self.journal, self.client, entry)
        outcome = CardOutcome.REVERSED if entry.state is PaymentState.REVERSED else CardOutcome.REVERSAL_PENDING
        return CardAuthorization(outcome, entry, error=error)

    def _store_reversal(self, entry: JournalEntry, ref: TransactionRef, note: str) -> JournalEntry:
        """Journal the reversal before it is sent, retrying a failed write. When no write succeeds: a record still
        in auth_sent is reversed unjournaled (recovery reverses auth_sent anyway); an approved one is not (recovery
        would post it). Either way MoneyNotRecorded says whether the money is back."""
        order_no = ref.to_text()
        try:
            return self.retry(
                lambda: self.journal.advance(
                    entry.journal_no, PaymentState.REVERSAL_PENDING, order_no=order_no, note=note
                )
            )
        except JournalWriteError as error:
            returned = entry.state is PaymentState.AUTH_SENT and self._reverse_unjournaled(entry, ref)
            raise MoneyNotRecorded(entry, returned=returned, cause=str(error)) from error

    def _reverse_unjournaled(self, entry: JournalEntry, ref: TransactionRef) -> bool:
        try:
            if not self.client.signed_on:
                self.client.sign_on()
            code = self.client.reverse(ref)
        except BankHostError as error:
            log.warning("TECHNICIAN: %s unjournaled and its reversal not acknowledged: %s", entry.journal_no, error)
            return False
        log.warning("TECHNICIAN: %s reversed (%s) but not journaled: recovery ends the record", entry.journal_no, code)
        return True

    def reverse_approved(self, entry: JournalEntry, reason: str, note: str) -> JournalEntry:
        """Give the money back for an approved payment that cannot be completed (the fee system refused it):
        store the reversal and send it once (send_pending_reversals repeats it until acknowledged)."""
        current = self.journal.get(entry.journal_no)
        if current.state is not PaymentState.APPROVED:
            raise ValueError(f"{entry.journal_no} is {current.state}, not approved")
        ref = TransactionRef.from_text(current.order_no or "").with_reason(reason)
        current = self._store_reversal(current, ref, f"{note}; reversal stored")
        return _send_reversal(self.journal, self.client, current)[0]

    def post(self, entry: JournalEntry) -> tuple[JournalEntry, PaymentRecord]:
        """Post an approved payment to the fee system with the journal's idempotency key.

        Unavailable (the fee system did not answer): the record stays approved and the error is raised; posting
        again later (same key) posts it once. Any other refusal: the card payment is reversed (the citizen's money
        goes back), then the error is raised.
        """
        current = self.journal.get(entry.journal_no)
        if current.state not in (PaymentState.APPROVED, PaymentState.POSTED):
            raise ValueError(f"{entry.journal_no} is {current.state}, not approved")
        try:
            record = self.fee_system.post_payment(
                current.idempotency_key,
                current.quote_id,
                PayMethod.BANK_CARD,
                current.channel_ref or "",
                current.payer_id_number,
            )
        except Unavailable:
            raise
        except FeeSystemError as error:
            if current.state is PaymentState.APPROVED:
                self.reverse_approved(current, "06", f"fee system refused the payment: {error.code}")
            raise
        if record.amount_fen != current.amount_fen:  # never expected: the quote fixes the amount
            self.journal.advance(entry.journal_no, PaymentState.FLAGGED, note="posted amount differs from the card")
            raise ValueError("the fee system posted another amount than the card paid")
        if current.state is PaymentState.APPROVED:
            try:
                current = self.journal.advance(entry.journal_no, PaymentState.POSTED, payment_no=record.payment_no)
            except JournalWriteError as error:  # posted all the same: recovery finds it by key and ends the record
                log.warning("%s posted as %s, not journaled: %s", entry.journal_no, record.payment_no, error)
        return current, record

    def receipt_result(self, entry: JournalEntry, error: str | None) -> JournalEntry:
        """After printing: done, with the failure recorded so that Query can reprint the receipt."""
        if error is None:
            self.journal.advance(entry.journal_no, PaymentState.RECEIPT_PRINTED)
            return self.journal.advance(entry.journal_no, PaymentState.DONE)
        return self.journal.advance(entry.journal_no, PaymentState.DONE, receipt_error=error)


__all__ = [
    "CardAuthorization",
    "CardOutcome",
    "CardPayments",
    "ReversalReport",
    "send_pending_reversals",
]
