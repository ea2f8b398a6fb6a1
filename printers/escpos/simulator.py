"""A receipt printer on a pseudo-terminal or a loopback TCP port, for tests and `kiosk sim` (DESIGN.md §3.5).

It reads the ESC/POS stream with EscPosParser, keeps every receipt (one per cut), answers DLE EOT 1/2/4 from
its state, and can be set to paper low/out, cover open, offline, or unplugged (then it answers nothing and
prints nothing, like a printer without power).
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from drivers.base import PaperStatus
from printers.escpos.parser import Cut, EscPosParser, PrintedReceipt, StatusQuery
from printers.escpos.status import paper_of, status_bytes

POLL_SECONDS = 0.05


class EscPosPrinterSimulator:
    """Start with ``start()`` (or ``with``); ``transport`` is "pty" (``.port``) or "tcp" (``.address``).

    ``receipts`` and the state are guarded by a lock: tests read them from their own thread.
    ``receipt_dir``: each cut receipt is also written there as a text file.
    """

    def __init__(self, transport: str = "pty", *, receipt_dir: Path | str | None = None) -> None:
        if transport not in ("pty", "tcp"):
            raise ValueError(f"transport must be 'pty' or 'tcp', not {transport!r}")
        self.transport = transport
        self.receipt_dir = Path(receipt_dir) if receipt_dir else None
        self.receipts: list[PrintedReceipt] = []
        self.status_queries = 0
        self.port: str | None = None
        self.address: tuple[str, int] | None = None
        self._lock = threading.Lock()
        self._parser = EscPosParser()
        self._paper = PaperStatus.FULL
        self._cover_open = False
        self._online = True
        self._unplugged = False
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._fds: list[int] = []
        self._server: socket.socket | None = None
        self._changed = threading.Condition(self._lock)

    # -- lifecycle
    def start(self) -> EscPosPrinterSimulator:
        if self.transport == "pty":
            master, slave = pty.openpty()
            tty.setraw(slave)  # no echo, no line discipline: bytes pass as they are
            self._fds = [master, slave]  # keep the slave open so reads never see EIO between clients
            self.port = os.ttyname(slave)
            self._spawn(self._serve_pty, master)
        else:
            server = socket.create_server(("127.0.0.1", 0))
            server.settimeout(POLL_SECONDS)
            self._server = server
            self.address = server.getsockname()[:2]
            self._spawn(self._serve_tcp, server)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        if self._server:
            self._server.close()

    def __enter__(self) -> EscPosPrinterSimulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- state
    def set_state(
        self, *, paper: PaperStatus | str | None = None, cover_open: bool | None = None, online: bool | None = None
    ) -> None:
        """``paper``: a PaperStatus, or the word of the controls: ok, low, out."""
        with self._lock:
            if paper is not None:
                self._paper = paper_of(paper)
            if cover_open is not None:
                self._cover_open = cover_open
            if online is not None:
                self._online = online

    def unplug(self) -> None:
        """From now on nothing is answered and nothing printed."""
        with self._lock:
            self._unplugged = True

    def plug_in(self) -> None:
        with self._lock:
            self._unplugged = False

    @property
    def data_bytes(self) -> int:
        """Bytes received other than status queries (0 proves that a refused print sent nothing)."""
        with self._lock:
            return self._parser.data_bytes

    @property
    def pending(self) -> PrintedReceipt:
        """What was printed after the last cut."""
        with self._lock:
            return self._parser.pending

    def wait_for_receipts(self, count: int, timeout: float = 5.0) -> list[PrintedReceipt]:
        """Block until ``count`` receipts have been cut (or the timeout passes); return the receipts."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.receipts) < count and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return list(self.receipts)

    # -- the device
    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="escpos-sim")
        thread.start()
        self._threads.append(thread)

    def _handle(self, data: bytes) -> bytes:
        """Feed received bytes; return the status answers to send back."""
        with self._changed:
            if self._unplugged:
                return b""
            answers = bytearray()
            can_print = self._online and not self._cover_open and self._paper is not PaperStatus.OUT
            for event in self._parser.feed(data):
                if isinstance(event, StatusQuery):
                    self.status_queries += 1
                    state = status_bytes(online=self._online, paper=self._paper, cover_open=self._cover_open)
                    if event.kind in state:
                        answers.append(state[event.kind])
                elif isinstance(event, Cut) and can_print:  # a stopped printer prints nothing
                    self.receipts.append(event.receipt)
                    self._save(event.receipt)
            self._changed.notify_all()
            return bytes(answers)

    def _save(self, receipt: PrintedReceipt) -> None:
        if self.receipt_dir is None:
            return
        self.receipt_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.receipt_dir / f"receipt-{stamp}-{len(self.receipts):04d}.txt"
        body = [*receipt.lines, *(f"[QR] {payload}" for payload in receipt.qr_payloads), "[CUT]"]
        path.write_text("\n".join(body) + "\n", encoding="utf-8")

    def _serve_pty(self, master: int) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], POLL_SECONDS)
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:
                time.sleep(POLL_SECONDS)
                continue
            answer = self._handle(data)
            if answer:
                with contextlib.suppress(OSError):
                    os.write(master, answer)

    def _serve_tcp(self, server: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            self._spawn(self._serve_connection, conn)

    def _serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(POLL_SECONDS)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                answer = self._handle(data)
                if answer:
                    with contextlib.suppress(OSError):
                        conn.sendall(answer)
