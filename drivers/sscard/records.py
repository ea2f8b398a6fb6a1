"""Records of the social security card's SSSE application: layout, decoding and the inverse encoding.

Source: DESIGN.md §3.2 (from the national social security card specification, 社会保障卡规范). Every record is
`tag len value`. Numeric fields are BCD padded with F nibbles, text fields are padded with 00 bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from drivers.sscard.errors import SsCardFormatError


class Kind(Enum):
    BINARY = "binary"  # raw bytes of exactly the given length
    BYTE = "byte"  # one binary byte
    ASCII = "ascii"  # printable ASCII, 00-padded
    GBK = "gbk"  # GBK text, 00-padded
    BCD = "bcd"  # BCD digits, F-padded
    BCD_DATE = "bcd_date"  # BCD YYYYMMDD


@dataclass(frozen=True)
class Field:
    tag: int
    name: str
    length: int
    kind: Kind


EF05 = 0xEF05  # card issuer file (发卡机构信息)
EF06 = 0xEF06  # holder file (持卡人基本信息)

# tag -> field, in reading order; EF05 holds records 01-07, EF06 records 08-0D (DESIGN.md §3.2).
EF05_FIELDS = (
    Field(0x01, "card_id_code", 16, Kind.BINARY),
    Field(0x02, "card_category", 1, Kind.ASCII),
    Field(0x03, "spec_version", 4, Kind.ASCII),
    Field(0x04, "issuer_org", 12, Kind.BINARY),
    Field(0x05, "issue_date", 4, Kind.BCD_DATE),
    Field(0x06, "expiry_date", 4, Kind.BCD_DATE),
    Field(0x07, "card_number", 9, Kind.ASCII),
)
EF06_FIELDS = (
    Field(0x08, "id_number", 18, Kind.ASCII),
    Field(0x09, "name", 30, Kind.GBK),
    Field(0x0A, "sex", 1, Kind.ASCII),
    Field(0x0B, "nation", 1, Kind.BYTE),
    Field(0x0C, "birthplace", 3, Kind.BCD),
    Field(0x0D, "birth_date", 4, Kind.BCD_DATE),
)
FILES = ((EF05, EF05_FIELDS), (EF06, EF06_FIELDS))
FIELDS = {f.tag: f for f in EF05_FIELDS + EF06_FIELDS}

ID_NUMBER = re.compile(r"\d{17}[\dX]")
SEX_CODES = frozenset("0129")  # GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unstated
NATION_CODES = frozenset([*range(1, 57), 97, 98])  # GB/T 3304: 01-56, 97 other, 98 naturalised foreigner


# -- TLV ------
def split_record(record: bytes, expected_tag: int) -> bytes:
    """The value of a `tag len value` record; typed error on a wrong tag or inconsistent length."""
    if len(record) < 2:
        raise SsCardFormatError(f"record {expected_tag:02X}: {len(record)} bytes, a record has at least 2")
    tag, length = record[0], record[1]
    if tag != expected_tag:
        raise SsCardFormatError(f"record {expected_tag:02X}: tag {tag:02X} found")
    if length != len(record) - 2:
        raise SsCardFormatError(f"record {tag:02X}: length byte {length}, {len(record) - 2} value bytes follow")
    return bytes(record[2:])


def make_record(tag: int, value: bytes) -> bytes:
    if len(value) > 0xFF:
        raise ValueError(f"record {tag:02X}: value of {len(value)} bytes does not fit a 1-byte length")
    return bytes([tag, len(value)]) + value


# -- BCD ------
def decode_bcd(value: bytes, tag: int) -> str:
    """Digits of F-padded BCD: an F ends the number and only F may follow it."""
    digits: list[str] = []
    padded = False
    for byte in value:
        for nibble in (byte >> 4, byte & 0x0F):
            if nibble == 0xF:
                padded = True
            elif padded or nibble > 9:
                raise SsCardFormatError(f"record {tag:02X}: not F-padded BCD: {value.hex().upper()}")
            else:
                digits.append(str(nibble))
    return "".join(digits)


def encode_bcd(digits: str, length: int) -> bytes:
    if not digits.isdigit() and digits:
        raise ValueError(f"BCD takes digits only, not {digits!r}")
    if len(digits) > 2 * length:
        raise ValueError(f"{digits!r} does not fit {length} BCD bytes")
    return bytes.fromhex(digits.ljust(2 * length, "F"))


def decode_date(value: bytes, tag: int) -> dt.date:
    digits = decode_bcd(value, tag)
    if len(digits) != 8:
        raise SsCardFormatError(f"record {tag:02X}: date needs 8 BCD digits, found {digits!r}")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise SsCardFormatError(f"record {tag:02X}: no such date {digits}") from exc


# -- text ------
def strip_padding(value: bytes, tag: int) -> bytes:
    """Text is 00-padded at the end; a 00 followed by text is malformed."""
    text = value.rstrip(b"\x00")
    if b"\x00" in text:
        raise SsCardFormatError(f"record {tag:02X}: NUL inside the text")
    return text


def decode_ascii(value: bytes, tag: int) -> str:
    text = strip_padding(value, tag)
    if any(b < 0x20 or b > 0x7E for b in text):
        raise SsCardFormatError(f"record {tag:02X}: not printable ASCII: {value.hex().upper()}")
    return text.decode("ascii")


def decode_gbk(value: bytes, tag: int) -> str:
    try:
        text = strip_padding(value, tag).decode("gbk")
    except UnicodeDecodeError as exc:
        raise SsCardFormatError(f"record {tag:02X}: not GBK text: {value.hex().upper()}") from exc
    if not text.strip() or any(not ch.isprintable() for ch in text):
        raise SsCardFormatError(f"record {tag:02X}: empty or unprintable name")
    return text


def pad_text(raw: bytes, length: int) -> bytes:
    if len(raw) > length:
        raise ValueError(f"{raw!r} is longer than {length} bytes")
    return raw.ljust(length, b"\x00")


# -- one field ------
def decode_field(tag: int, record: bytes) -> object:
    """Decode the record of ``tag`` into its Python value (str, bytes, int or date); typed error when malformed."""
    field = FIELDS[tag]
    value = split_record(record, tag)
    fixed = field.kind in (Kind.BINARY, Kind.BYTE, Kind.BCD, Kind.BCD_DATE) or field.name in ("id_number", "sex")
    if (fixed and len(value) != field.length) or len(value) > field.length or not value:
        raise SsCardFormatError(f"record {tag:02X} ({field.name}): {len(value)} bytes, expected {field.length}")
    if field.kind is Kind.BINARY:
        return value
    if field.kind is Kind.BYTE:
        return _check_nation(value[0]) if field.name == "nation" else value[0]
    if field.kind is Kind.BCD:
        digits = decode_bcd(value, tag)
        if len(digits) != 2 * field.length:
            raise SsCardFormatError(f"record {tag:02X} ({field.name}): {digits!r} is not a six-digit code")
        return digits
    if field.kind is Kind.BCD_DATE:
        return decode_date(value, tag)
    if field.kind is Kind.GBK:
        return decode_gbk(value, tag)
    text = decode_ascii(value, tag)
    _check_text(field, text)
    return text


def _check_nation(code: int) -> str:
    if code not in NATION_CODES:
        raise SsCardFormatError(f"record 0B (nation): {code} is not a GB/T 3304 code")
    return f"{code:02d}"


def _check_text(field: Field, text: str) -> None:
    if field.name == "id_number" and not ID_NUMBER.fullmatch(text):
        raise SsCardFormatError("record 08 (id_number): not 17 digits and a check character")
    if field.name == "sex" and text not in SEX_CODES:
        raise SsCardFormatError(f"record 0A (sex): {text!r} is not a GB/T 2261.1 code")
    if not text:
        raise SsCardFormatError(f"record {field.tag:02X} ({field.name}): empty")


def encode_field(tag: int, value: object) -> bytes:
    """The inverse of decode_field, for the simulator: a full `tag len value` record at the spec length."""
    field = FIELDS[tag]
    if field.kind is Kind.BINARY:
        raw = bytes(value)  # type: ignore[call-overload]
        if len(raw) != field.length:
            raise ValueError(f"{field.name} needs {field.length} bytes")
    elif field.kind is Kind.BYTE:
        raw = bytes([int(value)])  # type: ignore[call-overload]
    elif field.kind is Kind.BCD:
        raw = encode_bcd(str(value), field.length)
    elif field.kind is Kind.BCD_DATE:
        raw = encode_bcd(value.strftime("%Y%m%d"), field.length)  # type: ignore[attr-defined]
    elif field.kind is Kind.GBK:
        raw = pad_text(str(value).encode("gbk"), field.length)
    else:
        raw = pad_text(str(value).encode("ascii"), field.length)
    return make_record(tag, raw)
