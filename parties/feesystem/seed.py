"""Seeding the simulator's database from config/demo_people.toml: people, registrations, bills, history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from kiosk.demo import load_people
from kiosk.domain.items import InsuredItem, PayMethod
from parties.feesystem.demo_dates import anchored
from parties.feesystem.policy import Policy

TAX_OFFICE_CODE = "137010"


def seed_database(db: sqlite3.Connection, people_file: Path, policy: Policy, now: dt.datetime) -> None:
    """People as of ``now`` (the fee system's clock): relative dates are counted back from it (demo_dates)."""
    for person in (anchored(entry, now.date()) for entry in load_people(people_file)):
        db.execute(
            "INSERT INTO people VALUES (?,?,?,?,?,?)",
            (
                person["id_number"],
                person["name"],
                person.get("category"),
                1 if person.get("registered", True) else 0,
                json.dumps(person.get("registrations", [])),
                person.get("paid_through"),
            ),
        )
        if "household" in person:  # the household register (家庭成员, issue 22)
            household = person["household"]
            db.execute(
                "INSERT INTO household_members VALUES (?,?,?)",
                (household["number"], person["id_number"], household["relation"]),
            )
        for bill in person.get("bills", []):
            db.execute(
                "INSERT INTO bills VALUES (?,?,?,?,?,?,?,NULL)",
                (
                    bill["bill_no"],
                    person["id_number"],
                    bill["description"],
                    bill["period_start"],
                    bill["period_end"],
                    int(bill["amount_fen"]),
                    bill["agency"],
                ),
            )
        for year in person.get("history", []):
            _seed_year_of_payments(db, person, int(year), policy)


def _seed_year_of_payments(db: sqlite3.Connection, person: dict[str, Any], year: int, policy: Policy) -> None:
    """Twelve monthly flexible payments at the lowest base, paid on the 15th of each month."""
    base, _ = policy.base_limits_fen(year)
    year_policy = policy.year(year)
    items = [InsuredItem(item) for item in person.get("registrations", [])]
    for month in range(1, 13):
        paid_at = dt.datetime(year, month, 15, 10, 30)
        for item in items:
            if item is InsuredItem.FLEXIBLE_PENSION:
                amount = (base * year_policy.pension_rate_percent + 50) // 100
            elif item is InsuredItem.FLEXIBLE_MEDICAL:
                amount = (base * year_policy.medical_rate_percent + 50) // 100
                amount += year_policy.serious_illness_monthly_fen
            else:
                continue
            db.execute("INSERT OR IGNORE INTO counters VALUES ('payment', 0)")
            db.execute("UPDATE counters SET value = value + 1 WHERE name = 'payment'")
            number = db.execute("SELECT value FROM counters WHERE name = 'payment'").fetchone()[0]
            period = f"{year:04d}-{month:02d}"
            db.execute(
                "INSERT INTO payments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    f"3{TAX_OFFICE_CODE}{paid_at:%y%m%d}{number:05d}",
                    f"seed-{person['id_number'][-6:]}-{number}",
                    person["id_number"],
                    person["id_number"],
                    item.value,
                    period,
                    period,
                    1,
                    amount,
                    base,
                    None,
                    None,
                    PayMethod.BANK_CARD.value,
                    f"SEED{number:08d}",
                    paid_at.isoformat(timespec="seconds"),
                ),
            )
