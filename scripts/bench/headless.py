"""A whole kiosk in this process on simulated hardware (offscreen), driven like tests/kiosk_driving.py drives it:
taps by objectName, the simulator's hands for cards and payments. Shared by the transition and memory benchmarks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import REPO
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

# The GUI tests' clock: inside both collection windows of the example policy (the flows' years depend on it).
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)


class Bot:
    """The two things Driver asks of pytest-qt's qtbot, without pytest."""

    def waitUntil(self, predicate: Callable[[], bool], timeout: int = 5000) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} ms")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)

    def mouseClick(self, widget: QWidget, button: Qt.MouseButton) -> None:
        QTest.mouseClick(widget, button)


def deliver_deferred_deletes() -> None:
    """Delete what deleteLater() queued. Qt does that from a running event loop (the kiosk's app.exec()); this
    process only calls processEvents(), which leaves them queued for a loop that never starts."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def application() -> QApplication:
    return QApplication.instance() or QApplication([])


class HeadlessKiosk:
    """KioskApp on config/simulated.toml in a temporary state directory; close() removes it. ``people``: another
    demo people file for the fee system and the simulators' cards (synthetic_people.py)."""

    def __init__(self, people: Path | None = None) -> None:
        from app.kiosk_app import KioskApp
        from kiosk.config import load_config
        from kiosk_driving import Driver

        self.state = tempfile.mkdtemp(prefix="bench-kiosk-")
        overrides = {"paths.state_dir": self.state} | ({"fee_system.people": str(people)} if people else {})
        config = load_config(REPO / "config" / "simulated.toml").with_overrides(overrides)
        self.app = application()
        self.kiosk = KioskApp(config, self.app, clock=lambda: NOW)
        self.kiosk.show(with_panel=False)
        self.bot = Bot()
        self.driver = Driver(self.kiosk, self.bot)

    def settle(self, seconds: float = 0.05) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.002)

    def close(self) -> None:
        self.kiosk.close()
        self.settle(0.05)
        shutil.rmtree(self.state, ignore_errors=True)


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")
