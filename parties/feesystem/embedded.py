"""The embedded fee-system simulator: SQLite (stdlib), policy figures and demo people from config/.

It plays the tax bureau's back end and the QR payment channel (Alipay / WeChat Pay), so that the kiosk runs
anywhere. Every call is short and guarded by one lock, so the GUI's worker threads can share one instance.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.idnumber import IdNumber
from kiosk.domain.items import Category, InsuredItem, PayMethod
from kiosk.domain.names import mask_name
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    AlreadyPaid,
    Bill,
    CertificateIssue,
    CertificateKind,
    DocumentCheck,
    FlexibleOffer,
    Grade,
    InvalidRequest,
    MedicalItem,
    NotAllowed,
    NotRegistered,
    PaymentRecord,
    QrOrder,
    QrOrderState,
    QrOrderStatus,
    Quote,
    Registration,
    ResidentOffer,
    UnknownRecord,
)
from parties.feesystem.policy import Policy, load_policy
from parties.feesystem.seed import TAX_OFFICE_CODE, seed_database

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id_number TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT, registered INTEGER NOT NULL,
    items TEXT NOT NULL, paid_through TEXT);
CREATE TABLE IF NOT EXISTS bills (
    bill_no TEXT PRIMARY KEY, id_number TEXT NOT NULL, description TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, amount_fen INTEGER NOT NULL, agency TEXT NOT NULL, paid_by TEXT);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id TEXT PRIMARY KEY, id_number TEXT NOT NULL, item TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, months INTEGER NOT NULL, amount_fen INTEGER NOT NULL, base_fen INTEGER,
    rate_percent INTEGER, grade_code TEXT, bill_no TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS qr_orders (
    order_no TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE NOT NULL, quote_id TEXT NOT NULL, method TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, state TEXT NOT NULL, channel_txn TEXT, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, paid_at TEXT, closed_at TEXT, refunded_at TEXT);
CREATE TABLE IF NOT EXISTS payments (
    payment_no TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE NOT NULL, id_number TEXT NOT NULL,
    payer_id_number TEXT NOT NULL, item TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
    months INTEGER NOT NULL, amount_fen INTEGER NOT NULL, base_fen INTEGER, grade_code TEXT, bill_no TEXT,
    pay_method TEXT NOT NULL, channel_ref TEXT NOT NULL, paid_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS payments_by_person ON payments (id_number, period_start);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS certificates (
    number TEXT PRIMARY KEY, kind TEXT NOT NULL, id_number TEXT NOT NULL, payment_nos TEXT NOT NULL,
    total_fen INTEGER NOT NULL, printed INTEGER NOT NULL DEFAULT 0, issued_at TEXT NOT NULL,
    UNIQUE (kind, id_number, payment_nos));
"""

# 年度字别: the certificate's word by kind (税收完税证明 鲁税证, 缴费证明 鲁社证); numbers run per word and year.
CERTIFICATE_WORDS = {
    CertificateKind.TAX: "鲁税证",
    CertificateKind.PAYMENT_SUMMARY: "鲁社证",
    CertificateKind.PAYMENT_DETAIL: "鲁社证",
}

QR_ORDER_LIFETIME = dt.timedelta(minutes=5)


