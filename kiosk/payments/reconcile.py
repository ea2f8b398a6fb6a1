"""Reconciliation: the journal, the fee system's posted payments and the payment channels' ledgers, for one day.

Every payment carries one idempotency key through all three ledgers (``kiosk-<journal no>``), so the ledgers are
matched by key, never by amount or time. A key belongs to the day its journal record was created (or, without a
journal record, the day the channel or the fee system first saw it), so a payment that crosses midnight is counted
once. Only this terminal's keys (``kiosk-<terminal id>-``) are considered: the fee system holds everybody's.

Ledgers are small read-only adapters (``FeeSystemLedger``, ``ChannelLedger``). The fee system's side comes through
the FeeSystem interface (``FeeSystemPayments``: the day's ``terminal_payments`` and ``find_payment`` for the
journal's other keys), so an HTTP fee system reconciles as the embedded one does. The channels: the simulated QR
channel's own table (embedded), the QR orders' status through the fee system (HTTP), the bank's day-end
settlement answers (``SettlementLedger``); a channel with no ledger is "not_available" in the report.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import FeeSystem, PaymentRecord, UnknownRecord
from kiosk.payments.journal import END_STATES, Journal, JournalEntry, PaymentState

CHANNELS = (PayMethod.ALIPAY, PayMethod.WECHAT, PayMethod.BANK_CARD, PayMethod.AGGREGATED)
POSTED_STATES = frozenset({PaymentState.POSTED, PaymentState.RECEIPT_PRINTED, PaymentState.DONE})
# The bank host simulator's ledger file in its state directory, read here as the bank's settlement file (the
# simulator's STATE_FILE, parties/bankhost/simulator.py; the kiosk does not import it, a test checks they agree).
BANK_LEDGER_FILE = "bankhost.json"


@dataclass(frozen=True)
class FeePayment:
    idempotency_key: str
    payment_no: str
    amount_fen: int
    pay_method: PayMethod
    at: dt.datetime
    subject: tuple[str, str, str, str]  # (person, item, period start, period end): a duplicate detector, not output


class ChannelState:
    OPEN = "open"
    PAID = "paid"  # the channel kept the money
    CLOSED = "closed"
    REFUNDED = "refunded"
    REVERSED = "reversed"


@dataclass(frozen=True)
class ChannelRecord:
    idempotency_key: str
    reference: str  # order number (QR) or bank reference
    pay_method: PayMethod
    amount_fen: int
    state: str  # ChannelState
    at: dt.datetime


class FeeSystemLedger(Protocol):
    def payments(self, key_prefix: str) -> list[FeePayment]: ...


class ChannelLedger(Protocol):
    channels: frozenset[PayMethod]

    def records(self, key_prefix: str) -> list[ChannelRecord]: ...


def _read_only(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    return db


class SqliteFeeSystemLedger:
    """The embedded simulator's ``payments`` table."""

    def __init__(self, database: Path) -> None:
        self.database = database

    def payments(self, key_prefix: str) -> list[FeePayment]:
        with _read_only(self.database) as db:
            rows = db.execute(
                "SELECT * FROM payments WHERE idempotency_key LIKE ? ESCAPE '\\'", (_like_prefix(key_prefix),)
            ).fetchall()
        return [
            FeePayment(
                row["idempotency_key"],
                row["payment_no"],
                row["amount_fen"],
                PayMethod(row["pay_method"]),
                dt.datetime.fromisoformat(row["paid_at"]),
                subject_of(row["id_number"], row["item"], row["period_start"], row["period_end"], row["bill_no"]),
            )
            for row in rows
        ]


