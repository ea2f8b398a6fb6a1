"""ISO 8583 messages between the kiosk and the bank host, encoded by pyiso8583 with our spec.

The layout follows the UnionPay POS terminal convention (docs/bank.md has the table): a 5-byte TPDU header, the
message type as 2 BCD bytes, a binary primary bitmap; numeric fields (n) BCD, left-aligned and right-padded with
0 when of odd length, with a BCD length prefix when variable; text fields (an/ans) ASCII; binary fields raw.
On the wire every message is preceded by its length as 2 bytes big-endian (header included).

Field 52 is 8 bytes with TDES keys and 16 with SM4 (the pad's SM4 PIN block is one SM4 block); field 64 is always
8 bytes (X9.19's MAC, or the leftmost half of the SM4 CBC-MAC).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import iso8583

from drivers.bankhost.errors import MessageFormatError, format_error
from drivers.pinpad.crypto import Algorithm

TPDU_TO_HOST = "6000030000"  # 60: TPDU id; destination NII 0003 (the host); source 0000 (the terminal)
TPDU_TO_TERMINAL = "6000000003"
HEADER_BYTES = 5
LENGTH_BYTES = 2
MAX_MESSAGE = 2048  # larger frames are refused before reading them: ours are a few hundred bytes
MAC_BYTES = 8
CURRENCY_CNY = "156"

# MTIs
SIGN_ON = "0800"
SIGN_ON_RESPONSE = "0810"
PURCHASE = "0200"
PURCHASE_RESPONSE = "0210"
REVERSAL = "0400"
REVERSAL_RESPONSE = "0410"
REFUND = "0220"  # 退货: part or all of an approved purchase given back, naming the original (field 61)
REFUND_RESPONSE = "0230"
BATCH_UPLOAD = "0320"  # one approved purchase (its TC) for the host's books: at once, and at settlement
BATCH_UPLOAD_RESPONSE = "0330"
SETTLEMENT = "0500"
SETTLEMENT_RESPONSE = "0510"
RESPONSE_OF = {
    SIGN_ON: SIGN_ON_RESPONSE,
    PURCHASE: PURCHASE_RESPONSE,
    REVERSAL: REVERSAL_RESPONSE,
    REFUND: REFUND_RESPONSE,
    BATCH_UPLOAD: BATCH_UPLOAD_RESPONSE,
    SETTLEMENT: SETTLEMENT_RESPONSE,
}

PROCESSING_PURCHASE = "000000"
PROCESSING_REFUND = "200000"  # 20: credit to the cardholder (退货), UnionPay POS convention
ENTRY_MODE_IC_WITH_PIN = "051"  # 05: integrated circuit card; 1: PIN entry capability
ENTRY_MODE_IC_NO_PIN = "052"
CONDITION_NORMAL = "00"
PIN_CAPTURE = "12"  # field 26: the pad takes up to 12 digits
SECURITY_TDES = "2600000000000000"  # field 53: 2 format with PAN (ISO 9564 format 0); 6 double-length TDES
SECURITY_SM4 = "2400000000000000"  # 4: SM4 (ours; confirm the digit with the acquirer)
SECURITY_NO_PIN = "0600000000000000"

MANAGEMENT_SIGN_ON = "003"  # field 60.3: sign-on delivering double-length PIN and MAC keys
TYPE_SIGN_ON = "00"
TYPE_PURCHASE = "22"  # field 60.1 of purchase and its reversal
TYPE_REFUND = "25"  # field 60.1 of a refund (退货)
TYPE_SETTLEMENT = "00"
MANAGEMENT_SETTLEMENT = "201"  # field 60.3 of the 0500
MANAGEMENT_TC_UPLOAD = "203"  # field 60.3 of a 0320 carrying one TC right after the purchase
MANAGEMENT_BATCH_UPLOAD = "201"  # field 60.3 of a 0320 in the batch upload after unbalanced totals
MANAGEMENT_BATCH_END = "202"  # field 60.3 of the 0320 closing the batch upload (field 48: how many were sent)
SETTLED_BALANCED = "1"  # last digit of the 0510's field 48
SETTLED_UNBALANCED = "2"


def _n(length: int) -> dict[str, Any]:
    """Fixed numeric, BCD, length in digits."""
    spec: dict[str, Any] = {"data_enc": "b", "len_enc": "ascii", "len_type": 0, "max_len": length}
    spec["len_count"] = "nibbles"
    if length % 2:
        spec["right_pad"] = "0"
    return spec


def _llvar_n(max_digits: int, length_bytes: int = 1) -> dict[str, Any]:
    return {
        "data_enc": "b",
        "len_enc": "bcd",
        "len_type": length_bytes,
        "max_len": max_digits,
        "len_count": "nibbles",
        "right_pad": "0",
    }


def _text(length: int) -> dict[str, Any]:
    return {"data_enc": "ascii", "len_enc": "ascii", "len_type": 0, "max_len": length}


def _binary(length: int) -> dict[str, Any]:
    return {"data_enc": "b", "len_enc": "ascii", "len_type": 0, "max_len": length}


BASE_SPEC: dict[str, dict[str, Any]] = {
    "h": {**_binary(HEADER_BYTES), "desc": "TPDU"},
    "t": {**_n(4), "desc": "Message type"},
    "p": {**_binary(8), "desc": "Primary bitmap"},
    "1": {**_binary(8), "desc": "Secondary bitmap (never used; present so that a set bit 1 decodes)"},
    "2": {**_llvar_n(19), "desc": "Primary account number"},
    "3": {**_n(6), "desc": "Processing code"},
    "4": {**_n(12), "desc": "Amount, transaction (fen)"},
    "11": {**_n(6), "desc": "System trace audit number"},
    "12": {**_n(6), "desc": "Local time hhmmss"},
    "13": {**_n(4), "desc": "Local date MMDD"},
    "14": {**_n(4), "desc": "Expiry YYMM"},
    "22": {**_n(3), "desc": "POS entry mode"},
    "23": {**_n(3), "desc": "Card sequence number"},
    "25": {**_n(2), "desc": "POS condition code"},
    "26": {**_n(2), "desc": "PIN capture code"},
    "35": {**_llvar_n(37), "desc": "Track 2 equivalent data (separator D)"},
    "37": {**_text(12), "desc": "Retrieval reference number"},
    "38": {**_text(6), "desc": "Authorisation code"},
    "39": {**_text(2), "desc": "Response code"},
    "41": {**_text(8), "desc": "Terminal id"},
    "42": {**_text(15), "desc": "Merchant id"},
    "48": {
        **_llvar_n(62, 2),
        "desc": "Settlement totals: debit count n3, debit fen n12, credit count n3, credit fen n12, result n1",
    },
    "49": {**_text(3), "desc": "Currency code"},
    "52": {**_binary(8), "desc": "PIN block, encrypted"},
    "53": {**_n(16), "desc": "Security related control information"},
    "55": {"data_enc": "b", "len_enc": "bcd", "len_type": 2, "max_len": 255, "desc": "IC card data (BER-TLV)"},
    "60": {**_llvar_n(17, 2), "desc": "Reserved private: type, batch, management code"},
    "61": {**_llvar_n(29, 2), "desc": "Original transaction: batch n6, STAN n6, local date MMDD n4 (refund)"},
    "62": {
        "data_enc": "b",
        "len_enc": "bcd",
        "len_type": 2,
        "max_len": 128,
        "desc": "Working keys (0810)",
    },
    "63": {"data_enc": "ascii", "len_enc": "bcd", "len_type": 2, "max_len": 63, "desc": "Operator / reserved"},
    "64": {**_binary(MAC_BYTES), "desc": "MAC"},
}

NUMERIC_FIELDS = frozenset({"t", "2", "3", "4", "11", "12", "13", "14", "22", "23", "25", "26", "48", "53", "60", "61"})
TEXT_PATTERNS = {
    "37": re.compile(r"[0-9A-Za-z ]{12}"),
    "38": re.compile(r"[0-9A-Za-z ]{6}"),
    "39": re.compile(r"[0-9A-Z]{2}"),
    "41": re.compile(r"[\x20-\x7e]{8}"),
    "42": re.compile(r"[\x20-\x7e]{15}"),
    "49": re.compile(r"[0-9]{3}"),
    "63": re.compile(r"[\x20-\x7e]*"),
}
TRACK2 = re.compile(r"[0-9]{12,19}D[0-9]{4,}")


def spec_for(algorithm: Algorithm) -> dict[str, dict[str, Any]]:
    spec = copy.deepcopy(BASE_SPEC)
    spec["52"]["max_len"] = 16 if algorithm is Algorithm.SM4 else 8
    return spec


SPECS = {algorithm: spec_for(algorithm) for algorithm in Algorithm}

Fields = dict[str, str]


def encode(fields: Mapping[str, str], algorithm: Algorithm = Algorithm.TDES) -> bytes:
    """Header + message. Binary values are uppercase hex text (pyiso8583's convention for data_enc "b")."""
    message = dict(fields)
    message.setdefault("h", TPDU_TO_HOST)
    try:
        raw, _encoded = iso8583.encode(message, SPECS[algorithm])
    except (iso8583.EncodeError, ValueError, TypeError, KeyError) as exc:
        raise format_error(f"cannot encode {fields.get('t', '?')}: {exc}") from None
    return bytes(raw)


def decode(raw: bytes, algorithm: Algorithm = Algorithm.TDES) -> Fields:
    """Parse header + message into fields; MessageFormatError for anything that is not a message of our spec."""
    try:
        decoded, _encoded = iso8583.decode(bytes(raw), SPECS[algorithm])
    except (iso8583.DecodeError, ValueError, TypeError, KeyError, IndexError, UnicodeError, OverflowError) as exc:
        raise format_error(f"not an ISO 8583 message of our spec: {exc}") from None
    validate(decoded)
    return decoded


def validate(fields: Mapping[str, str]) -> None:
    if not str(fields.get("h", "")).upper().startswith("60"):
        raise format_error("header is not a TPDU (60...)")
    if "1" in fields:
        raise format_error("secondary bitmap present: no field above 64 is used")
    for name in NUMERIC_FIELDS & fields.keys():
        if not fields[name].isdigit():
            raise format_error(f"field {name} is not numeric")
    for name, pattern in TEXT_PATTERNS.items():
        if name in fields and not pattern.fullmatch(fields[name]):
            raise format_error(f"field {name} has characters outside its format")
    if "35" in fields and not TRACK2.fullmatch(fields["35"].upper()):
        raise format_error("field 35 is not track 2 data")


def mac_data(raw: bytes) -> bytes:
    """The MAC block: everything from the message type to the end of the field before 64 (header excluded).
    ``raw`` is a full header + message whose last field is 64."""
    return bytes(raw[HEADER_BYTES:-MAC_BYTES])


def with_mac(raw: bytes, mac: bytes) -> bytes:
    return bytes(raw[:-MAC_BYTES]) + mac[:MAC_BYTES]


def frame(raw: bytes) -> bytes:
    if len(raw) > MAX_MESSAGE:
        raise format_error(f"message of {len(raw)} bytes is larger than {MAX_MESSAGE}")
    return len(raw).to_bytes(LENGTH_BYTES, "big") + raw


def local_time_fields(when: dt.datetime) -> Fields:
    return {"12": when.strftime("%H%M%S"), "13": when.strftime("%m%d")}


def amount_field(amount_fen: int) -> str:
    if not isinstance(amount_fen, int) or not 0 < amount_fen < 10**12:
        raise format_error(f"amount {amount_fen!r} is not a positive integer of fen below 10^12")
    return f"{amount_fen:012d}"


__all__ = [
    "MessageFormatError",
    "decode",
    "encode",
    "frame",
    "mac_data",
    "spec_for",
    "with_mac",
]
