"""Bounds on what one client can make the fee-system HTTP server do: how long a request may take to arrive, how
its length is read, and what a connection over the cap gets. Plain socket-level pieces, so that the TLS server (an
``ssl.SSLSocket`` has the same ``recv_into``/``settimeout``/``sendall``) reuses them unchanged.

Why a deadline per request and not per read: a socket timeout restarts with every byte, so a client sending one
byte every few seconds holds a connection and its thread for as long as it likes (issue 25 §3).
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import time
from collections.abc import Callable
from typing import Any

# Content-Length as RFC 9110 §8.6 writes it: ASCII digits only (str.isdigit() also takes "²" and "٣", which int()
# then refuses or reads). Nine digits are far beyond any body the server accepts.
_CONTENT_LENGTH = re.compile(r"[0-9]{1,9}")


class RequestTimedOut(Exception):
    """The request did not arrive whole within its deadline. Not a TimeoutError on purpose: http.server swallows
    those and closes without an answer, where this one is answered 408."""


class BadLength(ValueError):
    """A Content-Length that is not one plain decimal number (or several that disagree)."""


def content_length(values: list[str] | None) -> int:
    """The body length the headers declare (0 without any). Repeated headers must agree (RFC 9110 §8.6: a
    recipient may not guess between them)."""
    if not values:
        return 0
    lengths = {value.strip() for value in values}
    if len(lengths) != 1:
        raise BadLength("Content-Length headers disagree")
    [text] = lengths
    if not _CONTENT_LENGTH.fullmatch(text):
        raise BadLength("Content-Length is not a decimal number")
    return int(text)


class DeadlineReader(io.RawIOBase):
    """A socket's reading side in which a whole request must arrive within ``deadline_seconds`` of its first byte.

    Between requests (a kept-alive connection waiting for the next one) the wait for the first byte is bounded by
    ``idle_seconds`` and ends in the socket's own TimeoutError (closed quietly: no request, no answer). Call
    ``next_request()`` before reading a request and ``request_read()`` once it is read whole."""

    def __init__(
        self,
        sock: Any,
        deadline_seconds: float,
        idle_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._sock = sock
        self._deadline_seconds = deadline_seconds
        self._idle_seconds = idle_seconds
        self._monotonic = monotonic
        self._deadline: float | None = None

    def readable(self) -> bool:
        return True

    def next_request(self) -> None:
        self._deadline = None  # the next request's clock starts with its first byte
        self._sock.settimeout(self._idle_seconds)

    def request_read(self) -> None:
        """The request is in: the answer is written under the plain socket timeout again."""
        self._deadline = None
        self._sock.settimeout(self._idle_seconds)

    def readinto(self, buffer: Any) -> int:
        if self._deadline is not None:
            remaining = self._deadline - self._monotonic()
            if remaining <= 0:
                raise RequestTimedOut(f"the request did not arrive within {self._deadline_seconds:g} s")
            self._sock.settimeout(remaining)
        try:
            count: int = self._sock.recv_into(buffer)
        except TimeoutError:
            if self._deadline is None:
                raise  # idle between requests: the socket's timeout, closed quietly
            raise RequestTimedOut(f"the request did not arrive within {self._deadline_seconds:g} s") from None
        if count and self._deadline is None:
            self._deadline = self._monotonic() + self._deadline_seconds
        return count


def refuse_busy(sock: socket.socket, body: bytes, retry_after_seconds: int) -> None:
    """Answer 503 with Retry-After on a connection over the cap, from the accepting thread (no thread is started
    for it), and let it go. What the client already sent is read off first, so that closing does not reset the
    connection before the client reads the answer."""
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Retry-After: {retry_after_seconds}\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    with contextlib.suppress(OSError):
        sock.settimeout(0.5)
        sock.sendall(head + body)
        sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            sock.recv(1 << 16)
