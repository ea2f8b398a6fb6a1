"""The day-end settlement with the bank host (0500/0510, batch upload 0320 when the totals differ).

A batch is the host's business day for this terminal: every card purchase carries its batch number (field 60.2,
kept in the journal's ``order_no`` reference), and the kiosk closes the batch at its day-end settlement, then
takes purchases into the next one. The run:

    send stored reversals first (a reversal still out would make the totals wrong)
    totals of the batch from the journal: approved purchases (approved, posted, printed, done), reversals excluded
    0500 with them → 0510 with the host's totals
        balanced → the batch is closed
        differ   → 0320 (60.3 201) for every approved purchase, the end-of-batch 0320 (202), 0500 again → closed

Purchases and the settlement of their batch exclude each other (SettlementGate, shared through the bank client
by ``link_of``): the settlement runs only when no card purchase is under way (else it is postponed to the next idle
pass), and a purchase that starts while it runs waits for it and goes into the next batch; the batch's totals are
therefore never taken while one of its purchases is still between its reference and its approval.

Each approved purchase's TC (field 55: 9F26, 9F27, 9F36, 9F10, 95, 9F37 and the data the TC was computed over; no
PAN) is kept in the settlement store when the card gives it, and every 0320 of the batch upload carries it.

Every step is written to the settlement store (``<state>/settlement.sqlite3``, SettlementStore) before its message
goes out, so a kiosk killed in the middle settles the same batch again from the start (every message is
idempotent at the host: a second 0500 only compares, a second 0320 of a purchase is acknowledged again). The
store's closed batches are what the kiosk's bank reconciliation compares the journal with (kiosk/payments/
reconcile.py, SettlementLedger): the 0510 totals, and the batch upload's answer per purchase.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from drivers.bankhost import BankHostClient, BankHostError, HostDeclined, TransactionRef
from drivers.bankhost.client import Totals
from drivers.bankhost.errors import unreachable
from kiosk.domain.items import PayMethod
from kiosk.payments import crashpoint
from kiosk.payments.journal import Journal, JournalEntry, PaymentState
from kiosk.private_files import make_private_dirs

log = logging.getLogger(__name__)

SETTLEMENT_FILE = "settlement.sqlite3"
FIRST_BATCH = "000001"
# The batch's money the host holds: every state after the approval but a reversal or a technician's flag.
APPROVED_STATES = frozenset(
    {PaymentState.APPROVED, PaymentState.POSTED, PaymentState.RECEIPT_PRINTED, PaymentState.DONE}
)
UNSETTLED_STATES = frozenset({PaymentState.CREATED, PaymentState.AUTH_SENT, PaymentState.REVERSAL_PENDING})


class BatchState:
    OPEN = "open"  # taking purchases
    SETTLE_SENT = "settle_sent"  # the 0500 is going out
    UPLOADING = "uploading"  # the host's totals differed: the batch upload is going out
    END_SENT = "end_sent"  # the end-of-batch 0320 is going out
    RESETTLE_SENT = "resettle_sent"  # the 0500 after the batch upload is going out
    BALANCED = "balanced"  # closed, the host's totals agreed
    UNBALANCED = "unbalanced"  # closed, the host's totals still differ after the batch upload


CLOSED = frozenset({BatchState.BALANCED, BatchState.UNBALANCED})


@dataclass(frozen=True)
class Batch:
    batch: str
    state: str
    kiosk: Totals | None
    host: Totals | None
    settled_at: dt.datetime | None
    note: str
    since: dt.datetime  # the last change: for an open batch, when it opened


@dataclass(frozen=True)
class Upload:
    """One purchase of a batch upload and the host's answer (00: it has it approved; 25: it has no such one)."""

    batch: str
    stan: str
    local_date: str
    amount_fen: int
    rrn: str
    code: str  # "" while not answered


SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch TEXT PRIMARY KEY, state TEXT NOT NULL, kiosk_count INTEGER, kiosk_fen INTEGER,
    host_count INTEGER, host_fen INTEGER, settled_at TEXT, note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tcs (
    batch TEXT NOT NULL, stan TEXT NOT NULL, local_date TEXT NOT NULL, icc_data BLOB NOT NULL,
    PRIMARY KEY (batch, stan, local_date)
);
CREATE TABLE IF NOT EXISTS uploads (
    batch TEXT NOT NULL, stan TEXT NOT NULL, local_date TEXT NOT NULL, amount_fen INTEGER NOT NULL,
    rrn TEXT NOT NULL, code TEXT NOT NULL DEFAULT '', PRIMARY KEY (batch, stan, local_date)
);
"""


class SettlementStore:
    """The settlement's own small SQLite file: one row per batch, one per uploaded purchase. Committed (WAL,
    synchronous FULL) before each message it describes goes out."""

    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.path = path
        self.clock = clock
        make_private_dirs(path.parent)
        with self._db() as db:
            db.executescript(SCHEMA)

    @classmethod
    def of_state_dir(cls, state_dir: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> SettlementStore:
        return cls(state_dir / SETTLEMENT_FILE, clock)

    @contextmanager
    def _step(self) -> Iterator[sqlite3.Connection]:
        """A write that describes a settlement message: the kill sweep's crash points count it as a commit
        (kiosk/payments/crashpoint.py; the open batch's row is not one, so a kiosk's commit numbers stay)."""
        crashpoint.before_commit()
        with self._db() as db:
            yield db
        crashpoint.after_commit()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            with db:
                yield db

    def open_batch(self) -> str:
        """The batch taking purchases now: the newest one not closed, else the one after the last closed."""
        with self._db() as db:
            row = db.execute("SELECT batch, state FROM batches ORDER BY batch DESC LIMIT 1").fetchone()
            if row is None:
                batch = FIRST_BATCH
            elif row[1] in CLOSED:
                batch = f"{int(row[0]) % 999999 + 1:06d}"
            else:
                return str(row[0])
            db.execute(
                "INSERT OR IGNORE INTO batches (batch, state, updated_at) VALUES (?, ?, ?)",
                (batch, BatchState.OPEN, self._now()),
            )
            return batch

    def mark(self, batch: str, state: str, *, kiosk: Totals | None = None, host: Totals | None = None,
             note: str = "") -> None:  # fmt: skip
        with self._step() as db:
            db.execute(
                "UPDATE batches SET state = ?, kiosk_count = COALESCE(?, kiosk_count), "
                "kiosk_fen = COALESCE(?, kiosk_fen), host_count = COALESCE(?, host_count), "
                "host_fen = COALESCE(?, host_fen), settled_at = CASE WHEN ? THEN ? ELSE settled_at END, "
                "note = ?, updated_at = ? WHERE batch = ?",
                (
                    state,
                    kiosk.count if kiosk else None,
                    kiosk.amount_fen if kiosk else None,
                    host.count if host else None,
                    host.amount_fen if host else None,
                    state in CLOSED,
                    self._now(),
                    note,
                    self._now(),
                    batch,
                ),
            )

    def plan_upload(self, upload: Upload) -> None:
        with self._step() as db:
            db.execute(
                "INSERT OR REPLACE INTO uploads VALUES (?, ?, ?, ?, ?, ?)",
                (upload.batch, upload.stan, upload.local_date, upload.amount_fen, upload.rrn, upload.code),
            )

    def keep_tc(self, ref: TransactionRef, icc_data: bytes) -> None:
        """The TC's field 55 of an approved purchase, for its 0320 in a batch upload."""
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO tcs VALUES (?, ?, ?, ?)",
                (ref.batch, ref.stan, f"{ref.local_time:%m%d}", icc_data),
            )

    def tc(self, batch: str, stan: str, local_date: str) -> bytes:
        """The kept TC's field 55, or b"" (a purchase approved before the TC was kept, or by magnetic data)."""
        with self._db() as db:
            row = db.execute(
                "SELECT icc_data FROM tcs WHERE batch = ? AND stan = ? AND local_date = ?", (batch, stan, local_date)
            ).fetchone()
        return bytes(row[0]) if row else b""

    def batches(self) -> list[Batch]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM batches ORDER BY batch").fetchall()
        return [_batch(row) for row in rows]

    def batch(self, batch: str) -> Batch | None:
        return next((b for b in self.batches() if b.batch == batch), None)

    def closed_before(self, batch: str) -> dt.datetime | None:
        """When the newest batch before ``batch`` closed (None for the first batch): its purchases came after."""
        times = [b.settled_at for b in self.batches() if b.batch < batch and b.state in CLOSED and b.settled_at]
        return max(times, default=None)

    def uploads(self, batch: str) -> list[Upload]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM uploads WHERE batch = ? ORDER BY stan", (batch,)).fetchall()
        return [Upload(*row) for row in rows]

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")


