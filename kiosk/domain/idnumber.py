"""Citizen ID numbers (GB 11643-1999) and the permits that share their checksum.

The same 18-character layout and check character serve the resident ID card, the Hong Kong/Macau/Taiwan
residence permit (regions 810000/820000/830000) and the 2023 foreigner permanent residence card (numbers
starting with 9). Check: S = Σ aᵢ·wᵢ, Y = S mod 11, check = "10X98765432"[Y].
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PERMIT_REGIONS = {"810000": "Hong Kong", "820000": "Macau", "830000": "Taiwan"}


class IdKind(StrEnum):
    RESIDENT = "resident"
    HK_MO_TW_PERMIT = "hk_mo_tw_permit"
    FOREIGN_PERMANENT = "foreign_permanent"


class InvalidIdNumber(ValueError):
    """An ID number that cannot be right; ``reason`` is a short machine code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def check_character(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdNumber("format", "the first 17 characters must be digits")
    total = sum(int(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumber:
    value: str

    @property
    def kind(self) -> IdKind:
        if self.value.startswith("9"):
            return IdKind.FOREIGN_PERMANENT
        if self.value[:6] in PERMIT_REGIONS:
            return IdKind.HK_MO_TW_PERMIT
        return IdKind.RESIDENT

    @property
    def region(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> dt.date:
        return dt.date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def sex(self) -> str:
        """``male`` or ``female``: the sequence number is odd for men (GB 11643 §5.4)."""
        return "male" if int(self.value[16]) % 2 else "female"

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def masked(self) -> str:
        return mask_id_number(self.value)

    def __str__(self) -> str:  # never print a full number by accident
        return self.masked()

    def __repr__(self) -> str:
        return f"IdNumber({self.masked()!r})"


def parse_id_number(text: str, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-character ID number; lower-case x is accepted as X."""
    value = text.strip().upper()
    if len(value) != 18:
        raise InvalidIdNumber("length", f"an ID number has 18 characters, got {len(value)}")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber("format", "17 digits and a digit or X expected")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date", "the birth date in the number is not a date") from None
    if born.year < 1900 or born > (today or dt.date.today()):
        raise InvalidIdNumber("birth_date", "the birth date in the number is out of range")
    if check_character(value[:17]) != value[17]:
        raise InvalidIdNumber("checksum", "the check character does not match")
    return IdNumber(value)


def is_valid_prefix(partial: str) -> bool:
    """Whether ``partial`` can still become a valid number as it is typed (X only in the last place)."""
    value = partial.upper()
    if len(value) > 18:
        return False
    if not value[:17].isdigit() and value[:17] != "":
        return False
    if len(value) == 18:
        try:
            parse_id_number(value)
        except InvalidIdNumber:
            return False
    return True


def mask_id_number(value: str) -> str:
    """``370102199001011234`` → ``3701**********1234`` (4 + 10 stars + 4); short values are fully starred."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# ID numbers inside free text (logs, exception messages), for masking. A number may be written with a space or a
# hyphen between its parts (6 region | 8 birth date | 4, as on the card, or in groups of 4) and may be glued to
# letters ("ID370103197003224422x"); only the digit runs themselves must stand alone, so that a longer number (an
# order number of 20 digits) is not cut into an ID. The birth date must look like one (19xx/20xx, month 01-12, day
# 01-31): that is what tells an ID from the other 18-digit numbers in the logs (tax payment numbers
# "3137010261127…", quote ids, timestamps run together), and a mistyped ID still has its date. Old 15-digit
# numbers (GB 11643-1989: region, YYMMDD, sequence) are caught the same way by their 6-digit date.
_SEP = "[ -]?"
_ID18_IN_TEXT = re.compile(
    rf"(?<![0-9])([0-9]{{6}}){_SEP}([0-9]{{4}}){_SEP}([0-9]{{4}}){_SEP}([0-9]{{3}}[0-9Xx])(?![0-9])"
)
_ID15_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")


def _plausible_month_day(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _mask_id18(match: re.Match[str]) -> str:
    value = "".join(match.groups())
    if value[6:8] not in ("19", "20") or not _plausible_month_day(value[10:12], value[12:14]):
        return match.group(0)
    return mask_id_number(value)


def _mask_id15(match: re.Match[str]) -> str:
    value = match.group(0)
    if value[0] == "0" or not _plausible_month_day(value[8:10], value[10:12]):
        return value
    return mask_id_number(value)


def mask_id_numbers_in(text: str) -> str:
    """Every 18- and 15-digit ID number in ``text`` masked as ``mask_id_number`` does (separators dropped)."""
    return _ID15_IN_TEXT.sub(_mask_id15, _ID18_IN_TEXT.sub(_mask_id18, text))
