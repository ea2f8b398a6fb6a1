"""Year-months and ranges of them (费款所属期)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import total_ordering


@total_ordering
@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValueError(f"not a year-month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """``2026-05`` or ``202605``."""
        digits = text.replace("-", "")
        if len(digits) != 6 or not digits.isdigit():
            raise ValueError(f"not a year-month: {text!r}")
        return cls(int(digits[:4]), int(digits[4:]))

    @classmethod
    def of(cls, day: dt.date) -> YearMonth:
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> YearMonth:
        return cls(index // 12, index % 12 + 1)

    def plus(self, months: int) -> YearMonth:
        return YearMonth.from_index(self.index + months)

    def __lt__(self, other: YearMonth) -> bool:
        return self.index < other.index

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Period:
    """An inclusive range of months."""

    start: YearMonth
    end: YearMonth

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}..{self.end}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YearMonth(year, 1), YearMonth(year, 12))

    @property
    def months(self) -> int:
        return self.end.index - self.start.index + 1

    def __iter__(self):
        for index in range(self.start.index, self.end.index + 1):
            yield YearMonth.from_index(index)

    def __contains__(self, month: object) -> bool:
        return isinstance(month, YearMonth) and self.start <= month <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        return str(self.start) if self.months == 1 else f"{self.start} 至 {self.end}"