def _batch(row: tuple) -> Batch:
    batch, state, kiosk_count, kiosk_fen, host_count, host_fen, settled_at, note, updated = row
    return Batch(
        batch,
        state,
        Totals(kiosk_count, kiosk_fen) if kiosk_count is not None else None,
        Totals(host_count, host_fen) if host_count is not None else None,
        dt.datetime.fromisoformat(settled_at) if settled_at else None,
        note,
        dt.datetime.fromisoformat(updated),
    )


def settlement_due(store: SettlementStore, now: dt.datetime, settle_at: str) -> bool:
    """The idle pass settles when the open batch opened before the last ``settle_at`` moment (HH:MM, local), or a
    settlement was interrupted (it starts again)."""
    hours, minutes = (int(part) for part in settle_at.split(":"))
    last_due = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if now < last_due:
        last_due -= dt.timedelta(days=1)
    batches = store.batches()
    if not batches:
        return False
    newest = batches[-1]
    if newest.state in CLOSED:
        return False
    return newest.state != BatchState.OPEN or newest.since < last_due


def card_reference(entry: JournalEntry) -> TransactionRef | None:
    if entry.pay_method is not PayMethod.BANK_CARD or not entry.order_no:
        return None
    try:
        return TransactionRef.from_text(entry.order_no)
    except ValueError:
        return None


# A batch's purchases were all made after the batch before it closed; a day's margin covers a clock set back.
BATCH_LOOKBACK = dt.timedelta(days=1)


def batch_records(
    journal: Journal, batch: str, previous_closed_at: dt.datetime | None = None
) -> list[tuple[JournalEntry, TransactionRef]]:
    """The journal's card records of ``batch`` (by the reference journaled before their 0200). Given when the batch
    before it closed, only the records created since then are read (the creation index), not the whole journal."""
    found = []
    candidates = (
        journal.entries() if previous_closed_at is None else journal.created_since(previous_closed_at - BATCH_LOOKBACK)
    )
    for entry in candidates:
        ref = card_reference(entry)
        if ref is not None and ref.batch == batch:
            found.append((entry, ref))
    return one_per_purchase(found)


def one_per_purchase(
    records: list[tuple[JournalEntry, TransactionRef]],
) -> list[tuple[JournalEntry, TransactionRef]]:
    """A household basket's lines share one purchase (issue 22: one 0200 for the total): the host books one, so
    they count as one record of their approved lines' sum (a line waiting for its refund is not approved here,
    and the difference shows until it is refunded)."""
    purchases: dict[tuple[str, str], list[tuple[JournalEntry, TransactionRef]]] = {}
    for entry, ref in records:
        purchases.setdefault((ref.stan, f"{ref.local_time:%m%d}"), []).append((entry, ref))
    merged = []
    for group in purchases.values():
        entry, ref = group[0]
        if len(group) > 1:
            approved = [line for line, _ref in group if line.state in APPROVED_STATES]
            # A line refunded by a 0220 was charged: the host keeps the purchase whole, the refund is a credit.
            charged = approved + [line for line, _ref in group if line.state is PaymentState.REFUNDED]
            if approved:
                entry = replace(approved[0], amount_fen=sum(line.amount_fen for line in charged))
        merged.append((entry, ref))
    return merged


def journal_totals(
    records: list[tuple[JournalEntry, TransactionRef]], refunds: list[JournalEntry] | None = None
) -> Totals:
    approved = [entry for entry, _ref in records if entry.state in APPROVED_STATES]
    refunds = refunds or []
    return Totals(len(approved), sum(e.amount_fen for e in approved), len(refunds), sum(e.amount_fen for e in refunds))


