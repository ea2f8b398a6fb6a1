"""Quotes: what a choice costs (a resident's year and grade, a flexible worker's months and base, a pending bill),
priced by the bureau and kept, so that an order and a posting refer to a price the kiosk did not compute.

Also the two questions the QR channel and the payments ask of a kept quote: its row, and whether another posting
already pays what it would pay (``paid_by``)."""

from __future__ import annotations

import sqlite3
import uuid

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.items import InsuredItem
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import InvalidRequest, NotAllowed, Quote, UnknownRecord
from parties.feesystem.people import People
from parties.feesystem.policy import Policy
from parties.feesystem.store import FeeStore


class Quotes:
    def __init__(self, store: FeeStore, policy: Policy, people: People) -> None:
        self.store = store
        self.policy = policy
        self.people = people

    def quote_resident(self, id_number: str, item: InsuredItem, year: int, grade_code: str) -> Quote:
        today = self.store.clock().date()
        offers = {offer.year: offer for offer in self.people.resident_offers(id_number, item, today)}
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
        return self._store(
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

    def quote_flexible(
        self, id_number: str, item: InsuredItem, period: Period, base_fen: int, serious_illness: bool = True
    ) -> Quote:
        offer = self.people.flexible_offer(id_number, item, self.store.clock().date())
        allowed = Period(YearMonth.parse(offer.first_month), YearMonth.parse(offer.last_month))
        if period.start not in allowed or period.end not in allowed:
            raise InvalidRequest(f"period {period} outside {allowed}")
        if not offer.base_min_fen <= base_fen <= offer.base_max_fen:
            raise InvalidRequest(f"base {base_fen} outside {offer.base_min_fen}..{offer.base_max_fen}")
        monthly = (base_fen * offer.rate_percent + 50) // 100
        if item is InsuredItem.FLEXIBLE_MEDICAL and serious_illness:
            monthly += self.policy.year(period.start.year).serious_illness_monthly_fen
        return self._store(
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

    def quote_bill(self, id_number: str, bill_no: str) -> Quote:
        bill = next((b for b in self.people.pending_bills(id_number) if b.bill_no == bill_no), None)
        if bill is None:
            raise NotAllowed(
                f"bill {bill_no} is not pending for this person",
                citizen_message=QT_TRANSLATE_NOOP("FeeSystem", "This bill has already been paid or is not yours."),
            )
        return self._store(
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

    def _store(self, quote: Quote) -> Quote:
        with self.store.transaction() as db:
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
                    self.store.clock().isoformat(),
                ),
            )
        return quote


def quote_row(db: sqlite3.Connection, quote_id: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
    if row is None:
        raise UnknownRecord(f"unknown quote {quote_id}")
    return row


def paid_by(db: sqlite3.Connection, quote: sqlite3.Row) -> sqlite3.Row | None:
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
