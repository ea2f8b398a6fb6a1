"""TCP with a 2-byte big-endian length before every message: the bank host link's framing, both ends."""

from __future__ import annotations

import socket
import time

from drivers.bankhost.messages import LENGTH_BYTES, MAX_MESSAGE


class FrameTooLarge(Exception):
    pass


def receive_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes, None on a clean EOF before the first byte; raises TimeoutError past ``deadline``,
    ConnectionError on EOF in the middle."""
    chunks = bytearray()
    while len(chunks) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(chunks)} of {size} bytes before the deadline")
            sock.settimeout(left)
        try:
            chunk = sock.recv(size - len(chunks))
        except TimeoutError:
            raise TimeoutError(f"{len(chunks)} of {size} bytes before the deadline") from None
        if not chunk:
            if not chunks:
                return None
            raise ConnectionError(f"connection closed after {len(chunks)} of {size} bytes")
        chunks += chunk
    return bytes(chunks)


def receive_frame(sock: socket.socket, deadline: float | None) -> bytes | None:
    """One framed message; None when the peer closed the connection between messages."""
    header = receive_exactly(sock, LENGTH_BYTES, deadline)
    if header is None:
        return None
    length = int.from_bytes(header, "big")
    if length == 0 or length > MAX_MESSAGE:
        raise FrameTooLarge(f"frame length {length} outside 1..{MAX_MESSAGE}")
    body = receive_exactly(sock, length, deadline)
    if body is None:
        raise ConnectionError("connection closed after the length header")
    return body
