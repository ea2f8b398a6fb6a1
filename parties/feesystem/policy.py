"""Policy figures of the simulator, read from config/policy.toml (EXAMPLE figures, see that file).

Any year has figures: a year the file does not list takes those of the nearest listed year (the latest one for
the years after it), so the demo runs on any date; ``YearPolicy.figures_of`` says which year they are from.
Collection windows are month-days turned into dates per year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass, replace
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
    figures_of: int  # the listed year whose figures these are: ``year`` itself unless carried over

    @property
    def carried_over(self) -> bool:
        """True when the file has no figures for this year and these are another year's (examples)."""
        return self.figures_of != self.year


@dataclass(frozen=True)
class MonthDay:
    """A window's edge: "MM-DD", or "MM-last" for the month's last day (02-last is 02-29 in a leap year)."""

    month: int
    day: int | None  # None: the last day of the month

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        month_text, day_text = text.split("-")
        month = int(month_text)
        day = None if day_text == "last" else int(day_text)
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= calendar.monthrange(2000, month)[1]):
            raise ValueError(f"not a month-day: {text!r}")
        return cls(month, day)

    def of(self, year: int) -> dt.date:
        last = calendar.monthrange(year, self.month)[1]
        # A day past the month's end (02-29 in a common year) is the last day, not an error on some dates.
        return dt.date(year, self.month, last if self.day is None else min(self.day, last))


# The bases offered as choices when the file lists none: EXAMPLE figures, like the file's.
DEFAULT_BASE_GRADE_PERCENTS = (60, 80, 100, 150, 200, 300)


@dataclass(frozen=True)
class Policy:
    years: dict[int, YearPolicy]
    base_min_percent: int
    base_max_percent: int
    resident_pension_min_age: int
    resident_pension_max_age: int
    flexible_months_back: int
    flexible_months_ahead: int
    resident_medical_opens: MonthDay
    resident_medical_late_until: MonthDay
    resident_pension_opens: MonthDay
    resident_pension_closes: MonthDay
    base_grade_percents: tuple[int, ...] = ()  # the bases offered as choices (缴费档次), % of the average wage

    def year(self, year: int) -> YearPolicy:
        """The year's figures, or the nearest listed year's: the latest listed year not after it, else the first."""
        if year in self.years:
            return self.years[year]
        earlier = [listed for listed in self.years if listed < year]
        source = max(earlier) if earlier else min(self.years)
        return replace(self.years[source], year=year)

    def base_limits_fen(self, year: int) -> tuple[int, int]:
        """Base limits rounded to whole yuan: 60%–300% of the average wage (DESIGN.md §4)."""
        wage = self.year(year).average_monthly_wage_fen
        low = -(-wage * self.base_min_percent // 10000) * 100  # round up to a yuan: never below 60%
        high = wage * self.base_max_percent // 10000 * 100  # round down: never above 300%
        return low, high

    def base_choices_fen(self, year: int) -> tuple[int, ...]:
        """The listed bases (缴费档次) of the year, each rounded to a whole yuan and kept within the limits."""
        wage = self.year(year).average_monthly_wage_fen
        low, high = self.base_limits_fen(year)
        bases = (min(high, max(low, -(-wage * percent // 10000) * 100)) for percent in self.base_grade_percents)
        return tuple(sorted(set(bases)))

    def resident_medical_window(self, year: int) -> tuple[dt.date, dt.date]:
        """Year Y's medical: from the autumn of Y-1 (for the next year) until its late date in Y."""
        return self.resident_medical_opens.of(year - 1), self.resident_medical_late_until.of(year)

    def resident_pension_window(self, year: int) -> tuple[dt.date, dt.date]:
        return self.resident_pension_opens.of(year), self.resident_pension_closes.of(year)


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
            figures_of=entry["year"],
        )
        for entry in data["year"]
    }
    if not years:
        raise ValueError(f"{path}: no [[year]] of policy figures")
    limits, windows = data["limits"], data["windows"]
    return Policy(
        years=years,
        base_min_percent=int(limits["base_min_percent"]),
        base_max_percent=int(limits["base_max_percent"]),
        resident_pension_min_age=int(limits["resident_pension_min_age"]),
        resident_pension_max_age=int(limits["resident_pension_max_age"]),
        flexible_months_back=int(limits["flexible_months_back"]),
        flexible_months_ahead=int(limits["flexible_months_ahead"]),
        resident_medical_opens=MonthDay.parse(windows["resident_medical_opens"]),
        resident_medical_late_until=MonthDay.parse(windows["resident_medical_late_until"]),
        resident_pension_opens=MonthDay.parse(windows["resident_pension_opens"]),
        resident_pension_closes=MonthDay.parse(windows["resident_pension_closes"]),
        base_grade_percents=tuple(int(p) for p in limits.get("base_grade_percents", DEFAULT_BASE_GRADE_PERCENTS)),
    )
