"""Demo people's dates relative to the fee system's "today" (config/demo_people.toml).

Absolute values (``paid_through = "2026-08"``, ``history = [2024, 2025]``) go stale: a few months later nothing
is due. The relative keys are counted back from the day the simulator's database is seeded, on its injected
clock, so the demo has months due, a year to pay and a history to certify on any date, and a fixed test clock
still gives the same people every run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.domain.periods import YearMonth

# relative key -> the absolute key it stands for
RELATIVE_KEYS = {
    "paid_through_months_ago": "paid_through",
    "paid_through_years_ago": "paid_through",
    "history_years_ago": "history",
}


def anchored(person: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The person with the relative keys turned into the absolute ones the seed reads (a copy).

    ``paid_through_months_ago = 3``: paid through the month three months before today's.
    ``paid_through_years_ago = 1``: paid through December of last year.
    ``history_years_ago = [2, 1]``: twelve monthly payments in each of the two years before this one.
    A bill's ``period_years_ago = 1``: the bill covers last year.
    A person may give a value either way, not both: which one would win is not obvious to the reader.
    """
    given = [key for key in RELATIVE_KEYS if key in person]
    targets = [RELATIVE_KEYS[key] for key in given]
    clash = {target for target in targets if target in person or targets.count(target) > 1}
    if clash:
        raise ValueError(f"demo person {person.get('key', '?')!r}: {', '.join(sorted(clash))} given twice")
    resolved = {key: value for key, value in person.items() if key not in RELATIVE_KEYS}
    if "paid_through_months_ago" in person:
        months = _non_negative(person, "paid_through_months_ago")
        resolved["paid_through"] = str(YearMonth.of(today).plus(-months))
    if "paid_through_years_ago" in person:
        years = _non_negative(person, "paid_through_years_ago")
        resolved["paid_through"] = str(YearMonth(today.year - years, 12))
    if "history_years_ago" in person:
        ago = person["history_years_ago"]
        # Whole years only (>= 1): a year not over yet would hold payments dated in the future.
        if not isinstance(ago, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in ago):
            raise ValueError(f"demo person {person.get('key', '?')!r}: history_years_ago must list years >= 1")
        resolved["history"] = sorted(today.year - n for n in ago)
    if "bills" in person:
        resolved["bills"] = [_anchored_bill(person, bill, today) for bill in person["bills"]]
    return resolved


def _anchored_bill(person: dict[str, Any], bill: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """``period_years_ago = 2``: the bill covers the whole year two years before today's (an arrear)."""
    if "period_years_ago" not in bill:
        return bill
    if "period_start" in bill or "period_end" in bill:
        raise ValueError(f"demo person {person.get('key', '?')!r}: a bill's period given twice")
    ago = bill["period_years_ago"]
    if not isinstance(ago, int) or isinstance(ago, bool) or ago < 1:
        raise ValueError(f"demo person {person.get('key', '?')!r}: period_years_ago must be a whole number >= 1")
    year = today.year - ago
    resolved = {key: value for key, value in bill.items() if key != "period_years_ago"}
    return resolved | {"period_start": f"{year:04d}-01", "period_end": f"{year:04d}-12"}


def _non_negative(person: dict[str, Any], key: str) -> int:
    value = person[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"demo person {person.get('key', '?')!r}: {key} must be a whole number >= 0")
    return value
