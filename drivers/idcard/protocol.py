"""SAM_V framing of GA 467 (DESIGN.md §3.1): building requests and decoding frames from a byte stream.

Request:  AA AA AA 96 69 | LEN(2, BE) | CMD | PARA | DATA | CHK
Response: AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | DATA | CHK
LEN counts every byte after itself, CHK included;
CHK is the XOR of every byte from LEN1 to the byte before CHK.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import reduce

from drivers.idcard.errors import IdCardError, error_for_status, idcard_error

PREAMBLE = bytes.fromhex("AAAAAA9669")

# Status bytes of success (GA 467): 90 ok, 9F find card ok.
SW3_OK = 0x90
SW3_FIND_OK = 0x9F
SW3_NO_CARD = 0x80

# LEN bounds: the smallest request is CMD PARA CHK, the smallest answer SW1 SW2 SW3 CHK.
MIN_REQUEST_LEN = 3  # CMD PARA CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK
# The largest answer is read text+photo+fingerprint (30 10): SW(3) + three lengths(6) + text 256 + photo 1024
# + fingerprint 1024 + CHK(1) = 2314 bytes. Anything longer is noise that happened to look like a preamble.
MAX_LEN = 3 + 6 + 256 + 1024 + 1024 + 1

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024
# A read 30 01 answer: preamble 5 + LEN 2 + SW 3 + lengths 4 + text 256 + photo 1024 + CHK 1.
READ_ANSWER_FRAME_LENGTH = 5 + 2 + 3 + 4 + TEXT_LENGTH + PHOTO_LENGTH + 1
assert READ_ANSWER_FRAME_LENGTH == 1295


class Command(Enum):
    """SAM_V commands as (CMD, PARA) (GA 467; DESIGN.md §3.1)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    READ_SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_TEXT_PHOTO_FINGERPRINT = (0x30, 0x10)
    READ_APPENDED_ADDRESS = (0x30, 0x03)

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @classmethod
    def lookup(cls, cmd: int, para: int) -> Command | None:
        for command in cls:
            if command.value == (cmd, para):
                return command
        return None


def xor_checksum(data: Iterable[int]) -> int:
    """XOR of every byte: the CHK of SAM_V, computed over LEN1 .. the byte before CHK."""
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def build_frame(body: bytes) -> bytes:
    """Frame ``body`` (CMD PARA DATA, or SW1 SW2 SW3 DATA): preamble, LEN, body, CHK."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError(f"a SAM_V frame body of {len(body)} bytes does not fit LEN")
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([xor_checksum(head)])


def build_request(command: Command, data: bytes = b"") -> bytes:
    """The request bytes for ``command``; find card comes out as AA AA AA 96 69 00 03 20 01 22."""
    return build_frame(bytes([command.cmd, command.para]) + data)


def build_response(sw3: int, data: bytes = b"", sw1: int = 0x00, sw2: int = 0x00) -> bytes:
    """The answer bytes a SAM sends (used by the simulator)."""
    return build_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw3 in (SW3_OK, SW3_FIND_OK)

    def raise_for_status(self, accepted: tuple[int, ...] = (SW3_OK,)) -> None:
        """Raise the typed error of SW3 unless it is one of ``accepted``."""
        if self.sw3 not in accepted:
            raise error_for_status(self.sw3)


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes

    @property
    def command(self) -> Command | None:
        return Command.lookup(self.cmd, self.para)


def parse_response_body(body: bytes) -> Response:
    if len(body) < 3:
        raise idcard_error("bad_frame", f"an answer of {len(body)} bytes has no SW1 SW2 SW3")
    return Response(body[0], body[1], body[2], bytes(body[3:]))


def parse_request_body(body: bytes) -> Request:
    if len(body) < 2:
        raise idcard_error("bad_frame", f"a request of {len(body)} bytes has no CMD PARA")
    return Request(body[0], body[1], bytes(body[2:]))


class FrameDecoder:
    """Incremental decoder: feed it bytes as they arrive, it returns the frame bodies (or typed errors) found.

    It skips anything before a preamble, waits for the rest of a frame split across reads, rejects a LEN out
    of bounds (and searches for the next preamble from the byte after the false one), and checks CHK.
    A body is everything between LEN and CHK: SW1 SW2 SW3 DATA for an answer, CMD PARA DATA for a request.
    The work is linear in the bytes fed: the buffer only grows up to one frame, then is consumed.
    """

    def __init__(self, min_len: int = MIN_RESPONSE_LEN, max_len: int = MAX_LEN) -> None:
        self._buffer = bytearray()
        self._min_len = min_len
        self._max_len = max_len
        self.discarded = 0  # bytes skipped as noise, for diagnostics

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame (or a preamble)."""
        return len(self._buffer)

    def reset(self) -> None:
        self._buffer.clear()

    def feed(self, data: bytes) -> list[bytes | IdCardError]:
        self._buffer += data
        results: list[bytes | IdCardError] = []
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                # Keep a tail that could be the beginning of a preamble split across reads.
                keep = self._preamble_prefix_length()
                self._drop(len(self._buffer) - keep)
                return results
            self._drop(start)
            if len(self._buffer) < len(PREAMBLE) + 2:
                return results
            length = int.from_bytes(self._buffer[5:7], "big")
            if not self._min_len <= length <= self._max_len:
                results.append(idcard_error("bad_frame", f"LEN {length} outside {self._min_len}..{self._max_len}"))
                self._drop(1)  # the preamble was false; look again from its next byte
                continue
            end = 7 + length
            if len(self._buffer) < end:
                return results
            frame = bytes(self._buffer[:end])
            del self._buffer[:end]
            expected = xor_checksum(frame[5:-1])
            if frame[-1] != expected:
                results.append(
                    idcard_error("checksum", f"answer CHK {frame[-1]:02X}, computed {expected:02X} ({end} bytes)")
                )
                continue
            results.append(frame[7:-1])

    def _drop(self, count: int) -> None:
        if count > 0:
            self.discarded += count
            del self._buffer[:count]

    def _preamble_prefix_length(self) -> int:
        for size in range(min(len(PREAMBLE) - 1, len(self._buffer)), 0, -1):
            if self._buffer.endswith(PREAMBLE[:size]):
                return size
        return 0


class ResponseDecoder:
    """A FrameDecoder for answers: yields Response objects or typed errors."""

    def __init__(self) -> None:
        self._frames = FrameDecoder(MIN_RESPONSE_LEN, MAX_LEN)

    @property
    def pending(self) -> int:
        return self._frames.pending

    def reset(self) -> None:
        self._frames.reset()

    def feed(self, data: bytes) -> list[Response | IdCardError]:
        results: list[Response | IdCardError] = []
        for item in self._frames.feed(data):
            results.append(item if isinstance(item, IdCardError) else parse_response_body(item))
        return results
