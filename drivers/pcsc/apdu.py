"""APDU helpers: status words and a transmit loop that follows `6C xx` and `61 xx` (ISO/IEC 7816-4 §5.1.3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.pcsc.errors import CARD_ERROR, pcsc_error

SW_OK = 0x9000
# ISO/IEC 7816-4 table 5/6: the first byte of the interindustry status words that carry a length.
SW1_BYTES_AVAILABLE = 0x61  # 61 xx: xx more bytes available, fetch with GET RESPONSE
SW1_WRONG_LE = 0x6C  # 6C xx: wrong Le, xx is the exact length

GET_RESPONSE_HEADER = bytes([0x00, 0xC0, 0x00, 0x00])
MAX_GET_RESPONSE = 32  # a card chaining more than 32 x 256 bytes is broken, not slow

STATUS_WORD_NAMES = {
    0x9000: "success",
    0x6281: "part of returned data may be corrupted",
    0x6282: "end of file or record reached before reading Ne bytes",
    0x6700: "wrong length",
    0x6981: "command incompatible with file structure",
    0x6982: "security status not satisfied",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A86: "incorrect parameters P1-P2",
    0x6D00: "instruction code not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


@dataclass(frozen=True)
class Response:
    """An R-APDU split into data and status word."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @property
    def sw_text(self) -> str:
        return describe_status_word(self.sw)


def describe_status_word(sw: int) -> str:
    name = STATUS_WORD_NAMES.get(sw)
    if name is None and sw >> 8 == SW1_BYTES_AVAILABLE:
        name = f"{sw & 0xFF} bytes available"
    if name is None and sw >> 8 == SW1_WRONG_LE:
        name = f"wrong Le, exact length {sw & 0xFF}"
    return f"{sw:04X} ({name})" if name else f"{sw:04X}"


def split_response(raw: bytes) -> Response:
    """Split a raw R-APDU; fewer than two bytes is a broken answer (typed error)."""
    if len(raw) < 2:
        raise pcsc_error(CARD_ERROR, f"R-APDU too short: {raw.hex(' ').upper() or '(empty)'}")
    return Response(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])


def with_le(apdu: bytes, le: int) -> bytes:
    """The same case-2 (or case-4) command with its Le byte replaced (short APDUs only)."""
    if len(apdu) < 4:
        raise ValueError("an APDU has at least a 4-byte header")
    if len(apdu) == 4:
        return apdu + bytes([le & 0xFF])
    if len(apdu) == 5:  # case 2: header + Le
        return apdu[:4] + bytes([le & 0xFF])
    lc = apdu[4]
    body_end = 5 + lc
    return apdu[:body_end] + bytes([le & 0xFF])


def transmit(send: Callable[[bytes], bytes], apdu: bytes) -> Response:
    """Send ``apdu`` through ``send`` (raw bytes in, raw R-APDU out) and follow the length status words.

    `6C xx` resends the command once with Le=xx; `61 xx` sends GET RESPONSE `00 C0 00 00 xx` until the card
    stops announcing more bytes, concatenating the data. Anything else is returned for the caller to judge.
    """
    response = split_response(send(apdu))
    if response.sw >> 8 == SW1_WRONG_LE:
        response = split_response(send(with_le(apdu, response.sw & 0xFF)))
    data = response.data
    rounds = 0
    while response.sw >> 8 == SW1_BYTES_AVAILABLE:
        rounds += 1
        if rounds > MAX_GET_RESPONSE:
            raise pcsc_error(CARD_ERROR, f"card keeps answering 61 xx after {MAX_GET_RESPONSE} GET RESPONSE commands")
        response = split_response(send(GET_RESPONSE_HEADER + bytes([response.sw & 0xFF])))
        if response.sw >> 8 == SW1_WRONG_LE:
            response = split_response(send(GET_RESPONSE_HEADER + bytes([response.sw & 0xFF])))
        data += response.data
    return Response(data, response.sw)
