"""The terminal's side of the chip transaction (EMV Book 3 §6.5 and §10.8-10.11, Book 4 §6.3; JR/T 0025.5 keeps
them): the CDOL data of the two GENERATE ACs, the TVR, the card's answer, field 55 of the purchase, the issuer's
answer (ARPC and scripts) out of field 55 of the 0210.

The kiosk is terminal type 24 (9F35): unattended (the 4), operated by a merchant (the 2: the social-insurance
bureau sells a service; 1x is for terminals a bank runs, such as ATMs), online only (4 rather than 5 or 6: the kiosk
has no offline approval and no floor limit). Its terminal action analysis therefore always asks the card for an
ARQC; a card that answers AAC is declined offline, and nothing goes to the host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from drivers.bankcard import tlv
from drivers.bankcard.errors import BankCardFormatError

TERMINAL_TYPE = b"\x24"  # 9F35: see the module's docstring
TERMINAL_CAPABILITIES = bytes.fromhex("204000")  # 9F33: IC with contacts; enciphered PIN online; no ODA, no CDA
CVM_RESULTS_ONLINE_PIN = bytes.fromhex("420300")  # 9F34: 42 online PIN (apply next rule), 03 always, 00 unknown
APPLICATION_VERSION = bytes.fromhex("0030")  # 9F09: PBOC 3.0
COUNTRY_CN = bytes.fromhex("0156")
CURRENCY_CNY = bytes.fromhex("0156")
TYPE_GOODS_SERVICES = b"\x00"

# GENERATE AC reference control parameter (P1, EMV Book 3 Table 12)
P1_AAC = 0x00
P1_TC = 0x40
P1_ARQC = 0x80
CDA_REQUESTED = 0x10

# Cryptogram information data (9F27), bits 8-7: the type of the cryptogram returned
AAC, TC, ARQC = "AAC", "TC", "ARQC"
CID_TYPES = {0x00: AAC, 0x40: TC, 0x80: ARQC}

# TVR bits this terminal sets (EMV Book 3 Annex C5): byte index, bit
TVR_ODA_NOT_PERFORMED = (0, 0x80)  # the kiosk does no offline data authentication: it goes online every time
TVR_EXPIRED = (1, 0x40)
TVR_NOT_YET_EFFECTIVE = (1, 0x20)
TVR_ONLINE_PIN_ENTERED = (2, 0x04)
TVR_FLOOR_LIMIT_EXCEEDED = (3, 0x80)  # floor limit 0: every purchase exceeds it
TVR_ISSUER_AUTH_FAILED = (4, 0x40)
TVR_SCRIPT_FAILED_BEFORE = (4, 0x20)
TVR_SCRIPT_FAILED_AFTER = (4, 0x10)

# What field 55 of the 0200 carries, in this order (DESIGN.md §3.4; UnionPay's list for an ARQC)
FIELD55_TAGS = (
    0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A,
    0x82, 0x9F1A, 0x9F03, 0x9F33, 0x9F34, 0x9F35, 0x9F1E, 0x84, 0x9F09, 0x9F41,
)  # fmt: skip
# What a reversal or TC upload carries: the card's last cryptogram and what it was computed over
FINAL_AC_TAGS = (0x9F26, 0x9F27, 0x9F10, 0x9F36, 0x95, 0x9F37)
# What the TC's batch upload (0320) carries: the TC and the CDOL data it was computed over, so the host can check it
# (the card's AIP, the amounts, country, currency, date and type); the PAN is in the purchase's own fields, not here
TC_UPLOAD_TAGS = (*FINAL_AC_TAGS, 0x82, 0x9A, 0x9C, 0x9F02, 0x9F03, 0x5F2A, 0x9F1A)

# Numeric (n) data elements: shorter values are left-padded with zeros, longer ones keep the right end
NUMERIC_TAGS = frozenset({0x9F02, 0x9F03, 0x5F2A, 0x9F1A, 0x9A, 0x9C, 0x9F21, 0x5F36, 0x9F41})


def build_tvr(*bits: tuple[int, int]) -> bytes:
    tvr = bytearray(5)
    for index, mask in bits:
        tvr[index] |= mask
    return bytes(tvr)


def purchase_tvr(today: dt.date, expiry: dt.date, online_pin: bool = True) -> bytes:
    """The TVR at the first GENERATE AC of a kiosk purchase."""
    bits = [TVR_ODA_NOT_PERFORMED, TVR_FLOOR_LIMIT_EXCEEDED]
    if today > expiry:
        bits.append(TVR_EXPIRED)
    if online_pin:
        bits.append(TVR_ONLINE_PIN_ENTERED)
    return build_tvr(*bits)


def with_bits(tvr: bytes, *bits: tuple[int, int]) -> bytes:
    return bytes(a | b for a, b in zip(tvr, build_tvr(*bits), strict=True))


def bcd(number: int, length: int) -> bytes:
    return bytes.fromhex(f"{number:0{2 * length}d}")


def transaction_values(
    *,
    amount_fen: int,
    when: dt.datetime,
    unpredictable: bytes,
    tvr: bytes,
    sequence: int,
    terminal_id: str,
    merchant_name: bytes = b"",
) -> dict[int, bytes]:
    """Every terminal data element a card may ask for in a CDOL, for one purchase."""
    if len(unpredictable) != 4 or len(tvr) != 5:
        raise ValueError("the unpredictable number is 4 bytes and the TVR 5")
    return {
        0x9F02: bcd(amount_fen, 6),
        0x9F03: bytes(6),
        0x9F1A: COUNTRY_CN,
        0x95: tvr,
        0x5F2A: CURRENCY_CNY,
        0x9A: bytes.fromhex(when.strftime("%y%m%d")),
        0x9F21: bytes.fromhex(when.strftime("%H%M%S")),
        0x9C: TYPE_GOODS_SERVICES,
        0x9F37: unpredictable,
        0x9F35: TERMINAL_TYPE,
        0x9F33: TERMINAL_CAPABILITIES,
        0x9F34: CVM_RESULTS_ONLINE_PIN,
        0x9F1E: terminal_id.encode("ascii")[:8].ljust(8, b" "),  # IFD serial number: the terminal id
        0x9F09: APPLICATION_VERSION,
        0x9F41: bcd(sequence % 10**8, 4),  # transaction sequence counter: the STAN
        0x9F4E: merchant_name[:20].ljust(20, b" "),
        0x9F7A: b"\x00",
    }


def dol_data(dol: bytes, values: Mapping[int, bytes]) -> bytes:
    """The values a DOL asks for, each fitted to its length; a tag the terminal does not know is zeros (EMV Book 3
    §5.4)."""
    out = bytearray()
    for tag, length in tlv.parse_dol(dol):
        value = values.get(tag)
        if value is None:
            out += bytes(length)
        elif tag in NUMERIC_TAGS:
            out += value[-length:].rjust(length, b"\x00") if length else b""
        else:
            out += value[:length].ljust(length, b"\x00")
    return bytes(out)


def generate_ac_apdu(p1: int, data: bytes) -> bytes:
    if not 0 < len(data) < 256:
        raise ValueError("GENERATE AC data is 1 to 255 bytes")
    return bytes([0x80, 0xAE, p1, 0x00, len(data)]) + data + b"\x00"


@dataclass(frozen=True)
class AcResponse:
    """The card's answer to GENERATE AC."""

    cid: int  # 9F27
    atc: bytes  # 9F36
    cryptogram: bytes  # 9F26
    iad: bytes = b""  # 9F10, issuer application data (the CVR inside)

    @property
    def kind(self) -> str:
        return CID_TYPES.get(self.cid & 0xC0, "AAR")

    def values(self) -> dict[int, bytes]:
        return {0x9F27: bytes([self.cid]), 0x9F36: self.atc, 0x9F26: self.cryptogram, 0x9F10: self.iad}


