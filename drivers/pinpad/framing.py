"""ZT588-family framing and the incremental decoder of what the pad sends (DESIGN.md §3.3).

Frame: ``02 | LLL (3 ASCII decimal digits, the command length) | command (ASCII) | 03 | HH`` where HH is two
ASCII hex digits of the XOR of the length digits, the command bytes and ETX (STX is not included).

Bytes outside a frame are key events: ``*`` (0x2A) per PIN digit, enter 0x0D, cancel 0x1B, clear 0x08. Any
other stray byte (for instance a digit a pad in plain-text mode would send) is counted but its value is dropped
here, so no code path above this module can ever see a digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum, auto

from drivers.pinpad.errors import PinPadProtocolError, make_error

STX = 0x02
ETX = 0x03
MAX_PAYLOAD = 999  # three decimal length digits
_DIGITS = frozenset(b"0123456789")
_HEX = frozenset(b"0123456789ABCDEFabcdef")


class Key(StrEnum):
    """A key event reported by the pad, as passed to ``on_key``."""

    ASTERISK = "*"
    ENTER = "enter"
    CANCEL = "cancel"
    CLEAR = "clear"


KEY_BYTES: dict[int, Key] = {0x2A: Key.ASTERISK, 0x0D: Key.ENTER, 0x1B: Key.CANCEL, 0x08: Key.CLEAR}
KEY_TO_BYTE: dict[Key, int] = {key: byte for byte, key in KEY_BYTES.items()}


@dataclass(frozen=True)
class Frame:
    payload: bytes


@dataclass(frozen=True)
class KeyEvent:
    key: Key


@dataclass(frozen=True)
class StrayBytes:
    """Bytes outside a frame that are not key events; only their number is kept."""

    count: int


Item = Frame | KeyEvent | StrayBytes | PinPadProtocolError


def checksum(length_digits: bytes, payload: bytes) -> int:
    value = ETX
    for byte in length_digits + payload:
        value ^= byte
    return value


def encode_frame(payload: bytes) -> bytes:
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"command of {len(payload)} bytes does not fit a frame (max {MAX_PAYLOAD})")
    length = f"{len(payload):03d}".encode("ascii")
    return bytes([STX]) + length + payload + bytes([ETX]) + f"{checksum(length, payload):02X}".encode("ascii")


class _State(Enum):
    IDLE = auto()
    LENGTH = auto()
    PAYLOAD = auto()
    ETX = auto()
    CHECKSUM = auto()


class FrameDecoder:
    """Feed it bytes as they arrive; it returns frames, key events, stray-byte counts and typed errors.

    A malformed frame is returned as a PinPadProtocolError item (never raised) and decoding resynchronises on
    the next STX, so one corrupt frame cannot swallow the next one. Linear in its input: it cannot hang.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._state = _State.IDLE
        self._length_digits = bytearray()
        self._payload = bytearray()
        self._expected = 0
        self._check = bytearray()
        self._stray = 0

    @property
    def in_frame(self) -> bool:
        return self._state is not _State.IDLE

    def feed(self, data: bytes) -> list[Item]:
        items: list[Item] = []
        for byte in data:
            self._step(byte, items)
        self._flush_stray(items)
        return items

    def _flush_stray(self, items: list[Item]) -> None:
        if self._stray:
            items.append(StrayBytes(self._stray))
            self._stray = 0

    def _fail(self, items: list[Item], detail: str, code: str = "pinpad_bad_frame") -> None:
        items.append(make_error(code, detail))  # type: ignore[arg-type]
        self._state = _State.IDLE

    def _step(self, byte: int, items: list[Item]) -> None:
        state = self._state
        if state is _State.IDLE:
            if byte == STX:
                self._flush_stray(items)
                self._state = _State.LENGTH
                self._length_digits.clear()
                self._payload.clear()
                self._check.clear()
            elif byte in KEY_BYTES:
                self._flush_stray(items)
                items.append(KeyEvent(KEY_BYTES[byte]))
            else:
                self._stray += 1
        elif state is _State.LENGTH:
            if byte not in _DIGITS:
                self._fail(items, f"length field holds byte 0x{byte:02X}, not a decimal digit")
                self._step(byte, items)  # it may start the next frame or be a key
                return
            self._length_digits.append(byte)
            if len(self._length_digits) == 3:
                self._expected = int(self._length_digits)
                self._state = _State.PAYLOAD if self._expected else _State.ETX
        elif state is _State.PAYLOAD:
            self._payload.append(byte)
            if len(self._payload) == self._expected:
                self._state = _State.ETX
        elif state is _State.ETX:
            if byte != ETX:
                self._fail(items, f"byte 0x{byte:02X} where ETX was due: length field wrong")
                self._step(byte, items)
                return
            self._state = _State.CHECKSUM
        else:  # CHECKSUM
            if byte not in _HEX:
                self._fail(
                    items, f"checksum holds byte 0x{byte:02X}, not a hex digit", "pinpad_frame_checksum"
                )
                self._step(byte, items)
                return
            self._check.append(byte)
            if len(self._check) == 2:
                self._state = _State.IDLE
                expected = checksum(bytes(self._length_digits), bytes(self._payload))
                received = int(self._check, 16)
                if received != expected:
                    self._fail(
                        items,
                        f"checksum {received:02X} received, {expected:02X} computed",
                        "pinpad_frame_checksum",
                    )
                else:
                    items.append(Frame(bytes(self._payload)))
