"""Policy figures of the simulator, read from config/policy.toml (EXAMPLE figures, see that file)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.money import yuan_to_fen


@dataclass(frozen=True)
class YearPolicy:
    year: int
    average_monthly_wage_fen: int
    pension_rate_percent: int
    medical_rate_percent: int
    serious_illness_monthly_fen: int
    resident_pension_grades_fen: tuple[int, ...]
    resident_medical_grades_fen: tuple[int, ...]


@dataclass(frozen=True)
class Policy:
    years: dict[int, YearPolicy]
    base_min_percent: int
    base_max_percent: int
    resident_pension_min_age: int
    resident_pension_max_age: int
    flexible_months_back: int
    flexible_months_ahead: int
    resident_medical_opens: tuple[int, int]
    resident_medical_late_until: tuple[int, int]
    resident_pension_opens: tuple[int, int]
    resident_pension_closes: tuple[int, int]

    def year(self, year: int) -> YearPolicy:
        if year not in self.years:
            raise KeyError(year)
        return self.years[year]

    def base_limits_fen(self, year: int) -> tuple[int, int]:
        """Base limits rounded to whole yuan: 60%–300% of the average wage (DESIGN.md §4)."""
        wage = self.year(year).average_monthly_wage_fen
        low = -(-wage * self.base_min_percent // 10000) * 100  # round up to a yuan: never below 60%
        high = wage * self.base_max_percent // 10000 * 100  # round down: never above 300%
        return low, high

    def resident_medical_window(self, year: int) -> tuple[dt.date, dt.date]:
        opens = dt.date(year - 1, *self.resident_medical_opens)
        closes = dt.date(year, *self.resident_medical_late_until)
        return opens, closes

    def resident_pension_window(self, year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year, *self.resident_pension_opens), dt.date(year, *self.resident_pension_closes)


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def load_policy(path: Path) -> Policy:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    years = {
        entry["year"]: YearPolicy(
            year=entry["year"],
            average_monthly_wage_fen=int(entry["average_monthly_wage_fen"]),
            pension_rate_percent=int(entry["pension_rate_percent"]),
            medical_rate_percent=int(entry["medical_rate_percent"]),
            serious_illness_monthly_fen=int(entry["serious_illness_monthly_fen"]),
            resident_pension_grades_fen=tuple(yuan_to_fen(y) for y in entry["resident_pension_grades_yuan"]),
            resident_medical_grades_fen=tuple(yuan_to_fen(y) for y in entry["resident_medical_grades_yuan"]),
        )
        for entry in data["year"]
    }
    limits, windows = data["limits"], data["windows"]
    return Policy(
        years=years,
        base_min_percent=int(limits["base_min_percent"]),
        base_max_percent=int(limits["base_max_percent"]),
        resident_pension_min_age=int(limits["resident_pension_min_age"]),
        resident_pension_max_age=int(limits["resident_pension_max_age"]),
        flexible_months_back=int(limits["flexible_months_back"]),
        flexible_months_ahead=int(limits["flexible_months_ahead"]),
        resident_medical_opens=_month_day(windows["resident_medical_opens"]),
        resident_medical_late_until=_month_day(windows["resident_medical_late_until"]),
        resident_pension_opens=_month_day(windows["resident_pension_opens"]),
        resident_pension_closes=_month_day(windows["resident_pension_closes"]),
    )