def parse_ac_response(data: bytes) -> AcResponse:
    """Format 1 (`80`: CID ‖ ATC ‖ AC ‖ IAD) or format 2 (`77` with 9F27, 9F36, 9F26, 9F10)."""
    objects = tlv.parse(data)
    if len(objects) != 1:
        raise BankCardFormatError("GENERATE AC answer is not one data object")
    top = objects[0]
    if top.tag == 0x80:
        value = top.value
        if len(value) < 11:
            raise BankCardFormatError("GENERATE AC format 1 answer shorter than 11 bytes")
        return AcResponse(value[0], value[1:3], value[3:11], value[11:])
    if top.tag == 0x77:
        parts = {tag: top.find(tag) for tag in (0x9F27, 0x9F36, 0x9F26, 0x9F10)}
        cid, atc, ac = parts[0x9F27], parts[0x9F36], parts[0x9F26]
        if cid is None or atc is None or ac is None or len(cid.value) != 1 or len(atc.value) != 2:
            raise BankCardFormatError("GENERATE AC format 2 answer lacks 9F27, 9F36 or 9F26")
        iad = parts[0x9F10]
        return AcResponse(cid.value[0], atc.value, ac.value, iad.value if iad else b"")
    raise BankCardFormatError(f"GENERATE AC answer template {top.tag:X} is neither 80 nor 77")