class FeeSystemPayments:
    """The fee system's side through the FeeSystem interface, for one day.

    ``terminal_payments(terminal, day)`` lists what the fee system posted for this terminal that day (payments no
    journal record claims show up there); a journal record of the day posted on another day (recovery after
    midnight) is looked up by its key with ``find_payment``.
    """

    def __init__(self, fee_system: FeeSystem, terminal_id: str, day: dt.date, journal: Journal) -> None:
        self.fee_system = fee_system
        self.terminal_id = terminal_id
        self.day = day
        self.journal = journal

    def payments(self, key_prefix: str) -> list[FeePayment]:
        found = {
            record.idempotency_key: record
            for record in self.fee_system.terminal_payments(self.terminal_id, self.day)
            if record.idempotency_key.startswith(key_prefix)
        }
        for entry in self.journal.created_on(self.day):
            key = entry.idempotency_key
            if key.startswith(key_prefix) and key not in found:
                record = self.fee_system.find_payment(key)
                if record is not None:
                    found[key] = record
        return [_fee_payment(record) for record in found.values()]


def _fee_payment(record: PaymentRecord) -> FeePayment:
    period = record.period
    return FeePayment(
        record.idempotency_key,
        record.payment_no,
        record.amount_fen,
        record.pay_method,
        record.paid_at,
        subject_of(record.id_number, record.item.value, str(period.start), str(period.end), record.bill_no),
    )


def subject_of(id_number: str, item: str, start: str, end: str, bill_no: str | None) -> tuple[str, str, str, str]:
    """What a posting pays, as the fee system tells a second posting of it (quotes.paid_by): a bill by its number
    (two bills may cover the same months: a pension and a medical arrear are both "special"), else the person's
    item over its months."""
    return (id_number, "bill", bill_no, "") if bill_no else (id_number, item, start, end)


class FeeSystemQrLedger:
    """The QR channel as a kiosk on an HTTP fee system sees it: each order of the day's journal records, asked
    with ``qr_order_status``. An order no journal record names cannot be listed this way (the journal record is
    written before the order is opened, so only a lost journal would leave one)."""

    channels = frozenset({PayMethod.ALIPAY, PayMethod.WECHAT, PayMethod.AGGREGATED})

    def __init__(self, fee_system: FeeSystem, journal: Journal, day: dt.date) -> None:
        self.fee_system = fee_system
        self.journal = journal
        self.day = day

    def records(self, key_prefix: str) -> list[ChannelRecord]:
        from kiosk.payments.basket_journal import BasketEntry, BasketJournal

        baskets = BasketJournal(self.journal)
        # A household basket's order is under the basket's key, not its lines' (issue 22).
        todays = baskets.created_on(self.day)
        lines = {line.entry.journal_no for basket in todays for line in baskets.lines(basket.basket_no)}
        records = []
        entries: list[JournalEntry | BasketEntry] = [*self.journal.created_on(self.day), *todays]
        for entry in entries:
            if isinstance(entry, JournalEntry) and entry.journal_no in lines:
                continue
            if not (entry.pay_method in self.channels and entry.order_no):
                continue
            if not entry.idempotency_key.startswith(key_prefix):
                continue
            try:
                status = self.fee_system.qr_order_status(entry.order_no)
            except UnknownRecord:  # the channel never had it: no channel record (a difference if money was posted)
                continue
            records.append(
                ChannelRecord(
                    entry.idempotency_key,
                    status.order_no,
                    entry.pay_method,
                    status.amount_fen,
                    status.state.value,
                    entry.created_at,
                )
            )
        return records


