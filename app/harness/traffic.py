"""The simulator panel's live log of device traffic, in hex and decoded.

Serial devices: a tap on the line. The kiosk opens the tap's pseudo-terminal, the tap relays every byte to the
simulator's and logs each chunk (in practice one frame) both ways; the simulators need no hook, as with a serial
sniffer. Card slots: the virtual card's vpcd link reports each message (control code, C-APDU, ATR, R-APDU).
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import threading
import time
import tty
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from app.harness.bench import device_word
from drivers.base import DeviceKind

POLL_SECONDS = 0.05
KEEP_ENTRIES = 2000
IDCARD_PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
# vpcd's one-byte control messages (drivers/pcsc/vpcd.py) and the instructions our two cards are sent
# (ISO/IEC 7816-4; EMV Book 3 for GET PROCESSING OPTIONS and GENERATE AC).
VPCD_CONTROLS = {0x00: "power off", 0x01: "power on", 0x02: "reset", 0x04: "get ATR"}
APDU_INSTRUCTIONS = {
    0xA4: "SELECT", 0xB0: "READ BINARY", 0xB2: "READ RECORD", 0xC0: "GET RESPONSE", 0xCA: "GET DATA",
    0xA8: "GET PROCESSING OPTIONS", 0xAE: "GENERATE AC", 0x84: "GET CHALLENGE", 0x88: "INTERNAL AUTHENTICATE",
    0x20: "VERIFY",
}


@dataclass(frozen=True)
class TrafficEntry:
    number: int
    at: float  # time.time()
    device: str  # a DeviceKind
    direction: str  # "kiosk->device" or "device->kiosk"
    data: bytes
    note: str = ""  # what the sender knew the chunk to be (card messages); empty: decoded from the bytes

    @property
    def hex(self) -> str:
        shown = self.data[:64].hex(" ").upper()
        return shown + (f" … ({len(self.data)} bytes)" if len(self.data) > 64 else "")

    @property
    def decoded(self) -> str:
        return self.note or decode(self.device, self.data)

    def line(self) -> str:
        arrow = "→" if self.direction == "kiosk->device" else "←"
        stamp = time.strftime("%H:%M:%S", time.localtime(self.at))
        return f"{stamp} {device_word(self.device)} {arrow} {self.hex}  [{self.decoded}]"


def decode(device: str, data: bytes) -> str:
    """A short reading of a chunk: the ID card frame's command and status, otherwise its printable text."""
    if device == DeviceKind.IDCARD and data.startswith(IDCARD_PREAMBLE) and len(data) >= 10:
        length = int.from_bytes(data[5:7], "big")
        head = data[7:10]
        return f"ID card frame, length {length}, bytes {head.hex(' ').upper()}"
    text = data.decode("gb18030", errors="replace")
    printable = "".join(ch if ch.isprintable() else "·" for ch in text)
    return printable[:60]


def describe_card_message(kind: str, data: bytes) -> str:
    """A vpcd message's meaning: the control code, the C-APDU's instruction, the ATR, or the R-APDU's status word.
    Never the data in words: a card's records carry a name and an ID number (the hex column shows the bytes, as a
    sniffer on the line would, and only demo people's cards reach a simulator)."""
    if kind == "control" and data:
        return f"vpcd: {VPCD_CONTROLS.get(data[0], f'control {data[0]:02X}')}"
    if kind == "c-apdu" and len(data) >= 4:
        name = APDU_INSTRUCTIONS.get(data[1], f"INS {data[1]:02X}")
        return f"{name} P1 {data[2]:02X} P2 {data[3]:02X}"
    if kind == "atr":
        return f"ATR, {len(data)} bytes"
    if kind == "r-apdu" and len(data) >= 2:
        return f"SW {data[-2:].hex().upper()}, {len(data) - 2} data bytes"
    return f"{kind}, {len(data)} bytes"


class TrafficLog:
    """The last KEEP_ENTRIES chunks of every tapped device. Thread-safe; readers poll with ``since(number)``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[TrafficEntry] = deque(maxlen=KEEP_ENTRIES)
        self._count = 0

    def add(self, device: str, direction: str, data: bytes, note: str = "") -> None:
        with self._lock:
            self._count += 1
            self._entries.append(TrafficEntry(self._count, time.time(), device, direction, data, note))

    def card_observer(self, device: str) -> Callable[[str, bytes], None]:
        """A vpcd link observer (drivers/pcsc/vpcd.py) that logs the card's messages under ``device``."""

        def observe(kind: str, data: bytes) -> None:
            direction = "kiosk->device" if kind in ("control", "c-apdu") else "device->kiosk"
            self.add(device, direction, data, describe_card_message(kind, data))

        return observe

    def since(self, number: int) -> list[TrafficEntry]:
        with self._lock:
            return [entry for entry in self._entries if entry.number > number]

    def entries(self, device: str | None = None) -> list[TrafficEntry]:
        with self._lock:
            return [entry for entry in self._entries if device is None or entry.device == device]


class SerialTap:
    """``port`` is the tap's end for the kiosk; ``target`` is the simulator's port."""

    def __init__(self, device: str, target: str, log: TrafficLog) -> None:
        self.device = device
        self.target = target
        self.log = log
        self._master, self._slave = pty.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)  # kept open so the master never sees EIO while the kiosk reopens the port
        self.port = os.ttyname(self._slave)
        self._target_fd = os.open(target, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self._target_fd)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> SerialTap:
        self._thread = threading.Thread(target=self._relay, name=f"tap-{device_word(self.device)}", daemon=True)
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Tell the relay to end without waiting for it (the supervisor ends every tap at once)."""
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        for fd in (self._master, self._slave, self._target_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _relay(self) -> None:
        routes = {self._master: (self._target_fd, "kiosk->device"), self._target_fd: (self._master, "device->kiosk")}
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select(list(routes), [], [], POLL_SECONDS)
            except (OSError, ValueError):
                return
            for fd in ready:
                try:
                    data = os.read(fd, 4096)
                except BlockingIOError:
                    continue
                except OSError:
                    return
                if not data:
                    continue
                out, direction = routes[fd]
                self._write_all(out, data)
                self.log.add(self.device, direction, data)

    def _write_all(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                written = os.write(fd, view)
            except BlockingIOError:
                select.select([], [fd], [], POLL_SECONDS)
                continue
            except OSError:
                return
            view = view[written:]
