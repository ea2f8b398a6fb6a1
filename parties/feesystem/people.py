"""People and what they may pay: registrations, the residents' years and grades, the flexible workers' months and
base limits, the medical binding, and the pending bills (特殊缴费, 补缴) the bureau holds for a person."""

from __future__ import annotations

import datetime as dt
import json

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.idnumber import IdNumber
from kiosk.domain.items import Category, InsuredItem
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    Bill,
    FlexibleOffer,
    Grade,
    InvalidRequest,
    MedicalItem,
    NotAllowed,
    NotRegistered,
    Registration,
    ResidentOffer,
)
from parties.feesystem.policy import Policy
from parties.feesystem.store import FeeStore


class People:
    def __init__(self, store: FeeStore, policy: Policy) -> None:
        self.store = store
        self.policy = policy

    def registration(self, id_number: str) -> Registration:
        row = self.store.one("SELECT * FROM people WHERE id_number = ?", (id_number,))
        if row is None or not row["registered"]:
            raise NotRegistered("no registration for this person")
        return Registration(
            id_number=row["id_number"],
            name=row["name"],
            category=Category(row["category"]) if row["category"] else None,
            items=frozenset(InsuredItem(item) for item in json.loads(row["items"])),
        )

    def require_item(self, id_number: str, item: InsuredItem) -> Registration:
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
        row = self.store.one(
            "SELECT 1 FROM payments WHERE id_number = ? AND item = ? AND period_start = ?",
            (id_number, item.value, f"{year:04d}-01"),
        )
        return row is not None

    def resident_offers(self, id_number: str, item: InsuredItem, today: dt.date) -> list[ResidentOffer]:
        """The years around ``today`` whose window is open, or else the next one to open (open_now False)."""
        if item not in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL):
            raise InvalidRequest(f"{item} is not a resident item")
        self.require_item(id_number, item)
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

    # --- flexible employment ------------------------------------------------------------------------------

    def flexible_offer(self, id_number: str, item: InsuredItem, today: dt.date) -> FlexibleOffer:
        if item not in (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL):
            raise InvalidRequest(f"{item} is not a flexible-employment item")
        self.require_item(id_number, item)
        with self.store.lock:
            db = self.store.db
            row = db.execute("SELECT paid_through FROM people WHERE id_number = ?", (id_number,)).fetchone()
            posted = db.execute(
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
        return FlexibleOffer(item, str(first), str(last), low, high, rate, self.policy.base_choices_fen(first.year))

    def medical_items(self, id_number: str, today: dt.date) -> list[MedicalItem]:
        """The flexible worker's medical binding: basic medical (a rate of the base, required) and the serious
        illness supplement (a fixed sum a month, optional in this simulator's example policy)."""
        self.require_item(id_number, InsuredItem.FLEXIBLE_MEDICAL)
        year = self.policy.year(today.year)
        return [
            MedicalItem("basic", "职工基本医疗保险（灵活就业）", True, rate_percent=year.medical_rate_percent),
            MedicalItem("serious_illness", "大额医疗费用补助", False, monthly_fen=year.serious_illness_monthly_fen),
        ]

    # --- special payments (pending bills) -----------------------------------------------------------------

    def pending_bills(self, id_number: str) -> list[Bill]:
        self.registration(id_number)
        rows = self.store.all(
            "SELECT * FROM bills WHERE id_number = ? AND paid_by IS NULL ORDER BY period_start", (id_number,)
        )
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

    def arrears_bills(self, id_number: str) -> list[Bill]:
        """A resident's pending bills, by agency (社保经办机构) then period."""
        registration = self.registration(id_number)
        if not registration.items & {InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL}:
            raise NotAllowed(
                "arrears are for residents",
                citizen_message=QT_TRANSLATE_NOOP(
                    "FeeSystem", "Arrears here are for urban and rural residents. Please use Special payment."
                ),
            )
        return sorted(self.pending_bills(id_number), key=lambda bill: (bill.agency, bill.period.start))

    def may_print_certificates_for(self, payer_id_number: str, id_number: str) -> bool:
        """The simulator lets any registered person print another registered person's certificates (a real
        bureau decides by its own rules: a family tie, a written authorisation)."""
        self.registration(payer_id_number)
        self.registration(id_number)
        return payer_id_number != id_number
