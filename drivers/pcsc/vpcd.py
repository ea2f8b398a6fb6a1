"""A virtual smart card on the other end of pcscd's vpcd reader driver (vsmartcard project).

Wire facts (vsmartcard vpcd, DESIGN.md §3.2): the card is a TCP client of pcscd's vpcd driver, port 35963 for
the reader "Virtual PCD 00 00" and 35964 for "Virtual PCD 00 01" (CHANNELID 0x8C7B in
/etc/reader.conf.d/vpcd; KIOSK_VPCD_PORT names another slot-0 port, for a pcscd configured otherwise, such as a
test worker's own). Every message both ways is a 2-byte big-endian length and a payload. A 1-byte payload
from vpcd is a control code (00 power off, 01 power on, 02 reset, 04 get ATR, answered with the ATR); a longer
payload is a C-APDU, answered with the R-APDU. A connected socket is an inserted card; closing it removes the card.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT_ENV = "KIOSK_VPCD_PORT"
# 35963 = 0x8C7B, CHANNELID of /etc/reader.conf.d/vpcd: reader slot 0 (slot 1 listens on the next port). Read once,
# at import: default arguments below are bound to it.
VPCD_PORT = int(os.environ.get(VPCD_PORT_ENV) or 35963)
VPCD_READER_PREFIX = "Virtual PCD"

_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only

CONTROL_POWER_OFF = 0x00
CONTROL_POWER_ON = 0x01
CONTROL_RESET = 0x02
CONTROL_GET_ATR = 0x04


class VirtualCard(Protocol):
    """What the client needs of a card. ``process_apdu`` may return None to stay silent (fault injection)."""

    atr: bytes

    def process_apdu(self, apdu: bytes) -> bytes | None: ...


class CardPulled(Exception):
    """Raised by a card's process_apdu to be pulled out of the reader (the client closes the socket)."""


class VirtualCardClient:
    """Connects ``card`` to vpcd and answers pcscd from a background thread.

    Thread-safe: insert/remove/close may be called from any thread. Power on/off/reset are forwarded to the card's
    optional ``power_on()``, ``power_off()`` and ``reset()`` methods. ``on_message(kind, payload)``, when given,
    sees every message on the link, on the serving thread: "control" (from vpcd: one byte), "c-apdu", and the
    card's "atr" or "r-apdu".
    """

    def __init__(
        self,
        card: VirtualCard,
        host: str = VPCD_HOST,
        port: int = VPCD_PORT,
        on_message: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self.card = card
        self.host = host
        self.port = port
        self.on_message = on_message
        self.apdu_count = 0
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- public API ------
    @property
    def inserted(self) -> bool:
        with self._lock:
            return self._sock is not None

    def insert(self, timeout: float = 5.0) -> None:
        """Connect to vpcd (retrying until ``timeout`` while pcscd starts); raises ConnectionError."""
        with self._lock:
            if self._sock is not None:
                return
            deadline = time.monotonic() + timeout
            while True:
                try:
                    sock = socket.create_connection((self.host, self.port), timeout=1.0)
                    break
                except OSError as exc:
                    if time.monotonic() >= deadline:
                        raise ConnectionError(
                            f"cannot reach vpcd at {self.host}:{self.port} ({exc}); is pcscd running?"
                        ) from exc
                    time.sleep(0.05)
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
            self._thread.start()

    def remove(self) -> None:
        """Pull the card: close the socket and wait for the thread."""
        with self._lock:
            sock, thread = self._sock, self._thread
            self._sock, self._thread = None, None
        if sock is not None:
            _close_socket(sock)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)

    def close(self) -> None:
        self.remove()

    def __enter__(self) -> VirtualCardClient:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the serving thread ------
    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                payload = _receive_message(sock)
                if payload is None:
                    break
                self._observe("control" if len(payload) == 1 else "c-apdu", payload)
                answer = self._answer(payload)
                if answer is not None:
                    self._observe("atr" if payload == bytes([CONTROL_GET_ATR]) else "r-apdu", answer)
                    sock.sendall(len(answer).to_bytes(2, "big") + answer)
        except CardPulled:
            log.debug("virtual card pulled itself out")
        except OSError as exc:
            log.debug("vpcd link ended: %s", exc)
        finally:
            with self._lock:
                if self._sock is sock:
                    self._sock, self._thread = None, None
            _close_socket(sock)

    def _observe(self, kind: str, payload: bytes) -> None:
        if self.on_message is not None:
            try:
                self.on_message(kind, payload)
            except Exception:  # a broken observer must not pull the card
                log.exception("vpcd traffic observer failed")

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            code = payload[0]
            if code == CONTROL_GET_ATR:
                return bytes(self.card.atr)
            hook = {CONTROL_POWER_OFF: "power_off", CONTROL_POWER_ON: "power_on", CONTROL_RESET: "reset"}.get(code)
            if hook and callable(getattr(self.card, hook, None)):
                getattr(self.card, hook)()
            return None  # control codes other than get ATR have no answer
        self.apdu_count += 1
        return self.card.process_apdu(payload)


def _receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        # vpcd writes the length and the payload with two send() calls on a socket with Nagle's algorithm on;
        # our delayed ACK of the first would hold the second back for ~40 ms. Linux resets QUICKACK, so set it
        # before every read.
        if _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _receive_message(sock: socket.socket) -> bytes | None:
    header = _receive_exactly(sock, 2)
    if header is None:
        return None
    return _receive_exactly(sock, int.from_bytes(header, "big"))


def _close_socket(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
