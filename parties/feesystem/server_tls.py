"""The fee-system gateway's side of mutual TLS (issue 20 §1): which clients it lets in, and who they are.

Every client presents a certificate signed by the bureau's CA (CERT_REQUIRED: without one the handshake is refused
and nothing is answered), not expired and not on the CRL. The terminal's id is its certificate's subject common
name (CN); a call that names another terminal (``terminal_id``, or an idempotency key ``kiosk-<terminal id>-...``
as the kiosk's journal makes them) is refused with 403.

The CRL file is read again when it changes, so a revocation takes effect on the next connection without a restart.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.feesystem.api import NotAllowed
from kiosk.feesystem.wire import IDEMPOTENCY_PARAMETER

TERMINAL_PARAMETER = "terminal_id"
KIOSK_KEY_PREFIX = "kiosk-"  # the kiosk journal's idempotency keys: kiosk-<terminal id>-<time>-<random>
# The whole form: kiosk-<terminal>-<14 digits>-<6 hex>, a household basket's line with -L<n> (kiosk/payments/).
JOURNAL_KEY = re.compile(r"kiosk-(?P<terminal>.+)-[0-9]{14}-[0-9A-F]{6}(?:-L[0-9]{1,3})?")
WRONG_KEY = "wrong_key_form"  # the detail's first word on a 403 for an idempotency key not of the journal's form
WRONG_TERMINAL = "wrong_terminal"  # the detail's first word on a 403 for another terminal's request


@dataclass(frozen=True)
class ServerTlsFiles:
    cert_file: Path
    key_file: Path
    ca_file: Path  # the only root client certificates may chain to
    crl_file: Path | None = None  # revoked terminal certificates; None: no revocation checks


class ServerTls:
    """The server's SSL context, made again when one of its files changes (a new CRL)."""

    def __init__(self, files: ServerTlsFiles) -> None:
        self.files = files
        self._lock = threading.Lock()
        self._context: ssl.SSLContext | None = None
        self._stamp: tuple[int, ...] = ()
        self.context()  # a missing or broken file fails at start, not at the first client

    def context(self) -> ssl.SSLContext:
        stamp = self._file_stamp()
        with self._lock:
            if self._context is None or stamp != self._stamp:
                self._context, self._stamp = self._make(), stamp
            return self._context

    def accept(self, sock: socket.socket, timeout: float) -> ssl.SSLSocket:
        """The TLS handshake on an accepted connection, within ``timeout``; ssl.SSLError/OSError when refused."""
        sock.settimeout(timeout)
        secured = self.context().wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        try:
            secured.do_handshake()
        except BaseException:
            _close_gently(socket.socket(fileno=secured.detach()))
            raise
        return secured

    def _file_stamp(self) -> tuple[int, ...]:
        paths = [self.files.cert_file, self.files.key_file, self.files.ca_file]
        if self.files.crl_file is not None:
            paths.append(self.files.crl_file)
        return tuple(os.stat(path).st_mtime_ns for path in paths)

    def _make(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_cert_chain(self.files.cert_file, self.files.key_file)
        context.load_verify_locations(cafile=self.files.ca_file)
        if self.files.crl_file is not None:
            context.load_verify_locations(cafile=self.files.crl_file)
            context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
        return context


def _close_gently(sock: socket.socket, linger_seconds: float = 0.2) -> None:
    """Close after a refused handshake so that the client reads the TLS alert (expired, revoked, unknown CA): with
    TLS 1.3 the client has already sent its request; closing with it unread makes the kernel send a reset, which
    throws away the alert before the client reads it. So: stop writing, read what came (briefly), then close."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(linger_seconds)
        while sock.recv(1 << 16):
            pass
    except OSError:
        pass
    finally:
        sock.close()


def terminal_of(peer_certificate: dict[str, Any] | None) -> str | None:
    """The terminal id in a verified client certificate: its subject's common name."""
    if not peer_certificate:
        return None
    for rdn in peer_certificate.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None


def check_terminal(caller: str, method: str, arguments: dict[str, Any]) -> None:
    """NotAllowed (403) when a call names a terminal other than the caller's own."""
    named = arguments.get(TERMINAL_PARAMETER)
    if isinstance(named, str) and named != caller:
        raise NotAllowed(f"{WRONG_TERMINAL}: terminal {caller} asked {method} for terminal {named}")
    key = arguments.get(IDEMPOTENCY_PARAMETER)
    if not isinstance(key, str):
        return
    # Only the terminal's own journal form: a key of any other form would let a terminal post where no journal,
    # reconciliation or refund of its own can find the payment (and a key names no terminal then).
    journal_key = JOURNAL_KEY.fullmatch(key)
    if journal_key is None:
        raise NotAllowed(
            f"{WRONG_KEY}: terminal {caller} sent a key in {method} that is not of its form "
            f"{KIOSK_KEY_PREFIX}{caller}-<14 digits>-<6 hex>"
        )
    if journal_key["terminal"] != caller:
        raise NotAllowed(f"{WRONG_TERMINAL}: terminal {caller} used another terminal's key in {method}")