class SqliteQrLedger:
    """The simulated QR channel's ``qr_orders`` table (Alipay and WeChat Pay)."""

    channels = frozenset({PayMethod.ALIPAY, PayMethod.WECHAT, PayMethod.AGGREGATED})

    def __init__(self, database: Path) -> None:
        self.database = database

    def records(self, key_prefix: str) -> list[ChannelRecord]:
        with _read_only(self.database) as db:
            rows = db.execute(
                "SELECT * FROM qr_orders WHERE idempotency_key LIKE ? ESCAPE '\\'", (_like_prefix(key_prefix),)
            ).fetchall()
        return [
            ChannelRecord(
                row["idempotency_key"],
                row["order_no"],
                PayMethod(row["method"]),
                row["amount_fen"],
                row["state"],
                dt.datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]


class SettlementLedger:
    """The bank's side as the kiosk learns it: its day-end settlements (kiosk/payments/settlement.py).

    A card record of a batch the host balanced is held as the journal says (the 0510 agreed with the journal's count
    and sum); in a batch whose totals differed, each approved purchase is held as the batch upload's answer says
    (00: the host has it; anything else: it has not), and money the host still counts beyond the journal's after
    the batch upload is one record of its own (no journal record claims it). The bank side is checked for the day
    only when every card record of the day is in a settled batch (before the day's settlement: not available).
    """

    def __init__(self, store: Any, journal: Journal, day: dt.date) -> None:
        from kiosk.payments import settlement  # only when a bank is reconciled

        self.settlement = settlement
        self.store = store
        self.journal = journal
        self.day = day
        self.closed = {b.batch: b for b in store.batches() if b.state in settlement.CLOSED}
        cards = [
            (entry, ref)
            for entry in journal.created_on(day)  # the day's records by the creation index
            if (ref := settlement.card_reference(entry)) is not None
        ]
        settled = all(ref.batch in self.closed for _entry, ref in cards)
        self.channels = frozenset({PayMethod.BANK_CARD}) if settled and self.closed else frozenset()

    def records(self, key_prefix: str) -> list[ChannelRecord]:
        records = []
        for batch in self.closed.values():
            balanced = batch.state == self.settlement.BatchState.BALANCED
            answers = {(u.stan, u.local_date): u.code for u in self.store.uploads(batch.batch)}
            since = self.store.closed_before(batch.batch)
            for entry, ref in self.settlement.batch_records(self.journal, batch.batch, since):
                if not entry.idempotency_key.startswith(key_prefix):
                    continue
                if entry.state in self.settlement.APPROVED_STATES:
                    held = balanced or answers.get((ref.stan, f"{ref.local_time:%m%d}")) == "00"
                    state = ChannelState.PAID if held else ChannelState.CLOSED
                else:
                    state = ChannelState.REVERSED if entry.state is PaymentState.REVERSED else ChannelState.CLOSED
                reference = entry.channel_ref or f"stan {ref.stan}"
                key, amount, at = entry.idempotency_key, entry.amount_fen, entry.created_at
                records.append(ChannelRecord(key, reference, PayMethod.BANK_CARD, amount, state, at))
            extra = (batch.host.amount_fen - batch.kiosk.amount_fen) if batch.host and batch.kiosk else 0
            if not balanced and extra > 0 and batch.settled_at is not None:
                key = f"{key_prefix}bank-batch-{batch.batch}"
                reference = f"batch {batch.batch}: the host counts {extra} fen more"
                records.append(
                    ChannelRecord(key, reference, PayMethod.BANK_CARD, extra, ChannelState.PAID, batch.settled_at)
                )
        return records


class BankHostLedger:
    """The bank host simulator's ledger (``<state>/bank/bankhost.json``, parties/bankhost/simulator.py): an outside
    check of the simulator's books for the tests' own reconciliations (``reconcile_embedded``); the kiosk itself
    reconciles against its settlements (SettlementLedger).

    The host knows a purchase by terminal, STAN and local date, not by the kiosk's idempotency key: the journal's
    card records carry that reference (``order_no``, written before the 0200 left), which maps one to the other.
    A host entry no journal record claims keeps a key of its own, so it shows up as a missing journal record.
    """

    channels = frozenset({PayMethod.BANK_CARD})
    STATUS: ClassVar[dict[str, str]] = {
        "approved": ChannelState.PAID,
        "declined": ChannelState.CLOSED,
        "reversed": ChannelState.REVERSED,
    }

    def __init__(self, ledger_file: Path, journal: Journal, bank_terminal_id: str) -> None:
        self.ledger_file = ledger_file
        self.journal = journal
        self.bank_terminal_id = bank_terminal_id

    def records(self, key_prefix: str) -> list[ChannelRecord]:
        from drivers.bankhost import TransactionRef  # only when a bank ledger is reconciled

        data = json.loads(self.ledger_file.read_text(encoding="utf-8")) if self.ledger_file.exists() else {}
        keys: dict[tuple[str, str], JournalEntry] = {}
        for entry in self.journal.entries():
            if entry.pay_method is PayMethod.BANK_CARD and entry.order_no:
                try:
                    ref = TransactionRef.from_text(entry.order_no)
                except ValueError:
                    continue
                keys[(ref.stan, f"{ref.local_time:%m%d}")] = entry
        records = []
        for row in data.get("ledger", []):
            if row["terminal_id"] != self.bank_terminal_id:
                continue
            claimed = keys.get((row["stan"], row["local_date"]))
            key = claimed.idempotency_key if claimed else f"{key_prefix}bank-{row['local_date']}-{row['stan']}"
            at = (
                claimed.created_at
                if claimed
                else dt.datetime.strptime(row["local_date"], "%m%d").replace(year=dt.date.today().year)
            )
            records.append(
                ChannelRecord(
                    key,
                    row.get("rrn") or f"stan {row['stan']}",
                    PayMethod.BANK_CARD,
                    int(row["amount_fen"]),
                    self.STATUS.get(row["status"], row["status"]),
                    at,
                )
            )
        return records


UNREADABLE = "unreadable_journal_record"  # a journal row this program cannot read (skipped, reported)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class Difference:
    journal_no: str | None
    pay_method: str
    amount_fen: int
    kind: str
    explained: bool
    explanation: str
    journal_state: str | None
    fee_system_payment_no: str | None
    fee_system_fen: int | None
    channel_reference: str | None
    channel_state: str | None
    channel_fen: int | None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ChannelTotals:
    count: int = 0  # journal records of the day
    journal_posted_fen: int = 0  # records the journal holds as posted (posted, receipt_printed, done)
    fee_system_fen: int = 0  # payments the fee system holds
    channel_paid_fen: int | None = 0  # money the channel kept (None: no ledger for this channel yet)
    refunded_fen: int = 0  # late payments the channel gave back
    reversed_fen: int = 0  # card payments reversed
    flagged_fen: int = 0  # records waiting for a technician

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReconciliationReport:
    date: dt.date
    terminal_id: str
    totals: dict[str, ChannelTotals]
    differences: list[Difference] = field(default_factory=list)
    ledgers: dict[str, str] = field(default_factory=dict)

    @property
    def unexplained(self) -> int:
        return sum(1 for difference in self.differences if not difference.explained)

    @property
    def ok(self) -> bool:
        return self.unexplained == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "terminal_id": self.terminal_id,
            "ok": self.ok,
            "unexplained": self.unexplained,
            "totals": {name: totals.as_json() for name, totals in self.totals.items()},
            "differences": [difference.as_json() for difference in self.differences],
            "ledgers": dict(self.ledgers),
        }


