"""What the kiosk takes from a bank card: PAN, track-2 equivalent data, expiry, AID, PAN sequence number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drivers.bankcard.errors import BankCardFormatError

PPSE_NAME = b"2PAY.SYS.DDF01"
UNIONPAY_RID = bytes.fromhex("A000000333")
UNIONPAY_DEBIT = bytes.fromhex("A000000333010101")
UNIONPAY_CREDIT = bytes.fromhex("A000000333010102")
UNIONPAY_QUASI_CREDIT = bytes.fromhex("A000000333010103")
# Tried in this order when the card has no PPSE (EMV Book 1 §12.3.3, selection from a list of AIDs).
UNIONPAY_AIDS = (UNIONPAY_DEBIT, UNIONPAY_CREDIT, UNIONPAY_QUASI_CREDIT)
AID_KINDS = {UNIONPAY_DEBIT: "debit", UNIONPAY_CREDIT: "credit", UNIONPAY_QUASI_CREDIT: "quasi_credit"}

TRACK2_SEPARATOR = "D"


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812-1 check digit."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_complete(stem: str) -> str:
    """``stem`` followed by its Luhn check digit (for the simulators' card numbers)."""
    for digit in "0123456789":
        if luhn_ok(stem + digit):
            return stem + digit
    raise AssertionError("unreachable")


def check_pan(pan: str, where: str = "PAN") -> str:
    if not pan.isascii() or not pan.isdigit() or not 12 <= len(pan) <= 19:
        raise BankCardFormatError(f"{where}: not 12 to 19 digits")
    if not luhn_ok(pan):
        raise BankCardFormatError(f"{where}: check digit wrong")
    return pan


def bcd_digits(value: bytes, where: str) -> str:
    """Digits of a BCD value, trailing F padding removed (cn format); any other non-digit nibble is an error."""
    text = value.hex().upper().rstrip("F")
    if not text.isdigit():
        raise BankCardFormatError(f"{where}: not BCD digits")
    return text


def parse_yymmdd(value: bytes, where: str) -> dt.date:
    """EMV dates are n6 YYMMDD; years 00-49 are 20xx, 50-99 19xx (EMV Book 4 §6.7.3)."""
    digits = value.hex()
    if len(value) != 3 or not digits.isdigit():
        raise BankCardFormatError(f"{where}: not a YYMMDD date")
    year = int(digits[:2])
    try:
        return dt.date(2000 + year if year < 50 else 1900 + year, int(digits[2:4]), int(digits[4:6]))
    except ValueError as exc:
        raise BankCardFormatError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class Track2:
    pan: str
    expiry_yymm: str
    service_code: str
    discretionary: str


def parse_track2(text: str) -> Track2:
    """Track-2 equivalent data (tag 57) as hex text: PAN, D, YYMM, service code, discretionary data."""
    text = text.upper().rstrip("F")
    pan, separator, rest = text.partition(TRACK2_SEPARATOR)
    if not separator:
        raise BankCardFormatError("track 2: no field separator")
    check_pan(pan, "track 2 PAN")
    if len(rest) < 7 or not rest.isdigit():
        raise BankCardFormatError("track 2: expiry and service code missing or not digits")
    month = int(rest[2:4])
    if not 1 <= month <= 12:
        raise BankCardFormatError("track 2: expiry month out of range")
    if len(text) > 37:
        raise BankCardFormatError("track 2: longer than 37 characters")
    return Track2(pan, rest[:4], rest[4:7], rest[7:])


def mask_pan(pan: str) -> str:
    """First 6 and last 4 digits, the rest as asterisks (PCI DSS 3.4's most that may be shown)."""
    if len(pan) < 12:
        return "*" * len(pan)
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


@dataclass(frozen=True)
class BankCardData:
    pan: str  # primary account number (5A)
    track2: str  # track-2 equivalent data (57) as hex text with the separator D, F padding removed
    expiry: dt.date  # application expiration date (5F24)
    aid: bytes  # the application that was selected
    pan_sequence: int | None = None  # application PAN sequence number (5F34)
    # How the chip takes part (not who the card is: left out of equality)
    cdol1: bytes = field(default=b"", compare=False)  # what the card asks for at the first GENERATE AC (8C)
    cdol2: bytes = field(default=b"", compare=False)  # and at the second (8D)
    aip: bytes = field(default=b"", compare=False)  # application interchange profile (82), from GPO

    @property
    def masked_pan(self) -> str:
        return mask_pan(self.pan)

    @property
    def kind(self) -> str:
        """debit, credit, quasi_credit or other (a UnionPay AID outside the three PBOC ones)."""
        return AID_KINDS.get(self.aid, "other")

    @property
    def expiry_yymm(self) -> str:
        return self.expiry.strftime("%y%m")

    def expired(self, today: dt.date) -> bool:
        return today > self.expiry

    def to_json(self) -> dict[str, object]:
        """For `kiosk diag bank card`: masked, never the full PAN or track 2."""
        return {
            "pan": self.masked_pan,
            "expiry": self.expiry.isoformat(),
            "aid": self.aid.hex().upper(),
            "kind": self.kind,
            "pan_sequence": self.pan_sequence,
        }

    def __repr__(self) -> str:  # keep card data out of logs and tracebacks (DESIGN.md §8)
        return (
            f"BankCardData(pan={self.masked_pan!r}, track2='***', expiry={self.expiry_yymm!r}, "
            f"aid={self.aid.hex().upper()!r}, pan_sequence={self.pan_sequence!r})"
        )

    __str__ = __repr__
