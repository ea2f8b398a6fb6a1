"""systemd's notify protocol (sd_notify) in plain Python: READY=1, WATCHDOG=1, STOPPING=1.

The unit (packaging/sifee-kiosk.service) is ``Type=notify`` with ``WatchdogSec=``: systemd restarts the kiosk
when the pings stop. The pings must come from a QTimer on the GUI thread, so that a frozen GUI stops them; this
module has no Qt in it, the application owns the timer (see ``SystemdNotifier.ping_interval_ms``).

Stdlib only; every call is a no-op when $NOTIFY_SOCKET is unset (a developer's shell, the tests, `make run`).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

# Ping at a third of the watchdog period: two pings may be late before systemd gives up on us.
PINGS_PER_PERIOD = 3


def notify_socket_address(value: str) -> str | bytes:
    """The address to send to: a path, or an abstract socket name ("@name" -> b"\\0name")."""
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    return value


def watchdog_interval_seconds(environ: Mapping[str, str] | None = None) -> float | None:
    """How often to ping, from $WATCHDOG_USEC; None when systemd runs no watchdog for us.

    $WATCHDOG_PID is deliberately not compared with our pid: under cage the unit's main process is the
    compositor and the kiosk is its child; the unit's ``NotifyAccess=all`` lets the child ping.
    """
    env = os.environ if environ is None else environ
    raw = env.get("WATCHDOG_USEC", "")
    try:
        usec = int(raw)
    except ValueError:
        return None
    if usec <= 0:
        return None
    return usec / 1_000_000 / PINGS_PER_PERIOD


class SystemdNotifier:
    """Sends notify messages to $NOTIFY_SOCKET over a unix datagram socket; silent when there is none.

    A send that fails is logged once and never raised: the kiosk must not stop serving because systemd is
    unreachable (systemd then restarts it, which is the right outcome).
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        value = env.get("NOTIFY_SOCKET", "")
        self.address: str | bytes | None = notify_socket_address(value) if value else None
        self.interval_seconds = watchdog_interval_seconds(env)
        self._socket: socket.socket | None = None
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def watchdog_enabled(self) -> bool:
        return self.enabled and self.interval_seconds is not None

    @property
    def ping_interval_ms(self) -> int | None:
        """For ``QTimer.start(ms)``: None when no watchdog pings are wanted."""
        if not self.watchdog_enabled or self.interval_seconds is None:
            return None
        return max(1, int(self.interval_seconds * 1000))

    def notify(self, message: str) -> bool:
        """Send one message ("READY=1", "STATUS=...", ...); True when it was sent."""
        if self.address is None:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message.encode(), self.address)
        except OSError as error:
            if not self._warned:
                log.warning("systemd notify failed: %s", error)
                self._warned = True
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        """The kiosk is up (the first screen shows): systemd marks the unit started."""
        return self.notify("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> bool:
        """Keep the watchdog happy; call from a QTimer on the GUI thread."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """A clean shutdown begins (so systemd does not count it as a crash)."""
        return self.notify("STOPPING=1")

    def status(self, text: str) -> bool:
        """A one-line status shown by `systemctl status` (no personal data)."""
        return self.notify(f"STATUS={text}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
