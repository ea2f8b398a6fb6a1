"""The first frame waits only for Home: the other screens (and what only they import) come right after it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kiosk.flow import Step
from screens.main_window import SCREEN_CLASSES

ROOT = Path(__file__).resolve().parents[1]


def test_only_home_is_imported_and_built_before_the_first_frame(tmp_path):
    # A fresh interpreter: what this test process imported earlier says nothing about the kiosk's start.
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtWidgets import QApplication
        from kiosk.config import load_config
        from app.kiosk_app import KioskApp
        app = QApplication([])
        config = load_config({str(ROOT / "config" / "simulated.toml")!r}).with_overrides(
            {{"paths.state_dir": {str(tmp_path / "state")!r}}})
        kiosk = KioskApp(config, app)
        built = [screen.step.value for screen in kiosk.window.screens.built()]
        late = [name for name in ("screens.qr_pay", "screens.certificates", "screens.maintenance.window", "qrcode",
                                  "kiosk.feesystem.http_client") if name in sys.modules]
        print("BUILT", built, "LATE", late)
        kiosk.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "BUILT ['home'] LATE []" in done.stdout


def test_every_screen_is_built_soon_after_the_first_frame(make_kiosk, qtbot):
    kiosk = make_kiosk()
    qtbot.waitUntil(lambda: kiosk.window.screens.next_unbuilt() is None, timeout=10000)
    assert {screen.step for screen in kiosk.window.screens.built()} == set(SCREEN_CLASSES) == set(Step)


def test_a_screen_asked_for_before_its_turn_is_built_then(make_kiosk):
    kiosk = make_kiosk()
    screen = kiosk.window.screens[Step.CERT_DONE]
    assert screen.step is Step.CERT_DONE and kiosk.window.screens[Step.CERT_DONE] is screen


def test_a_window_replaced_during_its_warm_up_leaves_nothing_behind(make_kiosk, qtbot):
    kiosk = make_kiosk()
    old = kiosk.window
    kiosk.appearance.toggle_language()  # English: the window is built again and the old one deleted
    assert kiosk.window is not old
    # The old window's warm-up timer died with it; the new window warms up its own screens.
    qtbot.waitUntil(lambda: kiosk.window.screens.next_unbuilt() is None, timeout=10000)
    assert kiosk.window.screens[Step.MENU].isHidden()