class EmbeddedFeeSystem:
    def __init__(
        self,
        database: Path | str,
        policy: Policy | Path,
        people_file: Path | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        verification_key: str | None = None,
    ) -> None:
        self.verification_key = verification_key
        self.policy = policy if isinstance(policy, Policy) else load_policy(policy)
        self.clock = clock
        self._lock = threading.RLock()
        if str(database) != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(database), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        if people_file and not self._db.execute("SELECT 1 FROM people LIMIT 1").fetchone():
            with self._transaction() as db:
                seed_database(db, people_file, self.policy, self.clock())
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _next_number(self, db: sqlite3.Connection, name: str) -> int:
        db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0)", (name,))
        db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        return db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

    # --- people -------------------------------------------------------------------------------------------

    def registration(self, id_number: str) -> Registration:
        with self._lock:
            row = self._db.execute("SELECT * FROM people WHERE id_number = ?", (id_number,)).fetchone()
        if row is None or not row["registered"]:
            raise NotRegistered("no registration for this person")
        return Registration(
            id_number=row["id_number"],
            name=row["name"],
            category=Category(row["category"]) if row["category"] else None,
            items=frozenset(InsuredItem(item) for item in json.loads(row["items"])),
        )

    def _require_item(self, id_number: str, item: InsuredItem) -> Registration:
        registration = self.registration(id_number)
        if item not in registration.items:
            raise NotAllowed(f"person not registered for {item}")
        return registration

    # --- residents ----------------------------------------------------------------------------------------

    def _resident_grades(self, item: InsuredItem, year: int) -> tuple[Grade, ...]:
        policy = self.policy.year(year)
        amounts = (
            policy.resident_pension_grades_fen
            if item is InsuredItem.RESIDENT_PENSION
            else policy.resident_medical_grades_fen
        )
        return tuple(Grade(code=f"G{index + 1:02d}", amount_fen=amount) for index, amount in enumerate(amounts))

    def _resident_window(self, item: InsuredItem, year: int) -> tuple[dt.date, dt.date]:
        if item is InsuredItem.RESIDENT_PENSION:
            return self.policy.resident_pension_window(year)
        return self.policy.resident_medical_window(year)

    def _paid_year(self, id_number: str, item: InsuredItem, year: int) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM payments WHERE id_number = ? AND item = ? AND period_start = ?",
                (id_number, item.value, f"{year:04d}-01"),
            ).fetchone()
        return row is not None

    def resident_offers(self, id_number: str, item: InsuredItem, today: dt.date) -> list[ResidentOffer]:
        """The years around ``today`` whose window is open, or else the next one to open (open_now False)."""
        if item not in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL):
            raise InvalidRequest(f"{item} is not a resident item")
        self._require_item(id_number, item)
        if item is InsuredItem.RESIDENT_PENSION:
            age = IdNumber(id_number).age_on(dt.date(today.year, 12, 31))
            if not self.policy.resident_pension_min_age <= age <= self.policy.resident_pension_max_age:
                raise NotAllowed(f"age {age} outside the contribution ages of the resident pension")
        offers: list[ResidentOffer] = []
        upcoming: list[ResidentOffer] = []
        for year in (today.year, today.year + 1):  # every year has figures (policy.py: carried over if unlisted)
            opens, closes = self._resident_window(item, year)
            offer = ResidentOffer(
                item=item,
                year=year,
                grades=self._resident_grades(item, year),
                window_opens=opens,
                window_closes=closes,
                open_now=opens <= today <= closes,
                already_paid=self._paid_year(id_number, item, year),
            )
            if offer.open_now:
                offers.append(offer)
            elif today < opens:
                upcoming.append(offer)
        return offers or upcoming[:1]

    def quote_resident(self, id_number: str, item: InsuredItem, year: int, grade_code: str) -> Quote:
        offers = {offer.year: offer for offer in self.resident_offers(id_number, item, self.clock().date())}
        offer = offers.get(year)
        if offer is None or not offer.open_now:
            raise NotAllowed(f"{item} {year} is outside its collection window")
        if offer.already_paid:
            raise NotAllowed(
                f"{item} {year} already paid",
                citizen_message=QT_TRANSLATE_NOOP("FeeSystem", "This year has already been paid."),
            )
        grade = next((g for g in offer.grades if g.code == grade_code), None)
        if grade is None:
            raise InvalidRequest(f"unknown grade {grade_code}")
        return self._store_quote(
            Quote(
                quote_id=uuid.uuid4().hex,
                id_number=id_number,
                item=item,
                period=Period.year(year),
                amount_fen=grade.amount_fen,
                months=12,
                grade=grade,
            )
        )

    # --- flexible employment ------------------------------------------------------------------------------

    def flexible_offer(self, id_number: str, item: InsuredItem, today: dt.date) -> FlexibleOffer:
        if item not in (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL):
            raise InvalidRequest(f"{item} is not a flexible-employment item")
        self._require_item(id_number, item)
        with self._lock:
            row = self._db.execute("SELECT paid_through FROM people WHERE id_number = ?", (id_number,)).fetchone()
            posted = self._db.execute(
                "SELECT max(period_end) FROM payments WHERE id_number = ? AND item = ?", (id_number, item.value)
            ).fetchone()[0]
        current = YearMonth.of(today)
        earliest = current.plus(-self.policy.flexible_months_back)
        first = earliest
        # Paid through the seeded month or the last month posted since, whichever is later: a month already paid is
        # not offered again (posting it twice would be refused as AlreadyPaid).
        for paid_through in (row["paid_through"], posted):
            if paid_through:
                first = max(first, YearMonth.parse(paid_through).plus(1))
        last = min(current.plus(self.policy.flexible_months_ahead), YearMonth(current.year, 12))
        if first > last:
            raise NotAllowed(
                "nothing due",
                citizen_message=QT_TRANSLATE_NOOP("FeeSystem", "All months you can pay now are already paid."),
            )
        low, high = self.policy.base_limits_fen(first.year)
        year_policy = self.policy.year(first.year)
        rate = (
            year_policy.pension_rate_percent
            if item is InsuredItem.FLEXIBLE_PENSION
            else year_policy.medical_rate_percent
        )
        return FlexibleOffer(item, str(first), str(last), low, high, rate)

    def medical_items(self, id_number: str, today: dt.date) -> list[MedicalItem]:
        """The flexible worker's medical binding: basic medical (a rate of the base, required) and the serious
        illness supplement (a fixed sum a month, optional in this simulator's example policy)."""
        self._require_item(id_number, InsuredItem.FLEXIBLE_MEDICAL)
        year = self.policy.year(today.year)
        return [
            MedicalItem("basic", "职工基本医疗保险（灵活就业）", True, rate_percent=year.medical_rate_percent),
            MedicalItem("serious_illness", "大额医疗费用补助", False, monthly_fen=year.serious_illness_monthly_fen),
        ]

    def quote_flexible(
        self, id_number: str, item: InsuredItem, period: Period, base_fen: int, serious_illness: bool = True
    ) -> Quote:
        offer = self.flexible_offer(id_number, item, self.clock().date())
        allowed = Period(YearMonth.parse(offer.first_month), YearMonth.parse(offer.last_month))
        if period.start not in allowed or period.end not in allowed:
            raise InvalidRequest(f"period {period} outside {allowed}")
        if not offer.base_min_fen <= base_fen <= offer.base_max_fen:
            raise InvalidRequest(f"base {base_fen} outside {offer.base_min_fen}..{offer.base_max_fen}")
        monthly = (base_fen * offer.rate_percent + 50) // 100
        if item is InsuredItem.FLEXIBLE_MEDICAL and serious_illness:
            monthly += self.policy.year(period.start.year).serious_illness_monthly_fen
        return self._store_quote(
            Quote(
                quote_id=uuid.uuid4().hex,
                id_number=id_number,
                item=item,
                period=period,
                amount_fen=monthly * period.months,
                months=period.months,
                base_fen=base_fen,
                rate_percent=offer.rate_percent,
            )
        )

    # --- special payments (pending bills) -----------------------------------------------------------------

    def pending_bills(self, id_number: str) -> list[Bill]:
        self.registration(id_number)
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM bills WHERE id_number = ? AND paid_by IS NULL ORDER BY period_start", (id_number,)
            ).fetchall()
        return [
            Bill(
                bill_no=row["bill_no"],
                description=row["description"],
                period=Period(YearMonth.parse(row["period_start"]), YearMonth.parse(row["period_end"])),
                amount_fen=row["amount_fen"],
                agency=row["agency"],
            )
            for row in rows
        ]

    def quote_bill(self, id_number: str, bill_no: str) -> Quote:
        bill = next((b for b in self.pending_bills(id_number) if b.bill_no == bill_no), None)
        if bill is None:
            raise NotAllowed(
                f"bill {bill_no} is not pending for this person",
                citizen_message=QT_TRANSLATE_NOOP("FeeSystem", "This bill has already been paid or is not yours."),
            )
        return self._store_quote(
            Quote(
                quote_id=uuid.uuid4().hex,
                id_number=id_number,
                item=InsuredItem.SPECIAL,
                period=bill.period,
                amount_fen=bill.amount_fen,
                months=bill.period.months,
                bill_no=bill.bill_no,
            )
        )

    def _store_quote(self, quote: Quote) -> Quote:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    quote.quote_id,
                    quote.id_number,
                    quote.item.value,
                    str(quote.period.start),
                    str(quote.period.end),
                    quote.months,
                    quote.amount_fen,
                    quote.base_fen,
                    quote.rate_percent,
                    quote.grade.code if quote.grade else None,
                    quote.bill_no,
                    self.clock().isoformat(),
                ),
            )
        return quote

    def _quote_row(self, db: sqlite3.Connection, quote_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
        if row is None:
            raise UnknownRecord(f"unknown quote {quote_id}")
        return row

    @staticmethod
    def _paid_by(db: sqlite3.Connection, quote: sqlite3.Row) -> sqlite3.Row | None:
        """The payment already posted that this quote would pay again: the same bill, or (other items) the same
        person and item over an overlapping period. Two bills may cover the same months (a pension and a medical
        arrear are both "special"), so bills are matched by number only."""
        if quote["bill_no"]:
            return db.execute(
                "SELECT * FROM payments WHERE bill_no = ? UNION ALL SELECT p.* FROM payments p JOIN bills b"
                " ON b.paid_by = p.payment_no WHERE b.bill_no = ? LIMIT 1",
                (quote["bill_no"], quote["bill_no"]),
            ).fetchone()
        # Periods are "YYYY-MM" text: they compare as months do.
        return db.execute(
            "SELECT * FROM payments WHERE id_number = ? AND item = ? AND period_start <= ? AND period_end >= ?"
            " ORDER BY paid_at LIMIT 1",
            (quote["id_number"], quote["item"], quote["period_end"], quote["period_start"]),
        ).fetchone()

    # --- the QR channel (Alipay / WeChat Pay) -------------------------------------------------------------

    def open_qr_order(self, idempotency_key: str, quote_id: str, method: PayMethod) -> QrOrder:
        """Open (or, for a key seen before, return again) the order the citizen's phone pays."""
        if not method.is_qr:
            raise InvalidRequest(f"{method} is not a QR channel")
        with self._transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if row is None:
                quote = self._quote_row(db, quote_id)
                # Checked before any money moves; a payment posted while this order is open is still refused at
                # posting (post_payment), where this order's money is then refunded.
                if self._paid_by(db, quote) is not None:
                    raise AlreadyPaid(
                        f"{quote['item']} {quote['period_start']}..{quote['period_end']} already paid: no order opened",
                        citizen_message=QT_TRANSLATE_NOOP(
                            "FeeSystem", "This period has already been paid. No money was taken."
                        ),
                    )
                now = self.clock()
                number = self._next_number(db, "qr_order")
                prefix = "ALI" if method is PayMethod.ALIPAY else "WX"
                order_no = f"{prefix}{now:%Y%m%d%H%M%S}{number:06d}"
                db.execute(
                    "INSERT INTO qr_orders (order_no, idempotency_key, quote_id, method, amount_fen, state,"
                    " created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        order_no,
                        idempotency_key,
                        quote_id,
                        method.value,
                        quote["amount_fen"],
                        QrOrderState.OPEN.value,
                        now.isoformat(),
                        (now + QR_ORDER_LIFETIME).isoformat(),
                    ),
                )
                row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        return QrOrder(
            order_no=row["order_no"],
            method=PayMethod(row["method"]),
            amount_fen=row["amount_fen"],
            qr_payload=f"sifee-sim://pay/{row['method']}/{row['order_no']}?amount_fen={row['amount_fen']}",
            expires_at=dt.datetime.fromisoformat(row["expires_at"]),
        )

    def _order_status(self, row: sqlite3.Row) -> QrOrderStatus:
        return QrOrderStatus(row["order_no"], QrOrderState(row["state"]), row["amount_fen"], row["channel_txn"])

    def qr_order_status(self, order_no: str) -> QrOrderStatus:
        with self._lock:
            row = self._db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        if row is None:
            raise UnknownRecord(f"unknown order {order_no}")
        return self._order_status(row)

    def close_qr_order(self, order_no: str) -> QrOrderStatus:
        """Close an open order; an order already paid stays paid (the caller must then post it)."""
        with self._transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
            if row is None:
                raise UnknownRecord(f"unknown order {order_no}")
            if row["state"] == QrOrderState.OPEN:
                db.execute(
                    "UPDATE qr_orders SET state = ?, closed_at = ? WHERE order_no = ?",
                    (QrOrderState.CLOSED.value, self.clock().isoformat(), order_no),
                )
                row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        return self._order_status(row)

    def simulate_qr_payment(self, order_no: str) -> QrOrderStatus:
        """The simulator's phone pays the order. Paying a closed order is refunded by the channel at once."""
        with self._transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
            if row is None:
                raise UnknownRecord(f"unknown order {order_no}")
            now = self.clock().isoformat()
            txn = f"{row['method'][:2].upper()}{uuid.uuid4().hex[:20].upper()}"
            if row["state"] == QrOrderState.OPEN:
                db.execute(
                    "UPDATE qr_orders SET state = ?, channel_txn = ?, paid_at = ? WHERE order_no = ?",
                    (QrOrderState.PAID.value, txn, now, order_no),
                )
            elif row["state"] == QrOrderState.CLOSED:
                db.execute(
                    "UPDATE qr_orders SET state = ?, channel_txn = ?, paid_at = ?, refunded_at = ? WHERE order_no = ?",
                    (QrOrderState.REFUNDED.value, txn, now, now, order_no),
                )
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        return self._order_status(row)

    def qr_order_method(self, order_no: str) -> PayMethod:
        """Which app's code the order is (the simulator's phone: an Alipay code cannot be paid with WeChat Pay)."""
        with self._lock:
            row = self._db.execute("SELECT method FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        if row is None:
            raise UnknownRecord(f"unknown order {order_no}")
        return PayMethod(row["method"])

    def open_qr_orders(self) -> list[QrOrderStatus]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM qr_orders WHERE state = 'open' ORDER BY created_at").fetchall()
        return [self._order_status(row) for row in rows]

    # --- payments -----------------------------------------------------------------------------------------

    def post_payment(
        self, idempotency_key: str, quote_id: str, pay_method: PayMethod, channel_ref: str, payer_id_number: str
    ) -> PaymentRecord:
        """Record a payment the channel confirmed. Posting the same key twice posts it once.

        A new key for a period (or bill) another posting already holds is refused with AlreadyPaid. When the money
        came through this simulator's own QR channel (an order paid under the same key), that order is refunded in
        the same transaction as the refusal, as a bureau's unified payment platform gives back a payment it cannot
        book: there is no moment at which the refusal is known and the refund not yet due (docs/recovery.md).
        """
        refused: str | None = None
        with self._transaction() as db:
            existing = db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if existing is None:
                quote = self._quote_row(db, quote_id)
                holder = self._paid_by(db, quote)
                if holder is not None:
                    refunded = self._refund_paid_order(db, idempotency_key) if pay_method.is_qr else None
                    refused = (
                        f"{quote['item']} {quote['period_start']}..{quote['period_end']} already posted as"
                        f" {holder['payment_no']}" + (f"; order {refunded} refunded" if refunded else "")
                    )
            if refused is None and existing is None:
                now = self.clock()
                number = self._next_number(db, "payment")
                payment_no = f"3{TAX_OFFICE_CODE}{now:%y%m%d}{number:05d}"
                db.execute(
                    "INSERT INTO payments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        payment_no,
                        idempotency_key,
                        quote["id_number"],
                        payer_id_number,
                        quote["item"],
                        quote["period_start"],
                        quote["period_end"],
                        quote["months"],
                        quote["amount_fen"],
                        quote["base_fen"],
                        quote["grade_code"],
                        quote["bill_no"],
                        pay_method.value,
                        channel_ref,
                        now.isoformat(timespec="seconds"),
                    ),
                )
                if quote["bill_no"]:
                    db.execute("UPDATE bills SET paid_by = ? WHERE bill_no = ?", (payment_no, quote["bill_no"]))
                existing = db.execute("SELECT * FROM payments WHERE payment_no = ?", (payment_no,)).fetchone()
        if refused is not None:  # raised after the commit: the refund must not roll back with the refusal
            raise AlreadyPaid(refused)
        return _payment_from_row(existing)

    def _refund_paid_order(self, db: sqlite3.Connection, idempotency_key: str) -> str | None:
        """Give back the money of the paid QR order under this key (the posting of it was refused). Idempotent:
        an order already refunded stays so. The order number, or None when no paid order has this key."""
        row = db.execute(
            "SELECT order_no, state FROM qr_orders WHERE idempotency_key = ?", (idempotency_key,)
        ).fetchone()
        if row is None or row["state"] not in (QrOrderState.PAID, QrOrderState.REFUNDED):
            return None
        if row["state"] == QrOrderState.PAID:
            db.execute(
                "UPDATE qr_orders SET state = ?, refunded_at = ? WHERE order_no = ?",
                (QrOrderState.REFUNDED.value, self.clock().isoformat(), row["order_no"]),
            )
        return row["order_no"]

    def find_payment(self, idempotency_key: str) -> PaymentRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
        return _payment_from_row(row) if row else None

    def payment_records(self, id_number: str, period: Period | None = None) -> list[PaymentRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM payments WHERE id_number = ? ORDER BY period_start, paid_at", (id_number,)
            ).fetchall()
        records = [_payment_from_row(row) for row in rows]
        if period is not None:
            records = [record for record in records if record.period.overlaps(period)]
        return records

    def terminal_payments(self, terminal_id: str, day: dt.date) -> list[PaymentRecord]:
        """A terminal's payments are those whose idempotency key it made (``kiosk-<terminal id>-...``, the journal's
        keys); a real gateway knows the terminal that called it."""
        prefix = f"kiosk-{terminal_id}-".replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM payments WHERE idempotency_key LIKE ? ESCAPE '\\' AND substr(paid_at, 1, 10) = ?"
                " ORDER BY paid_at, payment_no",
                (prefix + "%", day.isoformat()),
            ).fetchall()
        return [_payment_from_row(row) for row in rows]

    # --- certificates -------------------------------------------------------------------------------------

    def issue_certificate(
        self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]
    ) -> CertificateIssue:
        """Number a certificate for these records, or give back the number they already have (a reprint).

        Numbering and recording happen in one transaction: a crash between numbering and printing leaves the
        number with its records, so it is never lost, reused or given to other records.
        """
        if not payment_nos:
            raise InvalidRequest("a certificate needs at least one payment record")
        key = json.dumps(sorted(payment_nos))
        with self._transaction() as db:
            row = db.execute(
                "SELECT * FROM certificates WHERE kind = ? AND id_number = ? AND payment_nos = ?",
                (kind.value, id_number, key),
            ).fetchone()
            if row is None:
                placeholders = ",".join("?" for _ in payment_nos)
                found = db.execute(
                    "SELECT payment_no, amount_fen FROM payments"
                    f" WHERE id_number = ? AND payment_no IN ({placeholders})",
                    (id_number, *payment_nos),
                ).fetchall()
                if len(found) != len(set(payment_nos)):
                    raise UnknownRecord("a payment record of the certificate is not this person's")
                now = self.clock()
                word = CERTIFICATE_WORDS[kind]
                serial = self._next_number(db, f"certificate-{word}-{now.year}")
                number = f"({now.year}){word} {serial:08d}"
                db.execute(
                    "INSERT INTO certificates VALUES (?,?,?,?,?,0,?)",
                    (number, kind.value, id_number, key, sum(r["amount_fen"] for r in found), now.isoformat()),
                )
                row = db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return _certificate_from_row(row)

    def record_certificate_print(self, number: str) -> CertificateIssue:
        """A print of the certificate came out of the printer: the next one is a reprint."""
        with self._transaction() as db:
            updated = db.execute("UPDATE certificates SET printed = printed + 1 WHERE number = ?", (number,))
            if updated.rowcount != 1:
                raise UnknownRecord(f"unknown certificate {number}")
            row = db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return _certificate_from_row(row)

    def check_document(self, number: str) -> DocumentCheck | None:
        """Whether a certificate or receipt (payment) number is one this fee system issued."""
        with self._lock:
            row = self._db.execute(
                "SELECT c.*, p.name FROM certificates c JOIN people p USING (id_number) WHERE c.number = ?", (number,)
            ).fetchone()
            if row is not None:
                return DocumentCheck(number, row["kind"], mask_name(row["name"]), row["total_fen"], row["printed"])
            row = self._db.execute(
                "SELECT pay.amount_fen, p.name FROM payments pay JOIN people p USING (id_number) WHERE payment_no = ?",
                (number,),
            ).fetchone()
        if row is None:
            return None
        return DocumentCheck(number, "receipt", mask_name(row["name"]), row["amount_fen"], 0)

    def verify_document_code(self, code: str) -> DocumentCheck | None:
        """The verification question asked of the fee system: the code's HMAC holds, and it names a document
        this fee system issued, for the same total. None when not genuine (malformed codes included)."""
        from kiosk.verification import MalformedCodeError, verify_code

        if not self.verification_key:
            raise InvalidRequest("this fee system has no verification key")
        try:
            claimed = verify_code(self.verification_key, code)
        except MalformedCodeError:
            return None
        if claimed is None:
            return None
        issued = self.check_document(claimed.number)
        if issued is None or issued.total_fen != claimed.total_fen:
            return None
        return issued


def _payment_from_row(row: sqlite3.Row) -> PaymentRecord:
    return PaymentRecord(
        payment_no=row["payment_no"],
        idempotency_key=row["idempotency_key"],
        id_number=row["id_number"],
        payer_id_number=row["payer_id_number"],
        item=InsuredItem(row["item"]),
        period=Period(YearMonth.parse(row["period_start"]), YearMonth.parse(row["period_end"])),
        amount_fen=row["amount_fen"],
        pay_method=PayMethod(row["pay_method"]),
        channel_ref=row["channel_ref"],
        paid_at=dt.datetime.fromisoformat(row["paid_at"]),
        base_fen=row["base_fen"],
        grade_code=row["grade_code"],
        months=row["months"],
    )


def _certificate_from_row(row: sqlite3.Row) -> CertificateIssue:
    return CertificateIssue(
        number=row["number"],
        kind=CertificateKind(row["kind"]),
        id_number=row["id_number"],
        payment_nos=tuple(json.loads(row["payment_nos"])),
        total_fen=row["total_fen"],
        printed=row["printed"],
        issued_at=dt.datetime.fromisoformat(row["issued_at"]),
    )