def batch_refunds(
    journal: Journal, batch: str, previous_closed_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> list[JournalEntry]:
    """Card basket lines refunded by a 0220 in ``batch`` (the refund's reference is the line's channel_ref). Given
    when the batch before it closed, only the lines refunded since then are read (the state and time index)."""
    if previous_closed_at is None:
        candidates = journal.entries()
    else:
        until = (now or dt.datetime.now()) + BATCH_LOOKBACK
        candidates = journal.in_state(PaymentState.REFUNDED, previous_closed_at - BATCH_LOOKBACK, until)
    found = []
    for entry in candidates:
        if entry.state is PaymentState.REFUNDED and entry.pay_method is PayMethod.BANK_CARD and entry.channel_ref:
            try:
                ref = TransactionRef.from_text(entry.channel_ref)
            except ValueError:
                continue
            if ref.batch == batch:
                found.append(entry)
    return found


@dataclass
class SettlementResult:
    batch: str
    outcome: str  # balanced, unbalanced, postponed, failed
    kiosk: Totals | None = None
    host: Totals | None = None
    uploaded: list[Upload] = field(default_factory=list)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == BatchState.BALANCED

    def as_json(self) -> dict[str, object]:
        def totals(t: Totals | None) -> dict[str, int] | None:
            return {"count": t.count, "amount_fen": t.amount_fen} if t else None

        return {
            "batch": self.batch,
            "outcome": self.outcome,
            "kiosk": totals(self.kiosk),
            "host": totals(self.host),
            "uploaded": [{"stan": u.stan, "amount_fen": u.amount_fen, "code": u.code} for u in self.uploaded],
            "detail": self.detail,
        }


ReversalSender = Callable[[Journal, BankHostClient], object]
PURCHASE_WAIT = 60.0  # a purchase waits this long for a running settlement (0500, uploads, 0500: a few round trips)


class SettlementGate:
    """Card purchases and the settlement of their batch, never at once: ``purchase()`` around a purchase from its
    transaction reference to its end, ``settling()`` around a settlement. Thread-safe."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._purchases = 0
        self._settling = False

    @contextmanager
    def purchase(self, wait: float = PURCHASE_WAIT) -> Iterator[None]:
        """Waits while a settlement runs; raises HostUnreachable (nothing sent) when it runs longer than ``wait``."""
        with self._changed:
            if not self._changed.wait_for(lambda: not self._settling, wait):
                raise unreachable(f"the day-end settlement is still running after {wait:.0f} s")
            self._purchases += 1
        try:
            yield
        finally:
            with self._changed:
                self._purchases -= 1
                self._changed.notify_all()

    @contextmanager
    def settling(self) -> Iterator[bool]:
        """True when no purchase is under way (new ones wait until the block ends); False: settle later."""
        with self._changed:
            if self._purchases or self._settling:
                idle = False
            else:
                idle = self._settling = True
        try:
            yield idle
        finally:
            if idle:
                with self._changed:
                    self._settling = False
                    self._changed.notify_all()


@dataclass
class SettlementLink:
    """What the purchases on one bank connection share with its settlement."""

    gate: SettlementGate = field(default_factory=SettlementGate)
    store: SettlementStore | None = None  # where the TCs are kept; None until a settlement is attached


_links: weakref.WeakKeyDictionary[BankHostClient, SettlementLink] = weakref.WeakKeyDictionary()
_links_lock = threading.Lock()


def link_of(client: BankHostClient) -> SettlementLink:
    """The gate (and TC store) of ``client``'s purchases and settlement: one per bank connection."""
    with _links_lock:
        return _links.setdefault(client, SettlementLink())


class DaySettlement:
    """Settle the open batch once (``run``). The caller serialises runs (the idle pass, or `kiosk settle` on a
    stopped kiosk) and points the client's batch at ``store.open_batch()`` before any purchase (``attach``)."""

    def __init__(
        self,
        journal: Journal,
        client: BankHostClient,
        store: SettlementStore,
        send_reversals: ReversalSender | None = None,
    ) -> None:
        self.journal = journal
        self.client = client
        self.store = store
        self.send_reversals = send_reversals

    def attach(self) -> str:
        """The client takes its purchases into the store's open batch and keeps their TCs in the store."""
        link_of(self.client).store = self.store
        self.client.batch = self.store.open_batch()
        return self.client.batch

    def run(self) -> SettlementResult:
        batch = self.attach()
        with link_of(self.client).gate.settling() as idle:
            if not idle:
                return SettlementResult(batch, "postponed", detail="a card purchase is under way")
            return self._run(batch)

    def _run(self, batch: str) -> SettlementResult:
        try:
            return self._settle(batch)
        except BankHostError as error:  # the batch stays as it is; the next run settles it from the start
            log.warning("settlement of batch %s not finished: %s: %s", batch, error.code, error.detail)
            return SettlementResult(batch, "failed", detail=f"{error.code}: {error.detail}")

    def _settle(self, batch: str) -> SettlementResult:
        if self.send_reversals is not None:
            self.send_reversals(self.journal, self.client)
        since = self.store.closed_before(batch)
        records = batch_records(self.journal, batch, since)
        waiting = [entry.journal_no for entry, _ref in records if entry.state in UNSETTLED_STATES]
        if waiting:
            return SettlementResult(batch, "postponed", detail=f"card records not finished: {', '.join(waiting)}")
        kiosk = journal_totals(records, batch_refunds(self.journal, batch, since, self.store.clock()))
        if not self.client.signed_on:
            self.client.sign_on()
        self.store.mark(batch, BatchState.SETTLE_SENT, kiosk=kiosk)
        answer = self.client.settle(batch, kiosk)
        if answer.balanced:
            return self._close(batch, BatchState.BALANCED, kiosk, answer.hosts, [])
        log.warning("batch %s: host totals %s, ours %s: batch upload", batch, answer.hosts, kiosk)
        self.store.mark(batch, BatchState.UPLOADING, host=answer.hosts, note="host totals differ")
        uploaded = self._upload(batch, records)
        self.store.mark(batch, BatchState.END_SENT)
        self.client.end_batch_upload(batch, len(uploaded))
        self.store.mark(batch, BatchState.RESETTLE_SENT)
        again = self.client.settle(batch, kiosk)
        state = BatchState.BALANCED if again.balanced else BatchState.UNBALANCED
        return self._close(batch, state, kiosk, again.hosts, uploaded)

    def _upload(self, batch: str, records: list[tuple[JournalEntry, TransactionRef]]) -> list[Upload]:
        uploaded = []
        for entry, ref in records:
            if entry.state not in APPROVED_STATES:
                continue
            planned = Upload(batch, ref.stan, f"{ref.local_time:%m%d}", entry.amount_fen, entry.channel_ref or "", "")
            self.store.plan_upload(planned)
            try:
                code = self.client.upload(
                    ref, planned.rrn, self.store.tc(batch, ref.stan, planned.local_date), in_batch=True
                )
            except HostDeclined as error:  # an answer (25: the host has no such approved purchase): the detail
                code = error.response_code
            done = Upload(**{**planned.__dict__, "code": code})
            self.store.plan_upload(done)
            uploaded.append(done)
        return uploaded

    def _close(self, batch: str, state: str, kiosk: Totals, host: Totals, uploaded: list[Upload]) -> SettlementResult:
        note = "" if state == BatchState.BALANCED else f"host {host}, kiosk {kiosk} after the batch upload"
        self.store.mark(batch, state, host=host, note=note)
        self.client.batch = self.store.open_batch()
        log.info("batch %s settled: %s (%d purchases, %d fen)", batch, state, kiosk.count, kiosk.amount_fen)
        return SettlementResult(batch, state, kiosk, host, uploaded)


__all__ = [
    "BatchState",
    "DaySettlement",
    "SettlementGate",
    "SettlementResult",
    "SettlementStore",
    "batch_records",
    "journal_totals",
    "link_of",
    "settlement_due",
]
