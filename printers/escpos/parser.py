"""Reads an ESC/POS byte stream back into printed receipts (for the printer simulator). Pure: no I/O.

Knows the lengths of the commands a receipt printer commonly gets (Epson ESC/POS Command Reference) so it can
skip them; text is GB18030 after FS & (Chinese mode) and code page 437 otherwise (the power-on table of
Epson printers), so text sent without FS & shows up garbled as it would on paper. Never raises on any input:
an incomplete command waits for more bytes, an unknown one is skipped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10

# Commands with a fixed number of parameter bytes after the command byte.
ESC_FIXED = {
    ord(c): n
    for c, n in {
        "!": 1,
        "-": 1,
        "2": 0,
        "3": 1,
        "=": 1,
        "$": 2,
        "\\": 2,
        "E": 1,
        "G": 1,
        "M": 1,
        "R": 1,
        "V": 1,
        "a": 1,
        "t": 1,
        "{": 1,
        " ": 1,
        "U": 1,
        "T": 1,
        "L": 0,
        "S": 0,
        "W": 8,
        "p": 3,
        "%": 1,
        "?": 1,
        "<": 0,
        "r": 1,
        "@": 0,
        "d": 1,
        "J": 1,
        "e": 1,
        "i": 0,
        "m": 0,
        "K": 1,
        "c": 2,
    }.items()
}
FS_FIXED = {ord(c): n for c, n in {"&": 0, ".": 0, "!": 1, "-": 1, "C": 1, "S": 2, "W": 1, "p": 2}.items()}
GS_FIXED = {
    ord(c): n
    for c, n in {
        "!": 1,
        "B": 1,
        "H": 1,
        "h": 1,
        "w": 1,
        "f": 1,
        "b": 1,
        "a": 1,
        "I": 1,
        "r": 1,
        "L": 2,
        "W": 2,
        "P": 2,
        "/": 1,
        "$": 2,
        "\\": 2,
        "^": 3,
        ":": 0,
        "T": 1,
        "E": 1,
        "g": 2,
        "|": 1,
    }.items()
}
DLE_FIXED = {0x04: 1, 0x05: 1, 0x14: 3}  # DLE EOT n, DLE ENQ n, DLE DC4 fn m t
QR_CODE, QR_STORE, QR_PRINT = 49, 80, 81  # GS ( k cn=49 (QR Code): fn 80 store data, fn 81 print it


@dataclass
class PrintedReceipt:
    lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    raw: bytes = b""


@dataclass(frozen=True)
class StatusQuery:
    kind: int  # n of DLE EOT n


@dataclass(frozen=True)
class Cut:
    receipt: PrintedReceipt


Event = StatusQuery | Cut


class NeedMore(Exception):
    """The buffer ends inside a command."""


class EscPosParser:
    def __init__(self) -> None:
        self._buffer = bytearray()
        self._chinese = False
        self._segments: list[str] = []  # decoded pieces of the line being built
        self._segment = bytearray()  # bytes of the current piece, in the current mode
        self._receipt = PrintedReceipt()
        self._raw = bytearray()
        self._qr_stored: bytes = b""
        self.unknown_commands = 0
        self.data_bytes = 0  # everything but real-time status queries: "was anything sent to print?"

    @property
    def pending(self) -> PrintedReceipt:
        """What has been printed since the last cut (lines ended so far)."""
        return PrintedReceipt(list(self._receipt.lines), list(self._receipt.qr_payloads), bytes(self._raw))

    def feed(self, data: bytes) -> list[Event]:
        self._buffer.extend(data)
        events: list[Event] = []
        while self._buffer:
            try:
                used, event = self._step()
            except NeedMore:
                break
            chunk = bytes(self._buffer[:used])
            del self._buffer[:used]
            if isinstance(event, StatusQuery):
                events.append(event)
                continue
            self._raw.extend(chunk)
            self.data_bytes += len(chunk)
            if isinstance(event, Cut):
                events.append(self._cut())
        return events

    # -- one item at the front of the buffer -> (bytes used, event or None)
    def _step(self) -> tuple[int, Event | Cut | None]:
        buf = self._buffer
        first = buf[0]
        if first == 0x0A:
            self._end_line()
            return 1, None
        if first in (0x0D, 0x18, 0x00):  # CR, CAN, NUL: nothing to print
            return 1, None
        if first == 0x0C:  # FF in standard mode: print and return to the line start
            self._end_line(only_if_text=True)
            return 1, None
        if first == DLE:
            return self._dle()
        if first in (ESC, FS, GS):
            return self._command(first)
        if first < 0x20:
            if first == 0x09:
                self._text(b" ")
            return 1, None
        return self._text_run()

    def _need(self, count: int) -> None:
        if len(self._buffer) < count:
            raise NeedMore

    def _dle(self) -> tuple[int, Event | None]:
        self._need(2)
        params = DLE_FIXED.get(self._buffer[1])
        if params is None:
            return 1, None
        self._need(2 + params)
        if self._buffer[1] == 0x04:
            return 3, StatusQuery(self._buffer[2])
        return 2 + params, None

    def _command(self, prefix: int) -> tuple[int, Cut | None]:
        self._need(2)
        cmd = self._buffer[1]
        if prefix == FS:
            if cmd == ord("&"):
                self._switch_mode(True)
            elif cmd == ord("."):
                self._switch_mode(False)
            elif cmd == ord("2"):  # FS 2 c1 c2 d1..d72: define a user Kanji
                self._need(76)
                return 76, None
            return self._fixed(FS_FIXED, cmd)
        if prefix == ESC:
            return self._esc(cmd)
        return self._gs(cmd)

    def _fixed(self, table: dict[int, int], cmd: int) -> tuple[int, None]:
        params = table.get(cmd)
        if params is None:
            self.unknown_commands += 1
            return 2, None
        self._need(2 + params)
        return 2 + params, None

    def _esc(self, cmd: int) -> tuple[int, Cut | None]:
        if cmd == ord("@"):
            self._end_line(only_if_text=True)
            self._switch_mode(False)
            return 2, None
        if cmd in (ord("d"), ord("J"), ord("e")):  # print and feed
            self._need(3)
            self._end_line(only_if_text=True)
            return 3, None
        if cmd in (ord("i"), ord("m")):  # partial cut (older printers)
            return 2, Cut(PrintedReceipt())
        if cmd == ord("*"):  # ESC * m nL nH d1..dk: bit image
            self._need(5)
            m, count = self._buffer[2], self._buffer[3] | self._buffer[4] << 8
            size = 5 + count * (3 if m in (32, 33) else 1)
            self._need(size)
            return size, None
        if cmd == ord("D"):  # ESC D n1..nk NUL: tab positions
            end = self._buffer.find(b"\x00", 2)
            if end < 0:
                raise NeedMore
            return end + 1, None
        return self._fixed(ESC_FIXED, cmd)

    def _gs(self, cmd: int) -> tuple[int, Cut | None]:
        buf = self._buffer
        if cmd == ord("V"):  # GS V m [n]: cut
            self._need(3)
            size = 3 if buf[2] in (0, 1, 48, 49) else 4
            self._need(size)
            self._end_line(only_if_text=True)
            return size, Cut(PrintedReceipt())
        if cmd == ord("("):  # GS ( fn pL pH data
            self._need(5)
            size = 5 + (buf[3] | buf[4] << 8)
            self._need(size)
            if buf[2] == ord("k"):
                self._two_dimensional(bytes(buf[5:size]))
            return size, None
        if cmd == ord("8"):  # GS 8 L p1 p2 p3 p4 data
            self._need(7)
            size = 7 + int.from_bytes(buf[3:7], "little")
            self._need(size)
            return size, None
        if cmd == ord("v"):  # GS v 0 m xL xH yL yH d1..dk: raster image
            self._need(8)
            size = 8 + (buf[4] | buf[5] << 8) * (buf[6] | buf[7] << 8)
            self._need(size)
            return size, None
        if cmd == ord("*"):  # GS * x y d1..d(x*y*8): define downloaded image
            self._need(4)
            size = 4 + buf[2] * buf[3] * 8
            self._need(size)
            return size, None
        if cmd == ord("k"):  # GS k m ...: barcode
            self._need(3)
            if buf[2] <= 6:
                end = buf.find(b"\x00", 3)
                if end < 0:
                    raise NeedMore
                return end + 1, None
            self._need(4)
            size = 4 + buf[3]
            self._need(size)
            return size, None
        return self._fixed(GS_FIXED, cmd)

    def _two_dimensional(self, body: bytes) -> None:
        """GS ( k body = cn fn [m] data; keep the QR data stored with fn 80, emit it on fn 81."""
        if len(body) < 2 or body[0] != QR_CODE:
            return
        if body[1] == QR_STORE:
            self._qr_stored = body[3:]
        elif body[1] == QR_PRINT:
            self._end_line(only_if_text=True)
            self._receipt.qr_payloads.append(self._qr_stored.decode("utf-8", errors="replace"))

    def _text_run(self) -> tuple[int, None]:
        buf = self._buffer
        if not self._chinese or buf[0] < 0x81 or buf[0] == 0xFF:
            self._text(buf[:1])
            return 1, None
        # GB18030: a lead byte 81-FE, then 40-7E/80-FE (two bytes) or 30-39 81-FE 30-39 (four bytes).
        self._need(2)
        if 0x30 <= buf[1] <= 0x39:
            self._need(4)
            self._text(buf[:4])
            return 4, None
        self._text(buf[:2])
        return 2, None

    def _text(self, data: bytes | bytearray) -> None:
        self._segment.extend(data)

    def _flush_segment(self) -> None:
        if self._segment:
            codec = "gb18030" if self._chinese else "cp437"
            self._segments.append(bytes(self._segment).decode(codec, errors="replace"))
            self._segment.clear()

    def _switch_mode(self, chinese: bool) -> None:
        self._flush_segment()
        self._chinese = chinese

    def _end_line(self, *, only_if_text: bool = False) -> None:
        self._flush_segment()
        if self._segments or not only_if_text:
            self._receipt.lines.append("".join(self._segments))
        self._segments = []

    def _cut(self) -> Cut:
        receipt = self._receipt
        receipt.raw = bytes(self._raw)
        self._receipt = PrintedReceipt()
        self._raw = bytearray()
        return Cut(receipt)
