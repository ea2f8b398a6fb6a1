"""Command set carried inside the frames: mnemonics, status codes, request and answer layout.

The ZT588 vendor manual is not public, so this command set is our own, written down in docs/pinpad.md:

- request: ``MN[,arg...]`` (ASCII; MN a two-letter mnemonic, binary values as uppercase hex)
- answer:  ``MN,SS[,NAME=VALUE...]`` where SS is the status as two hex digits (``00`` success). A frame the pad
  cannot attribute to a command (bad checksum, bad length, unknown mnemonic) is answered ``ER,SS``.
- the result of PIN entry arrives later, unsolicited, as ``PB,SS[,BLOCK=hex]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from drivers.pinpad.errors import PinPadError, make_error


class Command(StrEnum):
    STATUS = "ST"
    RESET = "RS"
    SELECT_ALGORITHM = "AL"  # AL,TDES | AL,SM4
    LOAD_COMPONENT = "MC"  # MC,<1|2>,<component hex>          -> KCV=
    COMBINE_MASTER = "MK"  # MK                                -> KCV=
    LOAD_WORKING_KEY = "WK"  # WK,<P|M>,<key under TMK hex>,<KCV hex> -> KCV=
    CHECK_VALUES = "KV"  # KV                                -> TMK= TPK= TAK= (those loaded)
    PIN_ENTRY = "PE"  # PE,<12 PAN digits>,<min>,<max>,<timeout s>
    PIN_RESULT = "PB"  # unsolicited: PB,00,BLOCK=<hex> | PB,<status>
    CANCEL = "CA"
    MAC = "MA"  # MA,<M|L>,<data hex>: M = more chunks follow, L = last -> MAC=
    ERROR = "ER"  # answer only


class PadStatus(IntEnum):
    OK = 0x00
    BAD_CHECKSUM = 0x01
    BAD_LENGTH = 0x02
    UNKNOWN_COMMAND = 0x03
    BAD_PARAMETER = 0x04
    KEY_MISSING = 0x05
    KCV_MISMATCH = 0x06
    BUSY = 0x07
    PIN_TIMEOUT = 0x08
    PIN_CANCELED = 0x09
    TAMPERED = 0x0A
    HARDWARE_FAULT = 0x0B
    KEY_INVALID = 0x0C  # wrong length for the algorithm, or a weak key (identical components)


STATUS_CODES: dict[PadStatus, str] = {
    PadStatus.BAD_CHECKSUM: "pinpad_bad_checksum",
    PadStatus.BAD_LENGTH: "pinpad_bad_length",
    PadStatus.UNKNOWN_COMMAND: "pinpad_unknown_command",
    PadStatus.BAD_PARAMETER: "pinpad_bad_parameter",
    PadStatus.KEY_MISSING: "pinpad_key_missing",
    PadStatus.KCV_MISMATCH: "pinpad_kcv_mismatch",
    PadStatus.BUSY: "pinpad_busy",
    PadStatus.PIN_TIMEOUT: "pinpad_pin_timeout",
    PadStatus.PIN_CANCELED: "pinpad_pin_canceled",
    PadStatus.TAMPERED: "pinpad_tampered",
    PadStatus.HARDWARE_FAULT: "pinpad_hardware_fault",
    PadStatus.KEY_INVALID: "pinpad_key_invalid",
}


@dataclass(frozen=True)
class Request:
    command: str
    args: tuple[str, ...] = ()

    def encode(self) -> bytes:
        return ",".join((self.command, *self.args)).encode("ascii")


def parse_request(payload: bytes) -> Request:
    """Pad side. Raises ValueError on a payload that is not ASCII text."""
    text = payload.decode("ascii")
    if not text.isprintable():
        raise ValueError("control characters in a command")
    command, *args = text.split(",")
    return Request(command, tuple(args))


@dataclass(frozen=True)
class Response:
    command: str
    status: int
    fields: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        parts = [self.command, f"{self.status:02X}", *(f"{k}={v}" for k, v in self.fields.items())]
        return ",".join(parts).encode("ascii")


def parse_response(payload: bytes) -> Response:
    """Host side. Anything malformed raises PinPadProtocolError (code pinpad_bad_response)."""

    def bad(why: str) -> PinPadError:
        return make_error("pinpad_bad_response", f"{why}: {payload[:80]!r}")

    try:
        text = payload.decode("ascii")
    except UnicodeDecodeError:
        raise bad("answer is not ASCII") from None
    if not text.isprintable():
        raise bad("control characters in the answer")
    parts = text.split(",")
    if len(parts) < 2 or len(parts[0]) != 2 or not parts[0].isalpha() or not parts[0].isupper():
        raise bad("answer lacks a mnemonic and a status")
    status_text = parts[1]
    if len(status_text) != 2 or any(c not in "0123456789ABCDEF" for c in status_text):
        raise bad("status is not two hex digits")
    fields: dict[str, str] = {}
    for part in parts[2:]:
        name, sep, value = part.partition("=")
        if not sep or not name:
            raise bad(f"field {part!r} is not NAME=VALUE")
        fields[name] = value
    return Response(parts[0], int(status_text, 16), fields)


def status_error(status: int, command: str) -> PinPadError:
    """The typed error for a non-zero status byte the pad answered ``command`` with."""
    try:
        code = STATUS_CODES[PadStatus(status)]
    except (ValueError, KeyError):
        return make_error(
            "pinpad_unknown_status", f"{command}: the pad answered unknown status 0x{status:02X}"
        )
    return make_error(code, f"{command}: the pad answered status 0x{status:02X} ({PadStatus(status).name})")


def hex_field(response: Response, name: str, lengths: tuple[int, ...]) -> bytes:
    """A hex field of an answer, checked for its byte length."""
    value = response.fields.get(name)
    data = strict_unhex(value) if value is not None else None
    if data is None or len(data) not in lengths:
        raise make_error(
            "pinpad_bad_response", f"{response.command}: field {name}={value!r} is not {lengths} bytes hex"
        )
    return data


_HEX_DIGITS = frozenset("0123456789ABCDEFabcdef")


def strict_unhex(text: str) -> bytes | None:
    """Bytes of an even-length hex string; None for anything else (bytes.fromhex would accept spaces)."""
    if len(text) % 2 or not set(text) <= _HEX_DIGITS:
        return None
    return bytes.fromhex(text)
