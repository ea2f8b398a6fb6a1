"""Shared pieces of the maintenance tests: technicians with cheap (test-only) scrypt hashes, a kiosk with them,
a private copy of the configuration file to edit, and signing in on the maintenance window."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.maintenance.credentials import hash_password

REPO = Path(__file__).resolve().parent.parent
PASSWORDS = {"T001": "alpha-pass-1", "T002": "bravo-pass-2"}
# n=2**10 keeps the tests quick; `kiosk passwd` uses the full cost.
HASHES = {technician: hash_password(password, n=2**10) for technician, password in PASSWORDS.items()}
WAIT_MS = 8000


class Clock:
    """A clock the test moves forward."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def config_copy(tmp_path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    target = folder / "simulated.toml"
    shutil.copy(REPO / "config" / "simulated.toml", target)
    return target


@pytest.fixture
def maintenance_kiosk(make_kiosk):
    return make_kiosk(**{"maintenance.technicians": dict(HASHES)})


@pytest.fixture
def maintenance_window(maintenance_kiosk, qtbot, config_copy):
    from screens.maintenance import open_maintenance

    window = open_maintenance(maintenance_kiosk.ctx, maintenance_kiosk.window, config_copy)
    qtbot.addWidget(window)
    return window


def click(qtbot, window, name: str) -> None:
    def enabled():
        return next((b for b in window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()), None)

    qtbot.waitUntil(lambda: enabled() is not None, timeout=WAIT_MS)
    qtbot.mouseClick(enabled(), Qt.MouseButton.LeftButton)


def sign_in(qtbot, window, technician: str, password: str | None = None, panel=None) -> None:
    panel = panel or window.sign_in_panel
    panel.technician_id.setText(technician)
    panel.password.setText(PASSWORDS.get(technician, "") if password is None else password)
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.submit.isEnabled(), timeout=WAIT_MS)


def enter(qtbot, window, technician: str = "T001") -> None:
    sign_in(qtbot, window, technician)
    qtbot.waitUntil(lambda: window.current_page() is window.menu, timeout=WAIT_MS)
