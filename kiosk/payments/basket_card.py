"""Paying a household basket by bank card (issue 22): one PIN, one 0200 for the basket's total, with the chip's
field 55 (kiosk/payments/emv_terminal.py), each state of the basket and its lines journaled before the call.

created → (first GENERATE AC) → auth_sent (the transaction reference first) → 0200 → (second GENERATE AC: TC)
→ approved → each line posted on its own key (basket_payments.post_lines) → posted → receipt → done.
A decline, an AAC or a request never sent: declined, nothing taken. An unknown outcome or a card that refuses
after the host approved: the reversal is stored (reversal_pending) and sent (reversed), the whole amount.

A line the fee system refuses after the approval (paid meanwhile elsewhere) cannot be reversed alone: a 0400
reversal (冲正) and a void (撤销) undo the whole purchase, for its full amount, under the UnionPay terminal
convention; part of a purchase goes back by a refund (退货, 0220, a separate message against the original purchase,
docs/bank.md). Store and forward, like a reversal: the line goes to reversal_pending (the stored message's state),
the refund's own reference (a new STAN) is journaled in the line's channel_ref before the 0220 leaves, and the
0220 is sent with that same reference until the host answers (the host books one refund per reference); then the
line is refunded, the state QR lines refunded alone already end in (reversed would say the purchase was undone,
and the host still counts it, its refund on the credit side). The rest of the basket stands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from drivers.bankhost import BankHostClient, BankHostError, HostDeclined, HostOutcomeUnknown, TransactionRef
from drivers.bankhost.client import BankCard
from drivers.bankhost.errors import not_signed_on, reversals_pending
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import BasketQuote, FeeSystem
from kiosk.payments import emv_terminal
from kiosk.payments.basket_journal import BasketEntry, BasketJournal
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.emv_terminal import ChipCard, ChipTransaction
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.settlement import link_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BasketCardResult:
    basket: BasketEntry
    approved: bool
    returned: bool = False  # money was taken and has been given back (reversed)
    response_code: str | None = None
    chip_message: str | None = None

    @property
    def pin_wrong(self) -> bool:
        return self.response_code == "55"


class BasketCardPayments:
    def __init__(
        self, journal: Journal, fee_system: FeeSystem, client: BankHostClient, *, reserve: DiskReserve | None = None
    ) -> None:
        self.journal = journal
        self.baskets = BasketJournal(journal)
        self.lines = BasketPayments(journal, fee_system)
        self.client = client
        self.reserve = reserve

    def authorize(
        self, quote: BasketQuote, card: BankCard, pin_block: bytes, chip: ChipCard | None = None
    ) -> BasketCardResult:
        with link_of(self.client).gate.purchase():
            return self._authorize(quote, card, pin_block, chip)

    def _authorize(
        self, quote: BasketQuote, card: BankCard, pin_block: bytes, chip: ChipCard | None
    ) -> BasketCardResult:
        if not self.client.signed_on:
            raise not_signed_on("sign on before the PIN is entered")
        if self.reserve is not None:
            self.reserve.require()
        if send_basket_reversals(self.journal, self.client):
            raise reversals_pending("a basket's stored reversal is not yet acknowledged")
        ref = self.client.new_transaction(quote.total_fen)
        basket = self.baskets.create(quote, PayMethod.BANK_CARD)
        _in_flight.add(basket.basket_no)
        try:
            return self._purchase(basket, quote, card, pin_block, chip, ref)
        finally:
            _in_flight.discard(basket.basket_no)

    def _purchase(
        self,
        basket: BasketEntry,
        quote: BasketQuote,
        card: BankCard,
        pin_block: bytes,
        chip: ChipCard | None,
        ref: TransactionRef,
    ) -> BasketCardResult:
        tx: ChipTransaction | None = None
        if chip is not None:
            try:
                tx = emv_terminal.first_generate_ac(
                    chip, quote.total_fen, ref.local_time, ref.stan, self.client.terminal_id
                )
            except Exception as error:  # the chip failed before anything was sent
                return self._declined(
                    basket, f"chip could not complete: {error}; nothing sent", emv_terminal.MSG_CHIP_FAILED
                )
            if tx.first.kind != emv_terminal.emv.ARQC:
                return self._declined(
                    basket, f"card answered {tx.first.kind} to the first GENERATE AC; nothing sent",
                    emv_terminal.MSG_DECLINED_OFFLINE,
                )  # fmt: skip
        basket = self.baskets.advance_all(
            basket.basket_no, PaymentState.AUTH_SENT, note=f"0200 stan {ref.stan}", order_no=ref.to_text()
        )
        try:
            approval = self.client.purchase(card, quote.total_fen, pin_block, ref, tx.request_field55 if tx else None)
        except HostDeclined as error:
            if chip is not None and tx is not None:
                emv_terminal.decline(chip, tx, error.response_code)
            result = self._declined(basket, f"declined {error.response_code}", None)
            return BasketCardResult(result.basket, False, response_code=error.response_code)
        except HostOutcomeUnknown as error:
            return self._reverse(basket, ref.with_reason(error.reason), f"outcome unknown: {error.code}")
        except BankHostError as error:
            if error.sent:
                return self._reverse(basket, ref.with_reason("06"), f"{error.code} after sending")
            return self._declined(basket, f"not sent: {error.code}", None)
        if chip is not None and tx is not None:
            decision = emv_terminal.complete(chip, tx, approval.response_code, approval.icc_response)
            if not decision.approve:
                reason = decision.reason or emv_terminal.CARD_SILENT
                stored = ref.with_reason(emv_terminal.REVERSAL_REASON_CODE, tx.final_field55())
                return self._reverse(basket, stored, f"ic_reversal={reason}; rrn {approval.rrn}")
            store = link_of(self.client).store
            if store is not None:
                store.keep_tc(ref, tx.tc_field55())
        basket = self.baskets.advance_all(
            basket.basket_no,
            PaymentState.APPROVED,
            note=f"approved, auth {approval.auth_code}",
            channel_ref=approval.rrn,
        )
        if tx is not None and tx.second is not None:
            try:
                self.client.upload(ref, approval.rrn, tx.tc_field55())
            except BankHostError as error:
                log.info("basket %s: TC upload not acknowledged (%s)", basket.basket_no, error.code)
        return BasketCardResult(basket, True)

    def post(self, basket: BasketEntry) -> BasketOutcome:
        """Each line on its own key; a line refused is refunded alone by a refund message (module doc)."""
        outcome = self.lines.post_lines(basket)
        if outcome.refunded:
            send_basket_refunds(self.journal, self.client, basket.basket_no)
            outcome.basket = self.baskets.get(basket.basket_no)
        return outcome

    def receipt_result(self, basket: BasketEntry, error: str | None) -> BasketEntry:
        return self.lines.receipt_result(basket, error)

    def _declined(self, basket: BasketEntry, note: str, chip_message: str | None) -> BasketCardResult:
        basket = self.baskets.advance_all(basket.basket_no, PaymentState.DECLINED, note=f"{note}; no money moved")
        return BasketCardResult(basket, False, chip_message=chip_message)

    def _reverse(self, basket: BasketEntry, ref: TransactionRef, note: str) -> BasketCardResult:
        basket = self.baskets.advance_all(
            basket.basket_no, PaymentState.REVERSAL_PENDING, note=f"{note}; reversal stored", order_no=ref.to_text()
        )
        _in_flight.discard(basket.basket_no)
        send_basket_reversals(self.journal, self.client)
        basket = self.baskets.get(basket.basket_no)
        return BasketCardResult(basket, False, returned=basket.state is PaymentState.REVERSED)


def send_basket_reversals(journal: Journal, client: BankHostClient) -> int:
    """Every card basket whose whole purchase must be undone (auth_sent after a stop, reversal_pending): its 0400,
    journaled reversed when acknowledged. The number still pending. Called with the single payments'
    (kiosk/payments/card.py send_pending_reversals), so that start-up, recovery and each new purchase send them."""
    baskets = BasketJournal(journal)
    pending = 0
    for basket in baskets.unfinished():
        if basket.pay_method is not PayMethod.BANK_CARD or basket.basket_no in _in_flight:
            continue
        if basket.state is PaymentState.AUTH_SENT:
            basket = baskets.advance_all(
                basket.basket_no, PaymentState.REVERSAL_PENDING, note="no answer recorded for the 0200 (restart)"
            )
        if basket.state is not PaymentState.REVERSAL_PENDING:
            continue
        try:
            ref = TransactionRef.from_text(basket.order_no or "")
        except ValueError:
            baskets.advance_all(basket.basket_no, PaymentState.FLAGGED, note="no usable transaction reference")
            continue
        try:
            if not client.signed_on:
                client.sign_on()
            code = client.reverse(ref)
        except BankHostError as error:
            log.warning("basket %s reversal not acknowledged: %s", basket.basket_no, error.code)
            pending += 1
            continue
        baskets.advance_all(basket.basket_no, PaymentState.REVERSED, note=f"reversal acknowledged ({code})")
    send_basket_refunds(journal, client)
    return pending


# The host's answers that no resending changes: no such purchase (25), more than is left of it (13), a reference
# used for something else (94), a malformed message (30): a technician settles the line.
REFUND_REFUSED = frozenset({"12", "13", "25", "30", "94"})


def send_basket_refunds(journal: Journal, client: BankHostClient, basket_no: str | None = None) -> int:
    """Every card basket line waiting for its refund message (of ``basket_no``, or all): the refund's reference
    journaled first, then the 0220; refunded when the host answers. The number still waiting."""
    baskets = BasketJournal(journal)
    pending = 0
    for basket, line in baskets.lines_awaiting_refund():
        if basket_no not in (None, basket.basket_no) or basket.basket_no in _in_flight:
            continue
        try:
            original = TransactionRef.from_text(basket.order_no or "")
        except ValueError:
            _flag_line(baskets, basket, line.line_no, "no usable reference of the purchase to refund")
            continue
        ref = _stored_refund(line.entry.channel_ref)
        if ref is None:
            ref = client.new_transaction(line.entry.amount_fen)
            baskets.advance(
                basket.basket_no, None, note=f"line {line.line_no}: refund stored, 0220 stan {ref.stan}",
                lines={line.line_no: PaymentState.REVERSAL_PENDING}, line_fields={"channel_ref": ref.to_text()},
            )  # fmt: skip
        try:
            if not client.signed_on:
                client.sign_on()
            answer = client.refund(ref, original, basket.channel_ref or "")
        except HostDeclined as error:
            if error.response_code in REFUND_REFUSED:
                _flag_line(baskets, basket, line.line_no, f"refund refused ({error.response_code})")
                continue
            log.warning("basket %s line %d refund: %s", basket.basket_no, line.line_no, error.response_code)
            pending += 1
            continue
        except BankHostError as error:
            log.warning("basket %s line %d refund not answered: %s", basket.basket_no, line.line_no, error.code)
            pending += 1
            continue
        baskets.advance(
            basket.basket_no, None, note=f"line {line.line_no}: refunded by 0220 stan {ref.stan}, rrn {answer.rrn}",
            lines={line.line_no: PaymentState.REFUNDED},
        )  # fmt: skip
        log.info("basket %s line %d refunded (%d fen)", basket.basket_no, line.line_no, ref.amount_fen)
    return pending


def card_refunds_waiting(journal: Journal) -> bool:
    """A card basket line whose refund message is not yet answered: recovery's card hook sends it."""
    return bool(BasketJournal(journal).lines_awaiting_refund())


def _stored_refund(text: str | None) -> TransactionRef | None:
    """The refund's reference, once journaled in the line's channel_ref (before, it holds the purchase's RRN)."""
    try:
        return TransactionRef.from_text(text or "")
    except ValueError:
        return None


def _flag_line(baskets: BasketJournal, basket: BasketEntry, line_no: int, note: str) -> None:
    baskets.advance(basket.basket_no, None, note=f"line {line_no}: {note}", lines={line_no: PaymentState.FLAGGED})
    log.error("basket %s line %d: %s", basket.basket_no, line_no, note)


_in_flight: set[str] = set()  # baskets whose 0200 is out now in this process (never reversed from under it)