def issuer_auth_failed(iad: bytes) -> bool:
    """The card's CVR (PBOC/VIS layout in 9F10: length, DKI, CVN, CVR length 03, CVR) says issuer authentication
    was performed and failed (CVR byte 2 bit 4)."""
    return len(iad) >= 5 and bool(iad[4] & 0x08)


def field55(values: Mapping[int, bytes], tags: tuple[int, ...] = FIELD55_TAGS) -> bytes:
    """BER-TLV of ``tags`` in order; a tag without a value is left out."""
    return b"".join(tlv.encode(tag, values[tag]) for tag in tags if tag in values)


def field55_values(data: bytes) -> dict[int, bytes]:
    """The primitive data objects of a field 55, first occurrence of each tag."""
    found: dict[int, bytes] = {}
    for item in tlv.primitives(tlv.parse(data)):
        found.setdefault(item.tag, item.value)
    return found


@dataclass(frozen=True)
class IssuerResponse:
    """Field 55 of the 0210: issuer authentication data (91: ARPC ‖ ARC for method 1) and issuer scripts."""

    auth_data: bytes | None = None
    scripts_before: list[list[bytes]] = field(default_factory=list)  # 71 templates: their 86 commands
    scripts_after: list[list[bytes]] = field(default_factory=list)  # 72 templates


def parse_issuer_response(data: bytes) -> IssuerResponse:
    if not data:
        return IssuerResponse()
    objects = tlv.parse(data)
    auth = tlv.find(objects, 0x91)
    before = [[command.value for command in tlv.find_all(s.children or (), 0x86)] for s in _top(objects, 0x71)]
    after = [[command.value for command in tlv.find_all(s.children or (), 0x86)] for s in _top(objects, 0x72)]
    return IssuerResponse(auth.value if auth else None, before, after)


def _top(objects: tuple[tlv.Tlv, ...], tag: int) -> list[tlv.Tlv]:
    return [item for item in objects if item.tag == tag]


def issuer_response(auth_data: bytes | None, before: list[list[bytes]], after: list[list[bytes]]) -> bytes:
    """The inverse of parse_issuer_response (the host simulator's answer)."""
    out = tlv.encode(0x91, auth_data) if auth_data else b""
    for tag, scripts in ((0x71, before), (0x72, after)):
        for commands in scripts:
            out += tlv.encode_constructed(tag, *(tlv.encode(0x86, command) for command in commands))
    return out
