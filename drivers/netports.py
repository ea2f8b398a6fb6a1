"""Free loopback TCP ports, found without importing any device package (a test worker picks its vpcd ports before
drivers.pcsc reads them at import)."""

from __future__ import annotations

import socket


def free_port_run(count: int, attempts: int = 50) -> int | None:
    """A port P with P .. P + count - 1 all free on every address, or None when none was found."""
    for _ in range(attempts):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + count - 1 <= 65535 and all(port_free(port + offset) for offset in range(count)):
            return port
    return None


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("0.0.0.0", port))  # vpcd listens on every address
        except OSError:
            return False
    return True
