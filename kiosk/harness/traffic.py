"""A tap on a serial device's line: the kiosk opens the tap's pseudo-terminal, the tap relays every byte to the
simulator's and logs each chunk (in practice one frame) both ways, in hex and decoded, for the panel's live log.

The simulators need no hook for this: the tap sits on the wire, as a serial sniffer would.
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
from dataclasses import dataclass

POLL_SECONDS = 0.05
KEEP_ENTRIES = 2000
IDCARD_PREAMBLE = b"\xaa\xaa\xaa\x96\x69"


@dataclass(frozen=True)
class TrafficEntry:
    number: int
    at: float  # time.time()
    device: str
    direction: str  # "kiosk->device" or "device->kiosk"
    data: bytes

    @property
    def hex(self) -> str:
        shown = self.data[:64].hex(" ").upper()
        return shown + (f" … ({len(self.data)} bytes)" if len(self.data) > 64 else "")

    @property
    def decoded(self) -> str:
        return decode(self.device, self.data)

    def line(self) -> str:
        arrow = "→" if self.direction == "kiosk->device" else "←"
        stamp = time.strftime("%H:%M:%S", time.localtime(self.at))
        return f"{stamp} {self.device} {arrow} {self.hex}  [{self.decoded}]"


def decode(device: str, data: bytes) -> str:
    """A short reading of a chunk: the ID card frame's command and status, otherwise its printable text."""
    if device == "idcard" and data.startswith(IDCARD_PREAMBLE) and len(data) >= 10:
        length = int.from_bytes(data[5:7], "big")
        head = data[7:10]
        return f"ID card frame, length {length}, bytes {head.hex(' ').upper()}"
    text = data.decode("gb18030", errors="replace")
    printable = "".join(ch if ch.isprintable() else "·" for ch in text)
    return printable[:60]


class TrafficLog:
    """The last KEEP_ENTRIES chunks of every tapped device. Thread-safe; readers poll with ``since(number)``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[TrafficEntry] = deque(maxlen=KEEP_ENTRIES)
        self._count = 0

    def add(self, device: str, direction: str, data: bytes) -> None:
        with self._lock:
            self._count += 1
            self._entries.append(TrafficEntry(self._count, time.time(), device, direction, data))

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
        self._thread = threading.Thread(target=self._relay, name=f"tap-{self.device}", daemon=True)
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