@dataclass
class _Key:
    """One payment as the three ledgers see it."""

    journal: JournalEntry | None = None
    fee: FeePayment | None = None
    channel: ChannelRecord | None = None

    @property
    def day(self) -> dt.date:
        if self.journal:
            return self.journal.created_at.date()
        times = [record.at for record in (self.channel, self.fee) if record is not None]
        return min(times).date()

    @property
    def pay_method(self) -> PayMethod:
        source = self.journal or self.channel or self.fee
        assert source is not None
        return source.pay_method


class Reconciliation:
    def __init__(
        self,
        journal: Journal,
        terminal_id: str,
        fee_ledger: FeeSystemLedger,
        channel_ledgers: Iterable[ChannelLedger],
    ) -> None:
        self.journal = journal
        self.terminal_id = terminal_id
        self.fee_ledger = fee_ledger
        self.channel_ledgers = list(channel_ledgers)

    def run(self, day: dt.date) -> ReconciliationReport:
        prefix = f"kiosk-{self.terminal_id}-"
        checked = {method for ledger in self.channel_ledgers for method in ledger.channels}
        keys: dict[str, _Key] = {}
        for entry in self.journal.created_on(day):  # the day's records by the creation index, not the whole journal
            if entry.idempotency_key.startswith(prefix):
                keys.setdefault(entry.idempotency_key, _Key()).journal = entry
        for payment in self.fee_ledger.payments(prefix):
            keys.setdefault(payment.idempotency_key, _Key()).fee = payment
        for ledger in self.channel_ledgers:
            for record in ledger.records(prefix):
                keys.setdefault(record.idempotency_key, _Key()).channel = record
        for idempotency_key, key in keys.items():  # another day's record (a payment across midnight): by its key
            if key.journal is None:
                key.journal = self.journal.find_by_key(idempotency_key)
        # Rows this program cannot read are reported every day until a technician settles them (their own day may
        # be what is unreadable); what the other ledgers hold under their keys is left to that report.
        unreadable = self.journal.unreadable_keys()
        # A household basket (issue 22) is checked as one: its order against all its lines.
        from kiosk.payments.basket_reconcile import basket_differences

        in_baskets, basket_problems = basket_differences(self.journal, keys, prefix)
        todays = [key for idempotency_key, key in keys.items() if idempotency_key not in unreadable and key.day == day]
        totals = {method.value: ChannelTotals() for method in CHANNELS}
        for method in CHANNELS:
            if method not in checked:
                totals[method.value].channel_paid_fen = None
        report = ReconciliationReport(day, self.terminal_id, totals)
        for key in sorted(todays, key=lambda k: k.journal.journal_no if k.journal else ""):
            self._count(key, totals[key.pay_method.value])
            if (key.journal.idempotency_key if key.journal else "") in in_baskets or _basket_order(key, in_baskets):
                continue
            difference = self._compare(key, key.pay_method in checked)
            if difference is not None:
                report.differences.append(difference)
        report.differences.extend(basket_problems)
        report.differences.extend(self._duplicates(todays))
        report.differences.extend(self._unreadable(unreadable, keys))
        report.ledgers = {"journal": "checked", "fee_system": "checked"}
        report.ledgers.update({m.value: "checked" if m in checked else "not_available" for m in CHANNELS})
        return report

    @staticmethod
    def _count(key: _Key, totals: ChannelTotals) -> None:
        entry = key.journal
        if entry is not None:
            totals.count += 1
            if entry.state in POSTED_STATES:
                totals.journal_posted_fen += entry.amount_fen
            elif entry.state is PaymentState.REVERSED:
                totals.reversed_fen += entry.amount_fen
            elif entry.state is PaymentState.FLAGGED:
                totals.flagged_fen += entry.amount_fen
        if key.fee is not None:
            totals.fee_system_fen += key.fee.amount_fen
        if key.channel is not None and totals.channel_paid_fen is not None:
            if key.channel.state == ChannelState.PAID:
                totals.channel_paid_fen += key.channel.amount_fen
            elif key.channel.state == ChannelState.REFUNDED:
                totals.refunded_fen += key.channel.amount_fen

    def _compare(self, key: _Key, channel_checked: bool) -> Difference | None:
        """None when the ledgers agree; otherwise the difference, explained where the reason is known."""
        entry, fee, channel = key.journal, key.fee, key.channel
        posted = fee is not None
        kept = channel is not None and channel.state == ChannelState.PAID
        channel_state = channel.state if channel else None

        def diff(kind: str, explained: bool, explanation: str) -> Difference:
            return self._difference(key, kind, explained, explanation)

        if entry is None:
            return diff("missing_journal_record", False, "the fee system or the channel has it, the journal not")
        amounts = {record.amount_fen for record in (entry, fee, channel) if record is not None}
        if len(amounts) > 1:
            return diff("amount_mismatch", False, "the ledgers disagree on the amount")
        state = entry.state
        if state not in END_STATES and state not in POSTED_STATES:
            return diff("unfinished", False, f"journal record still {state}: run `kiosk recover`")
        if state in POSTED_STATES:
            if not posted:
                return diff("not_posted", False, "the journal says posted, the fee system has no such payment")
            if channel_checked and not kept:
                return diff("posted_without_channel_money", False, f"posted, but the channel says {channel_state}")
            if state is not PaymentState.DONE:
                return diff("unfinished", False, f"journal record still {state}: run `kiosk recover`")
            return None
        if state is PaymentState.RESOLVED:  # a technician settled a flagged record outside the kiosk
            notes = [note for _, s, note in self.journal.events(entry.journal_no) if s is PaymentState.RESOLVED]
            how = (notes[-1] if notes and notes[-1] else "") or "no note recorded"
            return diff("resolved", True, f"settled by a technician: {how}")
        if state is PaymentState.FLAGGED:
            reason = self._flag_reason(entry)
            if channel_checked and posted == kept:
                return diff("flagged", True, f"flagged for a technician, no money difference: {reason}")
            return diff("flagged", False, f"flagged for a technician: {reason}")
        if posted:
            return diff("posted_but_not_kept", False, f"the journal says {state}, yet the fee system posted it")
        if state is PaymentState.REVERSED:
            if channel_checked and kept:
                return diff("reversal_not_seen_by_bank", False, "reversed in the journal, the bank kept the money")
            return diff("reversed_card_payment", True, "card payment reversed: no money kept, nothing posted")
        if state is PaymentState.DECLINED:
            if channel_checked and kept:
                return diff("declined_but_kept", False, "declined in the journal, yet the bank kept the money")
            return None  # the bank refused (or never got it): no money moved anywhere
        if channel_state == ChannelState.REFUNDED:
            if state is PaymentState.REFUNDED and self._was_paid(entry):
                # Paid in time, then the fee system refused the posting (the period was paid meanwhile).
                return diff(
                    "refunded_refused_posting", True, "the fee system refused to post it: refunded by the channel"
                )
            return diff("refunded_late_payment", True, "paid after the order closed: refunded by the channel")
        if state is PaymentState.REFUNDED:
            return diff(
                "refund_not_seen_by_channel", False, f"refunded in the journal, the channel says {channel_state}"
            )
        # order_closed
        if kept:
            return diff("late_payment_not_refunded", False, "the order closed, yet the channel kept the money")
        if channel_state == ChannelState.OPEN:
            return diff("order_still_open", False, "the journal says closed, the channel's order is still open")
        return diff("closed_unpaid_order", True, "order closed unpaid: no money moved")

    def _duplicates(self, keys: list[_Key]) -> list[Difference]:
        """The same person, item and period posted twice by this terminal: money taken twice."""
        seen: dict[tuple[str, str, str, str], _Key] = {}
        found = []
        for key in keys:
            if key.fee is None:
                continue
            if key.fee.subject in seen:
                found.append(
                    self._difference(
                        key, "duplicate_posting", False, "the same person, item and period was posted twice"
                    )
                )
            seen.setdefault(key.fee.subject, key)
        return found

    def _unreadable(self, unreadable: dict[str, str], keys: dict[str, _Key]) -> list[Difference]:
        differences = []
        for idempotency_key, journal_no in sorted(unreadable.items()):
            other = keys.get(idempotency_key, _Key())
            fee, channel = other.fee, other.channel
            source = fee or channel
            differences.append(
                Difference(
                    journal_no=journal_no,
                    pay_method=source.pay_method.value if source else "unknown",
                    amount_fen=source.amount_fen if source else 0,
                    kind=UNREADABLE,
                    explained=False,
                    explanation=f"the journal row cannot be read ({self.journal.unreadable.get(journal_no)}): "
                    "skipped; a technician must settle it",
                    journal_state=None,
                    fee_system_payment_no=fee.payment_no if fee else None,
                    fee_system_fen=fee.amount_fen if fee else None,
                    channel_reference=channel.reference if channel else None,
                    channel_state=channel.state if channel else None,
                    channel_fen=channel.amount_fen if channel else None,
                )
            )
        return differences

    def _was_paid(self, entry: JournalEntry) -> bool:
        return any(state is PaymentState.PAID for _, state, _ in self.journal.events(entry.journal_no))

    def _flag_reason(self, entry: JournalEntry) -> str:
        notes = [note for _, state, note in self.journal.events(entry.journal_no) if state is PaymentState.FLAGGED]
        return (notes[-1] if notes and notes[-1] else entry.note) or "no reason recorded"

    @staticmethod
    def _difference(key: _Key, kind: str, explained: bool, explanation: str) -> Difference:
        entry, fee, channel = key.journal, key.fee, key.channel
        return Difference(
            journal_no=entry.journal_no if entry else None,
            pay_method=key.pay_method.value,
            amount_fen=(entry or fee or channel).amount_fen,  # type: ignore[union-attr]
            kind=kind,
            explained=explained,
            explanation=explanation,
            journal_state=entry.state.value if entry else None,
            fee_system_payment_no=fee.payment_no if fee else None,
            fee_system_fen=fee.amount_fen if fee else None,
            channel_reference=channel.reference if channel else None,
            channel_state=channel.state if channel else None,
            channel_fen=channel.amount_fen if channel else None,
        )


