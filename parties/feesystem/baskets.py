"""A household's basket (issue 22): several quotes, for several people, as one order paid by one code or one card
payment; each line posted on its own key, and a line refused after the money moved refunded alone.

The household register (家庭成员) is the ``household_members`` table, seeded from config/demo_people.toml. What a
member can pay is priced from the windows around the fee system's own clock, never from fixed dates.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    AlreadyPaid,
    BasketLine,
    BasketQuote,
    BasketSeal,
    FeeSystemError,
    Grade,
    HouseholdDue,
    IdempotencyConflict,
    InvalidRequest,
    LineRefusal,
    NotAllowed,
    PaymentRecord,
    QrOrder,
    QrOrderState,
    QrOrderStatus,
    Quote,
    UnknownRecord,
)
from parties.feesystem.payments import BANK_REFERENCE, Payments, payment_from_row
from parties.feesystem.people import People
from parties.feesystem.qr_channel import QrChannel, order_of
from parties.feesystem.quotes import Quotes, paid_by, quote_row
from parties.feesystem.store import FeeStore

MAX_LINES = 10  # the limit: one payer, one pay method, at most ten lines
PAYING_APPS = ("alipay", "wechat", "unionpay")  # what can pay an aggregated code (云闪付 is UnionPay's app)
RESIDENT_ITEMS = (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL)
_LINE_IDENTITY = ("id_number", "item", "period_start", "period_end", "amount_fen")  # a posting is of this line


class Baskets:
    def __init__(self, store: FeeStore, people: People, quotes: Quotes, qr: QrChannel, payments: Payments) -> None:
        self.store = store
        self.people = people
        self.quotes = quotes
        self.qr = qr
        self.payments = payments

    # --- the household register ---------------------------------------------------------------------------

    def household_dues(self, payer_id_number: str, today: dt.date) -> list[HouseholdDue]:
        """Each member (not the payer) with each resident item whose window is open and not yet paid, priced at
        its lowest grade; a member's pending bills too."""
        members = self.store.all(
            "SELECT m.id_number, m.relation, p.name FROM household_members m JOIN people p ON p.id_number = m.id_number"
            " WHERE m.household = (SELECT household FROM household_members WHERE id_number = ?) AND m.id_number != ?"
            " ORDER BY m.rowid",
            (payer_id_number, payer_id_number),
        )
        dues: list[HouseholdDue] = []
        for member in members:
            registration = self.people.registration(member["id_number"])
            for item in RESIDENT_ITEMS:
                if item not in registration.items:
                    continue
                try:
                    offers = self.people.resident_offers(member["id_number"], item, today)
                except FeeSystemError:  # outside the contribution ages: nothing to pay
                    continue
                for offer in offers:
                    if offer.open_now and not offer.already_paid and offer.grades:
                        grade = offer.grades[0]
                        quote = self.quotes.quote_resident(member["id_number"], item, offer.year, grade.code)
                        dues.append(HouseholdDue(member["name"], member["relation"], quote))
            for bill in self.people.pending_bills(member["id_number"]):
                quote = self.quotes.quote_bill(member["id_number"], bill.bill_no)
                dues.append(HouseholdDue(member["name"], member["relation"], quote))
        return dues

    # --- the order ------------------------------------------------------------------------------------------

    def quote_basket(self, payer_id_number: str, quote_ids: tuple[str, ...]) -> BasketQuote:
        if not 1 <= len(quote_ids) <= MAX_LINES:
            raise InvalidRequest(f"a basket holds 1 to {MAX_LINES} lines, not {len(quote_ids)}")
        today = self.store.clock().date()
        lines: list[BasketLine] = []
        refused: list[LineRefusal] = []
        seen: dict[tuple[str, str, str, str], int] = {}
        with self.store.transaction() as db:
            for line_no, quote_id in enumerate(quote_ids, start=1):
                row = db.execute("SELECT * FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
                if row is None:
                    refused.append(LineRefusal(line_no, "unknown_quote", "no such quote"))
                    continue
                same = (row["id_number"], row["item"], row["period_start"], row["bill_no"] or "")
                if same in seen:
                    refused.append(LineRefusal(line_no, "duplicate", f"the same as line {seen[same]}"))
                    continue
                seen[same] = line_no
                holder = paid_by(db, row)
                if holder is not None:
                    refused.append(LineRefusal(line_no, "already_paid", f"already posted as {holder['payment_no']}"))
                    continue
                if not self._window_open(row, today):
                    refused.append(LineRefusal(line_no, "window_closed", "its collection window has closed"))
                    continue
                lines.append(BasketLine(line_no, _quote(row)))
            total = sum(line.quote.amount_fen for line in lines)
            if refused:
                return BasketQuote("", payer_id_number, tuple(lines), total, tuple(refused))
            basket_id = f"B{uuid.uuid4().hex[:15].upper()}"
            db.execute(
                "INSERT INTO baskets VALUES (?,?,?,?)",
                (basket_id, payer_id_number, total, self.store.clock().isoformat(timespec="seconds")),
            )
            db.executemany(
                "INSERT INTO basket_lines (basket_id, line_no, quote_id) VALUES (?,?,?)",
                [(basket_id, line.line_no, line.quote.quote_id) for line in lines],
            )
        return BasketQuote(basket_id, payer_id_number, tuple(lines), total)

    def _window_open(self, quote: sqlite3.Row, today: dt.date) -> bool:
        item = InsuredItem(quote["item"])
        if item not in RESIDENT_ITEMS:
            return True  # flexible months and bills: the quote itself was checked against the offer
        year = int(quote["period_start"][:4])
        opens, closes = (
            self.people.policy.resident_pension_window(year)
            if item is InsuredItem.RESIDENT_PENSION
            else self.people.policy.resident_medical_window(year)
        )
        return opens <= today <= closes

    def open_qr_order(self, idempotency_key: str, basket_id: str, method: PayMethod) -> QrOrder:
        """One order for the basket's total; the same key returns the same order."""
        if not method.is_qr:
            raise InvalidRequest(f"{method} is not a QR channel")
        with self.store.transaction() as db:
            basket = _basket(db, basket_id)
            row = db.execute("SELECT * FROM qr_orders WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if row is not None and (row["quote_id"] != basket_id or row["method"] != method.value):
                raise IdempotencyConflict(f"idempotency key already used for order {row['order_no']}")
            if row is None:
                for line in db.execute("SELECT quote_id FROM basket_lines WHERE basket_id = ?", (basket_id,)):
                    holder = paid_by(db, quote_row(db, line["quote_id"]))
                    if holder is not None:
                        raise AlreadyPaid(f"basket {basket_id}: a line is already posted as {holder['payment_no']}")
                row = self.qr.insert_order(db, idempotency_key, basket_id, method, basket["total_fen"])
        return order_of(row)

    def simulate_payment(self, order_no: str, app: str | None = None) -> QrOrderStatus:
        """The simulator's phone pays an order; an aggregated code records which app paid it (Alipay by
        default). A single app's code can be paid by that app only."""
        method = self.qr.method(order_no)
        if method is PayMethod.AGGREGATED:
            paid_with = app or "alipay"
            if paid_with not in PAYING_APPS:
                raise InvalidRequest(f"{paid_with!r} cannot pay an aggregated code")
        elif app is not None and app != method.value:
            raise InvalidRequest(f"a {method.value} code cannot be paid with {app}")
        else:
            paid_with = method.value
        self.qr.simulate_payment(order_no)
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO qr_order_extras (order_no, paid_with) VALUES (?, ?)"
                " ON CONFLICT (order_no) DO UPDATE SET paid_with = coalesce(paid_with, excluded.paid_with)",
                (order_no, paid_with),
            )
        return self.qr.status(order_no)

    # --- posting a line -------------------------------------------------------------------------------------

    def post_line(
        self, idempotency_key: str, basket_id: str, line_no: int, pay_method: PayMethod, channel_ref: str
    ) -> PaymentRecord:
        refused: str | None = None
        with self.store.transaction() as db:
            basket = _basket(db, basket_id)
            line = db.execute(
                "SELECT * FROM basket_lines WHERE basket_id = ? AND line_no = ?", (basket_id, line_no)
            ).fetchone()
            if line is None:
                raise UnknownRecord(f"basket {basket_id} has no line {line_no}")
            quote = quote_row(db, line["quote_id"])
            existing = db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if existing is not None:
                if (existing["id_number"], existing["item"], existing["period_start"], existing["channel_ref"]) != (
                    quote["id_number"],
                    quote["item"],
                    quote["period_start"],
                    channel_ref,
                ):
                    raise IdempotencyConflict(f"idempotency key already used for payment {existing['payment_no']}")
                return payment_from_row(existing)
            order = self._check_money(db, basket_id, basket["total_fen"], pay_method, channel_ref)
            holder = paid_by(db, quote)
            if holder is None:
                row = self.payments.insert(
                    db, idempotency_key, quote, pay_method, channel_ref, basket["payer_id_number"]
                )
                return payment_from_row(row)
            refused = f"line {line_no} already posted as {holder['payment_no']}"
            if order is not None and line["refunded_at"] is None:
                # The channel gives this line's money back in the refusal's transaction (qr_channel.py's rule).
                db.execute(
                    "INSERT INTO qr_order_extras (order_no, refunded_fen) VALUES (?, ?) ON CONFLICT (order_no)"
                    " DO UPDATE SET refunded_fen = refunded_fen + excluded.refunded_fen",
                    (order["order_no"], quote["amount_fen"]),
                )
                db.execute(
                    "UPDATE basket_lines SET refunded_at = ? WHERE basket_id = ? AND line_no = ?",
                    (self.store.clock().isoformat(timespec="seconds"), basket_id, line_no),
                )
            if order is not None:
                refused += f"; {quote['amount_fen']} fen refunded on order {order['order_no']}"
        raise AlreadyPaid(refused)

    # --- the basket's own code ------------------------------------------------------------------------------

    def seal(self, idempotency_key: str, basket_id: str) -> BasketSeal:
        """What the basket's one receipt certifies, once every line has ended: the lines posted under the
        basket's key (``<key>-L<n>``, refused lines excluded), their total and the first day one was paid. Kept
        at the first call, so that the code stays the same and the verification page finds the basket."""
        with self.store.transaction() as db:
            basket = _basket(db, basket_id)
            sealed = db.execute("SELECT * FROM basket_seals WHERE basket_id = ?", (basket_id,)).fetchone()
            if sealed is None:
                self._check_owner(db, idempotency_key, basket_id)
                posted = self._posted_lines(db, idempotency_key, basket_id)
                db.execute(
                    "INSERT INTO basket_seals VALUES (?,?,?,?,?,?)",
                    (
                        basket_id,
                        idempotency_key,
                        sum(row["amount_fen"] for row in posted),
                        len(posted),
                        min(row["paid_at"] for row in posted)[:10],
                        self.store.clock().isoformat(timespec="seconds"),
                    ),
                )
                sealed = db.execute("SELECT * FROM basket_seals WHERE basket_id = ?", (basket_id,)).fetchone()
            elif sealed["idempotency_key"] != idempotency_key:
                raise NotAllowed(f"basket {basket_id} was paid under another key")
        return BasketSeal(
            basket_id,
            basket["payer_id_number"],
            sealed["total_fen"],
            sealed["lines"],
            dt.date.fromisoformat(sealed["paid_on"]),
        )

    @staticmethod
    def _check_owner(db: sqlite3.Connection, idempotency_key: str, basket_id: str) -> None:
        """A basket paid by QR belongs to the key that opened its order (a card basket to its lines' keys)."""
        order = db.execute(
            "SELECT idempotency_key FROM qr_orders WHERE quote_id = ? AND state = ?",
            (basket_id, QrOrderState.PAID.value),
        ).fetchone()
        if order is not None and order["idempotency_key"] != idempotency_key:
            raise NotAllowed(f"basket {basket_id} was paid under another key")

    @staticmethod
    def _posted_lines(db: sqlite3.Connection, idempotency_key: str, basket_id: str) -> list[sqlite3.Row]:
        """The postings of the basket's lines under its key; InvalidRequest while a line is neither posted nor
        held by another payment (refused), NotAllowed when no line was posted under this key."""
        posted: list[sqlite3.Row] = []
        for line in db.execute("SELECT * FROM basket_lines WHERE basket_id = ? ORDER BY line_no", (basket_id,)):
            quote = quote_row(db, line["quote_id"])
            own = db.execute(
                "SELECT * FROM payments WHERE idempotency_key = ?", (f"{idempotency_key}-L{line['line_no']}",)
            ).fetchone()
            if own is not None and all(own[name] == quote[name] for name in _LINE_IDENTITY):
                posted.append(own)
            elif paid_by(db, quote) is None:
                raise InvalidRequest(f"basket {basket_id}: line {line['line_no']} is not posted yet")
        if not posted:
            raise NotAllowed(f"basket {basket_id}: no line was posted under this key")
        return posted

    @staticmethod
    def _check_money(
        db: sqlite3.Connection, basket_id: str, total_fen: int, pay_method: PayMethod, channel_ref: str
    ) -> sqlite3.Row | None:
        """The basket's money exists: its QR order paid under this reference, or a well-formed bank reference.
        The order on QR, None on card."""
        if not pay_method.is_qr:
            if not BANK_REFERENCE.fullmatch(channel_ref):
                raise InvalidRequest("a card payment needs its bank reference")
            return None
        order = db.execute(
            "SELECT * FROM qr_orders WHERE quote_id = ? AND method = ? AND channel_txn = ? AND state = ?",
            (basket_id, pay_method.value, channel_ref, QrOrderState.PAID.value),
        ).fetchone()
        if order is None or order["amount_fen"] != total_fen:
            raise InvalidRequest(f"no paid {pay_method.value} order of basket {basket_id} has this reference")
        return order


def _basket(db: sqlite3.Connection, basket_id: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM baskets WHERE basket_id = ?", (basket_id,)).fetchone()
    if row is None:
        raise UnknownRecord(f"unknown basket {basket_id}")
    return row


def _quote(row: sqlite3.Row) -> Quote:
    return Quote(
        quote_id=row["quote_id"],
        id_number=row["id_number"],
        item=InsuredItem(row["item"]),
        period=Period(YearMonth.parse(row["period_start"]), YearMonth.parse(row["period_end"])),
        amount_fen=row["amount_fen"],
        months=row["months"],
        base_fen=row["base_fen"],
        rate_percent=row["rate_percent"],
        grade=Grade(row["grade_code"], row["amount_fen"]) if row["grade_code"] else None,
        bill_no=row["bill_no"],
    )
