"""Recovery: drive every unfinished journal record to an end state by asking what really happened (DESIGN.md §5).

Run at start-up (nothing is in flight: ``min_age`` zero) and periodically while the kiosk is idle (``min_age`` at
least the QR payment timeout, so that a record a session is still moving is never touched). Every outside call is
idempotent by the record's key, so a recovery that is itself interrupted simply runs again.

    created          the order may or may not exist: open it again with the same key (same order), then as below
    order_opened     ask the channel: open -> close it (order_closed); paid -> paid; closed -> order_closed;
                     refunded -> refunded
    paid, approved   post with the same key (posted); a refusal by the fee system: a QR payment the channel
                     refunded (AlreadyPaid: the fee system has it refunded) -> refunded, otherwise flagged (money was
                     taken, the kiosk has no refund call); a card payment is reversed (reversal_pending, then the
                     card hook in the same run), as the session itself does
    posted           the receipt is not known to be printed: done, receipt_error "not_printed" (Query reprints it)
    receipt_printed  done
    order_closed     (end state) a late payment refunded by the channel: refunded
    auth_sent, reversal_pending, card created
                     the card hook the caller passes: ``kiosk.payments.card.send_pending_reversals`` with a bank
                     host client (the kiosk's background recovery, ``BankReversalHook`` for `kiosk recover`)

A failure to reach the fee system leaves the record as it is (outcome "pending", retried next run); an answer
that settles nothing (unknown order, refused posting) flags it for a technician with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import (
    AlreadyPaid,
    FeeSystem,
    FeeSystemError,
    QrOrderState,
    Unavailable,
    UnknownRecord,
)
from kiosk.payments.basket_card import card_refunds_waiting
from kiosk.payments.basket_journal import BasketEntry, BasketJournal
from kiosk.payments.basket_recovery import BasketRecovery, card_baskets_waiting
from kiosk.payments.journal import END_STATES, TRANSITIONS, Journal, JournalEntry, JournalError, PaymentState

log = logging.getLogger(__name__)

NOT_PRINTED = "not_printed"
# How far back recovery looks for closed orders that the channel may have refunded since.
LATE_REFUND_LOOKBACK = dt.timedelta(days=2)
# Card states only the card module can settle (it holds the bank messages and stored reversals).
CARD_HOOK_STATES = frozenset({PaymentState.AUTH_SENT, PaymentState.REVERSAL_PENDING})
MAX_STEPS = 8  # a record needs at most five; more means a loop
REVERSAL_REASON = "06"  # ISO 8583 field 39 of a reversal the kiosk decides on (drivers.bankhost REASON_OTHER)

# What settles card records (auth_sent, reversal_pending, card created): called with the journal once per run when
# some wait, e.g. ``lambda journal: send_pending_reversals(journal, bank)`` or a BankReversalHook. None: they wait.
CardHook = Callable[[Journal], object]

# Errors that say "not now" rather than "no": the record stays as it is and the next run tries again.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (Unavailable, TimeoutError, ConnectionError, OSError)


class Outcome:
    SETTLED = "settled"  # reached an end state other than flagged
    FLAGGED = "flagged"  # a technician must settle it; the note says why
    PENDING = "pending"  # left unfinished (fee system or card module unavailable): the next run retries
    UNCHANGED = "unchanged"  # skipped: too recent (a session may still be moving it)


@dataclass
class RecordReport:
    """What recovery did to one journal record. No personal data but the masked ID number."""

    journal_no: str
    pay_method: str
    amount_fen: int
    person: str  # masked ID number
    from_state: str
    to_state: str
    outcome: str
    steps: list[str] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "journal_no": self.journal_no,
            "pay_method": self.pay_method,
            "amount_fen": self.amount_fen,
            "person": self.person,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "outcome": self.outcome,
            "steps": list(self.steps),
            "error": self.error,
        }


@dataclass
class RecoveryReport:
    records: list[RecordReport] = field(default_factory=list)
    card_hook: str = "not_needed"  # not_needed | called | unavailable | failed
    skipped: dict[str, str] = field(default_factory=dict)  # journal no -> why its row cannot be read

    @property
    def ok(self) -> bool:
        """Every record touched reached an end state or was flagged with a reason, and none was unreadable."""
        return not self.skipped and all(record.outcome != Outcome.PENDING for record in self.records)

    def counts(self) -> dict[str, int]:
        counts = {Outcome.SETTLED: 0, Outcome.FLAGGED: 0, Outcome.PENDING: 0, Outcome.UNCHANGED: 0}
        for record in self.records:
            counts[record.outcome] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": self.counts(),
            "card_hook": self.card_hook,
            "records": [record.as_json() for record in self.records],
            "skipped": [{"journal_no": no, "reason": reason} for no, reason in sorted(self.skipped.items())],
        }


class _Pending(Exception):
    """Stop working on this record for now (transient failure)."""


class BankReversalHook:
    """The card hook for `kiosk recover`: ``send_pending_reversals(journal, client)`` with a bank host client
    built from the configuration on first use (only when card records wait for a reversal).

    Simulated mode (the default configuration, and `--state DIR`) has the simulated world (kiosk/simulated.py)
    start the PIN pad simulator on the state dir's ``pinpad.json`` and the bank host simulator on its ``bank/``
    directory, the files a kiosk in simulated mode and `kiosk sim --state DIR` keep: the reversal reaches the very
    ledger that booked the purchase. Real mode opens the configured pad (it computes the MACs) and connects to the
    configured host. Close it when done.
    """

    def __init__(self, config: Any) -> None:
        self.config = config
        self._client: Any = None
        self._closers: list[Callable[[], None]] = []

    def __call__(self, journal: Journal) -> Any:
        from kiosk.payments.card import send_pending_reversals

        return send_pending_reversals(journal, self.client())

    def client(self) -> Any:
        """The bank host client, connected on first use (`kiosk settle` settles through it too)."""
        return self._client or self._connect()

    def _connect(self) -> Any:
        # Imported here: recovery of QR payments needs no drivers at all.
        from kiosk.devices import DeviceHub
        from kiosk.simulated import simulated_parts, simulated_world

        stand_ins = None
        if parts := simulated_parts(self.config, ("devices.pinpad", "bank")):
            stand_ins = simulated_world().start_stand_ins(self.config, parts)
            self._closers.append(stand_ins.stop)
        hub = DeviceHub(self.config, stand_ins)
        self._closers.append(hub.stop)
        self._client = hub.start_bank_connection()
        return self._client

    def close(self) -> None:
        closers, self._closers = self._closers, []
        for close in reversed(closers):  # the last opened first: the hub's devices before their simulators
            with contextlib.suppress(Exception):
                close()

    def __enter__(self) -> BankReversalHook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Recovery:
    def __init__(
        self,
        journal: Journal,
        fee_system: FeeSystem,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        card_hook: CardHook | None = None,
        late_refund_lookback: dt.timedelta = LATE_REFUND_LOOKBACK,
    ) -> None:
        self.journal = journal
        self.fee_system = fee_system
        self.clock = clock
        self.card_hook = card_hook
        self.late_refund_lookback = late_refund_lookback

    # --- the run ----------------------------------------------------------------------------------------

    def run(self, min_age: dt.timedelta = dt.timedelta(0)) -> RecoveryReport:
        """One pass over the journal. ``min_age``: leave records updated more recently than this alone."""
        report = RecoveryReport()
        # With no min_age nothing is in flight (start-up): even a record stamped "later" by a skewed clock is due.
        cutoff = self.clock() - min_age if min_age > dt.timedelta(0) else dt.datetime.max
        # A household basket's lines are driven with their basket (kiosk/payments/basket_recovery.py).
        lines = BasketJournal(self.journal).line_journal_nos()
        unfinished = [entry for entry in self.journal.unfinished() if entry.journal_no not in lines]
        card_records = [e for e in unfinished if self._needs_card_hook(e) and e.updated_at <= cutoff]
        if card_records or card_baskets_waiting(self.journal) or card_refunds_waiting(self.journal):
            report.card_hook = self._call_card_hook()
        for entry in unfinished:
            if entry.updated_at > cutoff:
                report.records.append(self._report(entry, entry, Outcome.UNCHANGED, ["recent: left to the session"]))
                continue
            report.records.append(self._recover(entry, report.card_hook))
        self._send_reversals_stored_now(report)
        BasketRecovery(self.journal, self.fee_system, self.clock).run(cutoff, _basket_reporter(report))
        for entry in self._closed_orders_to_check(cutoff):
            record = self._check_late_refund(entry)
            if record is not None:
                report.records.append(record)
        # Rows this program cannot read (an unknown state, method or time) are skipped, never fatal: reported.
        report.skipped = dict(self.journal.unreadable)
        for record in report.records:
            if record.outcome != Outcome.UNCHANGED:
                log.info(
                    "recovery %s: %s -> %s (%s)", record.journal_no, record.from_state, record.to_state, record.outcome
                )
        return report

    def _send_reversals_stored_now(self, report: RecoveryReport) -> None:
        """Reversals this run stored (a card payment the fee system refused) go out now, not a run later."""
        stored = [
            record
            for record in report.records
            if record.outcome == Outcome.PENDING
            and record.to_state == PaymentState.REVERSAL_PENDING.value
            and record.from_state not in CARD_HOOK_STATES
        ]
        if not stored:
            return
        report.card_hook = self._call_card_hook()
        for record in stored:
            current = self.journal.get(record.journal_no)
            record.to_state = current.state.value
            record.steps.append(f"card hook {report.card_hook}: {current.state}")
            if current.state in END_STATES:
                record.outcome = Outcome.FLAGGED if current.state is PaymentState.FLAGGED else Outcome.SETTLED
                record.error = self._flag_reason(current)

    def _recover(self, entry: JournalEntry, card_hook_status: str) -> RecordReport:
        steps: list[str] = []
        current = entry
        try:
            for _ in range(MAX_STEPS):
                current = self.journal.get(entry.journal_no)
                if current.state in END_STATES:
                    break
                self._step(current, steps, card_hook_status)
            else:
                current = self._flag(current, steps, "recovery went round in circles")
        except _Pending as pending:
            current = self.journal.get(entry.journal_no)
            return self._report(entry, current, Outcome.PENDING, steps, str(pending))
        except JournalError as error:  # someone else moved it meanwhile: look again next run
            current = self.journal.get(entry.journal_no)
            return self._report(entry, current, Outcome.PENDING, steps, f"journal: {error}")
        current = self.journal.get(entry.journal_no)
        outcome = Outcome.FLAGGED if current.state is PaymentState.FLAGGED else Outcome.SETTLED
        return self._report(entry, current, outcome, steps, self._flag_reason(current))

    def _step(self, entry: JournalEntry, steps: list[str], card_hook_status: str) -> None:
        state = entry.state
        if state is PaymentState.CREATED and not entry.pay_method.is_qr:
            # auth_sent is journaled BEFORE the 0200 leaves: a card record still created never reached the bank.
            self._advance(entry, PaymentState.DECLINED, steps, "the purchase was never sent: no money moved")
        elif self._needs_card_hook(entry):
            self._card_record(entry, steps, card_hook_status)
        elif state is PaymentState.CREATED:
            self._created_qr(entry, steps)
        elif state is PaymentState.ORDER_OPENED:
            self._order_opened(entry, steps)
        elif state in (PaymentState.PAID, PaymentState.APPROVED):
            self._post(entry, steps)
        elif state is PaymentState.POSTED:
            self._advance(
                entry,
                PaymentState.DONE,
                steps,
                "receipt not known to be printed: reprint from Query",
                receipt_error=entry.receipt_error or NOT_PRINTED,
            )
        elif state is PaymentState.RECEIPT_PRINTED:
            self._advance(entry, PaymentState.DONE, steps, "receipt was printed")
        else:  # a state this program does not know how to settle
            self._flag(entry, steps, f"no recovery rule for state {state}")

    # --- QR ---------------------------------------------------------------------------------------------

    def _created_qr(self, entry: JournalEntry, steps: list[str]) -> None:
        # The order may or may not have been opened before the crash: the same key returns the same order.
        try:
            order = self._call(
                entry,
                steps,
                "open_qr_order",
                self.fee_system.open_qr_order,
                entry.idempotency_key,
                entry.quote_id,
                entry.pay_method,
            )
        except UnknownRecord:
            self._advance(entry, PaymentState.ORDER_CLOSED, steps, "no order: the quote is unknown to the channel")
            return
        except AlreadyPaid:  # a known key gets its order back: this refusal means none was opened
            self._advance(entry, PaymentState.ORDER_CLOSED, steps, "no order: the period was paid meanwhile")
            return
        except FeeSystemError as error:
            self._flag(entry, steps, f"the channel refused to look the order up again: {error.code}")
            return
        self._advance(
            entry, PaymentState.ORDER_OPENED, steps, f"order {order.order_no} looked up by key", order_no=order.order_no
        )

    def _order_opened(self, entry: JournalEntry, steps: list[str]) -> None:
        assert entry.order_no
        try:
            status = self._call(entry, steps, "qr_order_status", self.fee_system.qr_order_status, entry.order_no)
            if status.state is QrOrderState.OPEN:
                status = self._call(entry, steps, "close_qr_order", self.fee_system.close_qr_order, entry.order_no)
        except UnknownRecord:
            self._flag(entry, steps, f"the channel does not know order {entry.order_no}")
            return
        if status.amount_fen != entry.amount_fen:
            self._flag(entry, steps, f"the channel's order is {status.amount_fen} fen, the journal {entry.amount_fen}")
        elif status.state is QrOrderState.PAID:
            self._advance(entry, PaymentState.PAID, steps, "the channel says paid", channel_ref=status.channel_txn)
        elif status.state is QrOrderState.CLOSED:
            self._advance(entry, PaymentState.ORDER_CLOSED, steps, "closed unpaid")
        elif status.state is QrOrderState.REFUNDED:
            self._advance(
                entry,
                PaymentState.REFUNDED,
                steps,
                "paid after closing: refunded by the channel",
                channel_ref=status.channel_txn,
            )
        else:
            self._flag(entry, steps, f"the channel reports order state {status.state}")

    def _closed_orders_to_check(self, cutoff: dt.datetime) -> list[JournalEntry]:
        since = self.clock() - self.late_refund_lookback
        # By state and last change (the state index): the finished records of past years are never read.
        return [entry for entry in self.journal.in_state(PaymentState.ORDER_CLOSED, since, cutoff) if entry.order_no]

    def _check_late_refund(self, entry: JournalEntry) -> RecordReport | None:
        """A payment made after the order closed is refunded by the channel: record it (order_closed -> refunded)."""
        assert entry.order_no
        steps: list[str] = []
        try:
            status = self._call(entry, steps, "qr_order_status", self.fee_system.qr_order_status, entry.order_no)
        except _Pending as pending:
            return self._report(entry, entry, Outcome.PENDING, steps, str(pending))
        except FeeSystemError:
            return None  # nothing new to learn about a closed order
        if status.state is QrOrderState.REFUNDED:
            current = self._advance(
                entry,
                PaymentState.REFUNDED,
                steps,
                "late payment refunded by the channel",
                channel_ref=status.channel_txn,
            )
            return self._report(entry, current, Outcome.SETTLED, steps)
        if status.state is QrOrderState.PAID:
            # The channel kept money for an order the kiosk closed (it should have refunded it): nothing is posted
            # and the kiosk cannot refund, so a technician settles it (reconciliation shows it until then).
            current = self._flag(
                entry, steps, f"order {entry.order_no} closed, yet the channel kept {status.amount_fen} fen: technician"
            )
            return self._report(entry, current, Outcome.FLAGGED, steps, self._flag_reason(current))
        return None

    # --- posting (QR paid, card approved) -----------------------------------------------------------------

    def _post(self, entry: JournalEntry, steps: list[str]) -> None:
        try:
            record = self._call(entry, steps, "find_payment", self.fee_system.find_payment, entry.idempotency_key)
            if record is None:
                record = self._call(
                    entry,
                    steps,
                    "post_payment",
                    self.fee_system.post_payment,
                    entry.idempotency_key,
                    entry.quote_id,
                    entry.pay_method,
                    entry.channel_ref or "",
                    entry.payer_id_number,
                )
        except FeeSystemError as error:
            if entry.pay_method is PayMethod.BANK_CARD and entry.state is PaymentState.APPROVED:
                # As the session does (CardPayments.post): the card payment cannot be completed, give it back.
                self._store_reversal(entry, steps, f"the fee system refused the card payment: {error.code}")
                return
            if entry.pay_method.is_qr and entry.order_no:
                self._refused_qr(entry, steps, error)
                return
            self._flag(
                entry,
                steps,
                f"money taken ({entry.amount_fen} fen) but the fee system refused to post it: {error.code}",
            )
            return
        if record.amount_fen != entry.amount_fen:
            self._flag(entry, steps, f"posted {record.amount_fen} fen, the journal says {entry.amount_fen}")
            return
        self._advance(entry, PaymentState.POSTED, steps, f"posted as {record.payment_no}", payment_no=record.payment_no)

    def _refused_qr(self, entry: JournalEntry, steps: list[str], error: FeeSystemError) -> None:
        """A paid QR payment the fee system will not post: the channel refunds it (the fee system has it refunded
        with an AlreadyPaid refusal), so record the refund as the session does (QrPayments.settle_paid)."""
        assert entry.order_no
        refusal = f"the fee system refused to post it ({error.code})"
        try:
            status = self._call(entry, steps, "qr_order_status", self.fee_system.qr_order_status, entry.order_no)
        except FeeSystemError as lookup:
            self._flag(entry, steps, f"money taken ({entry.amount_fen} fen), {refusal}, order: {lookup.code}")
            return
        if status.state is QrOrderState.REFUNDED:
            self._advance(entry, PaymentState.REFUNDED, steps, f"{refusal}: refunded by the channel")
        elif (
            isinstance(error, AlreadyPaid)
            and status.state is QrOrderState.PAID
            and self.clock() - entry.created_at < self.late_refund_lookback
        ):
            # A platform that refunds later: not settled yet, and nothing a technician must do before it has had
            # its time; posting again is refused again (never posted), so the next run simply asks again.
            raise _Pending(f"{refusal}: the channel's refund is under way")
        else:
            self._flag(
                entry, steps, f"money taken ({entry.amount_fen} fen) but {refusal}; the channel says {status.state}"
            )

    # --- bank card --------------------------------------------------------------------------------------

    def _store_reversal(self, entry: JournalEntry, steps: list[str], reason: str) -> None:
        """approved -> reversal_pending with the purchase's reference (reason 06): the card hook sends it, in this
        run and every later one until the host acknowledges it."""
        from drivers.bankhost import TransactionRef  # only card records need the bank's references

        try:
            ref = TransactionRef.from_text(entry.order_no or "").with_reason(REVERSAL_REASON)
        except ValueError:
            self._flag(entry, steps, f"{reason}, and the record has no reference to reverse it: technician")
            return
        self._advance(entry, PaymentState.REVERSAL_PENDING, steps, f"{reason}; reversal stored", order_no=ref.to_text())

    @staticmethod
    def _needs_card_hook(entry: JournalEntry) -> bool:
        return not entry.pay_method.is_qr and entry.state in CARD_HOOK_STATES

    def _call_card_hook(self) -> str:
        if self.card_hook is None:
            log.warning("card recovery unavailable: no card hook")
            return "unavailable"
        try:
            self.card_hook(self.journal)
        except Exception as error:  # the card module's failure must not stop QR recovery
            log.warning("card recovery failed: %s", type(error).__name__)
            return "failed"
        return "called"

    def _card_record(self, entry: JournalEntry, steps: list[str], card_hook_status: str) -> None:
        if card_hook_status == "unavailable":
            raise _Pending("card recovery unavailable (no card hook)")
        if card_hook_status == "failed":
            raise _Pending("card recovery failed: retry next run")
        steps.append(f"card module left it {entry.state}")
        raise _Pending(f"card module did not settle {entry.state}: retry next run")

    # --- helpers ----------------------------------------------------------------------------------------

    def _call(self, entry: JournalEntry, steps: list[str], name: str, function: Callable[..., Any], *args: Any) -> Any:
        try:
            result = function(*args)
        except TRANSIENT_ERRORS as error:
            steps.append(f"{name}: {type(error).__name__}")
            note = f"recovery: {name} failed ({type(error).__name__}); retry later"
            self._note_once(entry, note)
            raise _Pending(note) from error
        steps.append(f"{name}: ok")
        return result

    def _flag_reason(self, entry: JournalEntry) -> str | None:
        if entry.state is not PaymentState.FLAGGED:
            return None
        notes = [note for _, state, note in self.journal.events(entry.journal_no) if state is PaymentState.FLAGGED]
        return notes[-1] if notes and notes[-1] else entry.note

    def _note_once(self, entry: JournalEntry, note: str) -> None:
        """Record a failed attempt in the events, once per streak (periodic runs must not flood the journal)."""
        events = self.journal.events(entry.journal_no)
        if events and events[-1][2] == note:
            return
        with contextlib.suppress(JournalError):
            self.journal.advance(entry.journal_no, entry.state, note=note)

    def _advance(
        self, entry: JournalEntry, state: PaymentState, steps: list[str], note: str, **fields: str | None
    ) -> JournalEntry:
        updated = self.journal.advance(entry.journal_no, state, note=f"recovery: {note}", **fields)
        steps.append(f"-> {state}: {note}")
        return updated

    def _flag(self, entry: JournalEntry, steps: list[str], reason: str) -> JournalEntry:
        if PaymentState.FLAGGED not in _allowed(entry.state):
            raise _Pending(f"needs a technician ({reason}) but {entry.state} cannot be flagged")
        # The reason is the flagging event's note (Journal.advance cannot set the record's note column).
        return self._advance(entry, PaymentState.FLAGGED, steps, reason)

    @staticmethod
    def _report(
        before: JournalEntry, after: JournalEntry, outcome: str, steps: list[str], error: str | None = None
    ) -> RecordReport:
        return RecordReport(
            journal_no=before.journal_no,
            pay_method=before.pay_method.value,
            amount_fen=before.amount_fen,
            person=mask_id_number(before.id_number),
            from_state=before.state.value,
            to_state=after.state.value,
            outcome=outcome,
            steps=steps,
            error=error,
        )


def _basket_reporter(report: RecoveryReport) -> Callable[..., None]:
    def record(before: BasketEntry, after: BasketEntry, outcome: str, steps: list[str], error: str | None) -> None:
        report.records.append(
            RecordReport(
                journal_no=before.basket_no,
                pay_method=before.pay_method.value,
                amount_fen=before.amount_fen,
                person=mask_id_number(before.payer_id_number),
                from_state=before.state.value,
                to_state=after.state.value,
                outcome=outcome,
                steps=steps,
                error=error,
            )
        )

    return record


def _allowed(state: PaymentState) -> frozenset[PaymentState]:
    return TRANSITIONS[state]


def recover(
    journal: Journal,
    fee_system: FeeSystem,
    min_age: dt.timedelta = dt.timedelta(0),
    clock: Callable[[], dt.datetime] = dt.datetime.now,
) -> RecoveryReport:
    """One recovery pass: at start-up with ``min_age`` zero, periodically (idle) with the QR timeout or more."""
    return Recovery(journal, fee_system, clock=clock).run(min_age)