def _basket_order(key: _Key, in_baskets: set[str]) -> bool:
    """The channel's record of a basket's order (under the basket's key, which no payments row holds)."""
    return key.journal is None and key.channel is not None and key.channel.idempotency_key in in_baskets


def reconcile_embedded(
    journal: Journal,
    terminal_id: str,
    feesystem_database: Path,
    day: dt.date,
    bank_ledger: Path | None = None,
    bank_terminal_id: str = "",
) -> ReconciliationReport:
    """Reconcile against the embedded simulator's database (fee-system payments and QR orders) and, given its
    file, the bank host simulator's ledger (card payments of ``bank_terminal_id``, field 41)."""
    ledgers: list[ChannelLedger] = [SqliteQrLedger(feesystem_database)]
    if bank_ledger is not None:
        ledgers.append(BankHostLedger(bank_ledger, journal, bank_terminal_id))
    return Reconciliation(journal, terminal_id, SqliteFeeSystemLedger(feesystem_database), ledgers).run(day)


def reconcile_stores(config: Any, journal: Journal, fee_system: FeeSystem, day: dt.date) -> ReconciliationReport:
    """Reconcile a kiosk's configuration: the fee system through its interface (embedded or HTTP), the QR channel
    from the simulator's own table (embedded) or order by order through the fee system (HTTP), and the bank from
    the kiosk's day-end settlements (real or simulated bank alike). Fee-system errors (Unavailable, ...) propagate."""
    terminal_id = config["terminal.id"]
    ledgers: list[ChannelLedger] = []
    if config["fee_system.kind"] == "embedded":
        ledgers.append(SqliteQrLedger(config.state_path(config["fee_system.database"])))
    else:
        ledgers.append(FeeSystemQrLedger(fee_system, journal, day))
    from kiosk.payments.settlement import SETTLEMENT_FILE, SettlementStore

    settlements = config.state_path(SETTLEMENT_FILE)
    if settlements.exists():  # the bank's side: the day-end settlements' answers (kiosk/payments/settlement.py)
        ledgers.append(SettlementLedger(SettlementStore(settlements), journal, day))
    fee_ledger = FeeSystemPayments(fee_system, terminal_id, day, journal)
    return Reconciliation(journal, terminal_id, fee_ledger, ledgers).run(day)
