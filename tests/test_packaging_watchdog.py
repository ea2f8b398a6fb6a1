"""sd_notify messages arrive on a unix datagram socket; the single-instance lock refuses a second holder."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.single_instance import AlreadyRunning, SingleInstanceLock, acquire_or_exit_message
from kiosk.watchdog import SystemdNotifier, watchdog_interval_seconds

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def notify_socket(tmp_path):
    """A stand-in for systemd's $NOTIFY_SOCKET."""
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    yield path, server
    server.close()


def test_ready_ping_stopping_arrive_on_the_socket(notify_socket):
    path, server = notify_socket
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"})
    assert notifier.ready("kiosk up") and notifier.ping() and notifier.stopping()
    received = [server.recv(4096).decode() for _ in range(3)]
    notifier.close()
    assert received == ["READY=1\nSTATUS=kiosk up", "WATCHDOG=1", "STOPPING=1"]


def test_abstract_socket_address(tmp_path):
    name = f"sifee-kiosk-test-{tmp_path.name}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(b"\0" + name.encode())
    server.settimeout(5)
    try:
        notifier = SystemdNotifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ping()
        assert server.recv(4096) == b"WATCHDOG=1"
    finally:
        server.close()


def test_without_notify_socket_everything_is_a_no_op():
    notifier = SystemdNotifier({})
    assert not notifier.enabled and notifier.ping_interval_ms is None
    assert notifier.ready() is False and notifier.ping() is False and notifier.stopping() is False


def test_interval_is_a_third_of_watchdog_usec():
    assert watchdog_interval_seconds({"WATCHDOG_USEC": "30000000"}) == pytest.approx(10.0)
    assert watchdog_interval_seconds({}) is None
    assert watchdog_interval_seconds({"WATCHDOG_USEC": "junk"}) is None
    assert watchdog_interval_seconds({"WATCHDOG_USEC": "0"}) is None
    notifier = SystemdNotifier({"NOTIFY_SOCKET": "/nonexistent", "WATCHDOG_USEC": "3000000"})
    assert notifier.ping_interval_ms == 1000


def test_a_vanished_socket_is_not_an_error(tmp_path):
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert notifier.ping() is False  # logged once, never raised


def test_second_lock_holder_is_refused(tmp_path):
    with SingleInstanceLock(tmp_path) as first:
        assert first.held
        with pytest.raises(AlreadyRunning) as refused:
            SingleInstanceLock(tmp_path).acquire()
        assert "already running" in str(refused.value)
    again = SingleInstanceLock(tmp_path).acquire()  # released: the next start may run
    assert again.held
    again.release()


def test_second_process_is_told_plainly_and_exits_non_zero(tmp_path):
    lock, message = acquire_or_exit_message(tmp_path)
    assert lock is not None and message is None
    code = (
        "import sys; from kiosk.single_instance import acquire_or_exit_message as a; "
        f"lock, msg = a({str(tmp_path)!r}); print(msg); sys.exit(1 if lock is None else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)
    lock.release()
    assert done.returncode == 1
    assert "the kiosk is already running" in done.stdout and f"pid {__import__('os').getpid()}" in done.stdout
