"""Driving the kiosk's window as a person would: find an enabled button by its objectName or text, tap it, read what
the screen shows, wait for something while the kiosk's event loop runs. The one GUI driver of the scenario runner
(app/harness/runner.py) and of the pytest GUI tests (tests/kiosk_driving.py).

Waits run a QEventLoop, not QTest.qWait: PySide keeps the GIL through qWait, so the kiosk's worker threads (fee
system, printer, PIN pad, bank) crawled at a fifth of their speed or less while a test waited (docs/harness.md).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

POLL_MS = 20


def plain(text: str) -> str:
    """A button's text as a person reads it: line breaks and runs of spaces as one space."""
    return re.sub(r"\s+", " ", text).strip()


class KioskGuiDriver:
    """``kiosk`` is a started app.kiosk_app.KioskApp (its ``window`` and ``ctx``)."""

    def __init__(self, kiosk: Any) -> None:
        self.kiosk = kiosk
        self.ctx = kiosk.ctx

    def pump(self, ms: int) -> None:
        """Run the kiosk's event loop for ``ms``."""
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(self, condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while True:
            if condition():
                return True
            if time.monotonic() >= deadline:
                return False
            self.pump(POLL_MS)

    # --- what the screen shows -----------------------------------------------------------------------------

    def step_name(self) -> str:
        return self.ctx.flow.step.value

    def visible_texts(self, current_screen_only: bool = False) -> list[str]:
        """The texts of every visible label and button: of the whole window (header, countdown) or of the
        current screen only."""
        # What is already decided but posted for later, such as a layout showing a child it was just given, is
        # what a person would see: deliver it first (posted events only; no timers run).
        QtCore.QCoreApplication.sendPostedEvents()
        root = self.kiosk.window.current if current_screen_only else self.kiosk.window
        widgets = root.findChildren(QtWidgets.QLabel) + root.findChildren(QtWidgets.QAbstractButton)
        return [widget.text() for widget in widgets if widget.isVisible() and widget.text()]

    def screen_shows(self, text: str) -> bool:
        return any(text in shown for shown in self.visible_texts())

    def button(self, match: Callable[[Any], bool]) -> Any:
        for button in self.kiosk.window.findChildren(QtWidgets.QAbstractButton):
            if button.isVisible() and button.isEnabled() and match(button):
                return button
        return None

    def named_button(self, name: str) -> Any:
        return self.button(lambda b: b.objectName() == name)

    def buttons_shown(self) -> str:
        buttons = [
            f"{b.objectName() or '?'} ({plain(b.text())})"
            for b in self.kiosk.window.findChildren(QtWidgets.QAbstractButton)
            if b.isVisible()
        ]
        return "buttons on screen: " + (", ".join(buttons) or "none")

    def click(self, button: Any) -> None:
        QTest.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
        self.pump(POLL_MS)

    def tap_named(self, name: str, seconds: float) -> bool:
        """Tap the enabled button named ``name`` once it shows within ``seconds``; False when it did not."""
        if not self.wait_until(lambda: self.named_button(name) is not None, seconds):
            return False
        self.click(self.named_button(name))
        return True
