"""Scenario steps of the technician's maintenance mode (issue 10), mixed into the ScenarioRunner.

Each action here is declared in MAINTENANCE_ACTIONS (action -> accepted value types, as scenario.ACTIONS) and
implemented as ``do_<action>(self, value, step)``; the runner's helpers (wait_until, click, within, pump) are
available through ``self``. The maintenance window is a top-level window of its own (``kiosk.maintenance``), so
these steps look there, not in the kiosk window the runner's ``tap``/``wait_text`` search. docs/maintenance.md
("Scenario steps") lists them.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

from app.harness.failure import StepFailed
from app.harness.gui_driver import plain
from drivers.base import DeviceKind

TEXT = (str,)
FLAG = (bool,)
TEXTS = (str, list)
TABLE = (dict,)

MAINTENANCE_ACTIONS: dict[str, tuple[type, ...]] = {
    "long_press": TEXT,
    "open_maintenance": FLAG,
    "maintenance_tap": TEXT,
    "maintenance_type": TABLE,
    "maintenance_page": TEXT,
    "maintenance_wait_text": TEXTS,
    "maintenance_expect_no_text": TEXTS,
    "expect_audit": (str, dict),
    "expect_not_logged": TEXTS,
    "expect_pinpad_master_key": TEXT,
    "expect_export_file": TABLE,
}

HALL_NAME = "HallName"  # objectName of the hall's name on the kiosk's header: the hidden gesture's target
GESTURE_SECONDS = 5.0
PAGES = ("sign_in", "menu", "devices", "ceremony", "journal", "reconcile", "config", "logs", "audit", "power")


class MaintenanceSteps:
    """The maintenance-mode actions of a scenario (the runner provides kiosk, ctx, bench and the helpers)."""

    kiosk: Any
    ctx: Any
    bench: Any
    _audit_before: int | None = None  # audit lines before this run's first maintenance step

    # --- helpers -------------------------------------------------------------------------------------------

    def _m_qt(self) -> tuple[Any, Any, Any]:
        # Imported here, not at the top: scenario.py reads MAINTENANCE_ACTIONS, and checking a scenario file needs
        # no Qt.
        from PySide6 import QtCore, QtWidgets
        from PySide6.QtTest import QTest

        return QtWidgets, QtCore, QTest

    def _audit_path(self) -> Path:
        return self.ctx.config.state_path(self.ctx.config["maintenance.audit_log"])

    def _audit_lines(self) -> list[str]:
        try:
            return self._audit_path().read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def _begin(self) -> None:
        """Remember where the audit log stood: a resumed state dir holds earlier runs' entries."""
        if self._audit_before is None:
            self._audit_before = len(self._audit_lines())

    def _window(self) -> Any:
        window = getattr(self.kiosk, "maintenance", None)
        return window if window is not None and window.isVisible() else None

    def _need_window(self, step: Any) -> Any:
        self._begin()
        seconds = self.within(step)
        if not self.wait_until(lambda: self._window() is not None, seconds):
            raise StepFailed(f"the maintenance window open within {seconds:g} s", "it is not open")
        return self._window()

    def _m_button(self, name: str) -> Any:
        """An enabled visible button of the maintenance window: by objectName, else by its text."""
        window = self._window()
        if window is None:
            return None
        qt = self._m_qt()[0]
        buttons = [b for b in window.findChildren(qt.QAbstractButton) if b.isVisible() and b.isEnabled()]
        for match in (
            lambda b: b.objectName() == name,
            lambda b: plain(b.text()) == plain(name),
            lambda b: plain(name) in plain(b.text()),
        ):
            found = next((b for b in buttons if match(b)), None)
            if found is not None:
                return found
        return None

    def maintenance_texts(self) -> list[str]:
        """Everything the maintenance window shows: labels, buttons, text boxes, list rows, fields (not password
        fields), chosen combo items."""
        window = self._window()
        if window is None:
            return []
        qt = self._m_qt()[0]
        texts: list[str] = []
        for widget in window.findChildren(qt.QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, qt.QLabel | qt.QAbstractButton):
                texts.append(widget.text())
            elif isinstance(widget, qt.QPlainTextEdit):
                texts.append(widget.toPlainText())
            elif isinstance(widget, qt.QListWidget):
                texts += [widget.item(row).text() for row in range(widget.count())]
            elif isinstance(widget, qt.QLineEdit) and widget.echoMode() == qt.QLineEdit.EchoMode.Normal:
                texts.append(widget.text())  # what a field holds; never a password field's
            elif isinstance(widget, qt.QComboBox):
                texts.append(widget.currentText())
        return [text for text in texts if text]

    def _m_shows(self, text: str) -> bool:
        return any(text in shown for shown in self.maintenance_texts())

    def _m_summary(self) -> str:
        shown = " | ".join(plain(text) for text in self.maintenance_texts() if not text.startswith("kbd_"))
        return "maintenance window shows: " + (shown[:600] or "nothing (not open)")

    def _page(self) -> str:
        window = self._window()
        if window is None:
            return "closed"
        current = window.current_page()
        if current is window.menu:
            return "menu"
        return next((name for name, page in window.pages.items() if page is current), "sign_in")

    # --- entry ---------------------------------------------------------------------------------------------

    def do_long_press(self, name: str, step: Any) -> None:
        """Hold a widget of the kiosk window (objectName) for ``seconds`` of real time (default 5), then let go."""
        widgets, core, test = self._m_qt()
        self._begin()
        target = next(
            (w for w in self.kiosk.window.findChildren(widgets.QWidget, name) if w.isVisible()), None
        )
        if target is None:
            raise StepFailed(f"a visible widget named {name!r} in the kiosk window", "none")
        seconds = float(step.options.get("seconds", GESTURE_SECONDS))
        point = core.QPoint(5, 5)
        test.mousePress(target, core.Qt.MouseButton.LeftButton, core.Qt.KeyboardModifier.NoModifier, point)
        self.pump(int(seconds * 1000))
        if target.isVisible():  # the maintenance window may have taken over; a release is still a release
            test.mouseRelease(target, core.Qt.MouseButton.LeftButton, core.Qt.KeyboardModifier.NoModifier, point)
        self.pump(50)

    def do_open_maintenance(self, flag: bool, step: Any) -> None:
        """The hidden gesture with its 5 s fast-forwarded: press the hall's name, check that a 5-second timer
        started, fire it, let go. ``true``: the maintenance window must open; ``false``: it must not (the gesture
        works on Home only). ``long_press`` does the real hold."""
        widgets, core, test = self._m_qt()
        self._begin()
        from screens.long_press import LongPress

        hall = next((w for w in self.kiosk.window.findChildren(widgets.QWidget, HALL_NAME) if w.isVisible()), None)
        gesture = next(iter(hall.findChildren(LongPress)), None) if hall is not None else None
        if gesture is None:
            raise StepFailed("the hall's name on the kiosk window with the long-press gesture", "not found")
        point = core.QPoint(5, 5)
        test.mousePress(hall, core.Qt.MouseButton.LeftButton, core.Qt.KeyboardModifier.NoModifier, point)
        if not gesture.timer.isActive() or gesture.timer.interval() != int(GESTURE_SECONDS * 1000):
            test.mouseRelease(hall, core.Qt.MouseButton.LeftButton, core.Qt.KeyboardModifier.NoModifier, point)
            raise StepFailed("a press on the hall's name starts the 5-second gesture",
                             f"timer active {gesture.timer.isActive()}, {gesture.timer.interval()} ms")
        gesture.timer.stop()
        gesture.timer.timeout.emit()
        test.mouseRelease(hall, core.Qt.MouseButton.LeftButton, core.Qt.KeyboardModifier.NoModifier, point)
        if flag:
            self._need_window(step)
        else:
            self.pump(200)
            if self._window() is not None:
                raise StepFailed("the gesture refused (no maintenance window)", f"it opened on {self.step_name()!r}")

    # --- the maintenance window ----------------------------------------------------------------------------

    def do_maintenance_tap(self, name: str, step: Any) -> None:
        self._need_window(step)
        seconds = self.within(step)
        if not self.wait_until(lambda: self._m_button(name) is not None, seconds):
            raise StepFailed(f"an enabled maintenance button {name!r} within {seconds:g} s", self._m_summary())
        self.click(self._m_button(name))

    def do_maintenance_type(self, value: dict[str, Any], step: Any) -> None:
        """``{field = "<objectName of a line edit>", text = "..."}``: tap the field, delete what it holds with
        the on-screen Delete key, then type ``text`` on the window's on-screen keyboard (Shift for lower case)."""
        if set(value) - {"field", "text"} or "field" not in value or "text" not in value:
            raise StepFailed('maintenance_type = { field = "<line edit objectName>", text = "..." }', str(value))
        window = self._need_window(step)
        widgets, core, test = self._m_qt()
        name, text = str(value["field"]), str(value["text"])
        edit = next((w for w in window.findChildren(widgets.QLineEdit, name) if w.isVisible()), None)
        if edit is None:
            raise StepFailed(f"a visible field {name!r} in the maintenance window", self._m_summary())
        window.activateWindow()
        test.mouseClick(edit, core.Qt.MouseButton.LeftButton)
        self.pump(20)
        if widgets.QApplication.focusWidget() is not edit:
            edit.setFocus()  # offscreen platforms may not activate a second top-level window on a click
            self.pump(20)
        if widgets.QApplication.focusWidget() is not edit:
            raise StepFailed(f"the field {name!r} has the keyboard focus", "it has not")
        for _ in range(len(edit.text())):
            self._key("backspace", step)
        for char in text:
            self._type_char(char, step)
        if edit.text() != text and edit.echoMode() == widgets.QLineEdit.EchoMode.Normal:
            raise StepFailed(f"the field {name!r} holds {text!r}", repr(edit.text()))

    def _key(self, key: str, step: Any) -> Any:
        def find() -> Any:
            window = self._window()
            if window is None:
                return None
            buttons = window.findChildren(self._m_qt()[0].QAbstractButton, f"kbd_{key}")
            return next((b for b in buttons if b.isVisible() and b.isEnabled()), None)

        if not self.wait_until(lambda: find() is not None, self.within(step)):
            raise StepFailed(f"the on-screen key {key!r}", self._m_summary())
        button = find()
        self.click(button)
        return button

    def _type_char(self, char: str, step: Any) -> None:
        key = "space" if char == " " else char.upper()
        if char.isalpha():
            keyboard = self._key_parent(key)
            if keyboard is not None and getattr(keyboard, "lower", False) != char.islower():
                self._key("shift", step)
        self._key(key, step)

    def _key_parent(self, key: str) -> Any:
        window = self._window()
        buttons = window.findChildren(self._m_qt()[0].QAbstractButton, f"kbd_{key}") if window else []
        button = next((b for b in buttons if b.isVisible()), None)
        return button.parentWidget() if button is not None else None

    def do_maintenance_page(self, name: str, step: Any) -> None:
        """Wait until the maintenance window shows a page: sign_in, menu, devices, ceremony, journal, reconcile,
        config, logs, audit, power; or ``closed`` (no maintenance window)."""
        if name not in (*PAGES, "closed"):
            raise StepFailed(f"a page of {', '.join(PAGES)} or closed", repr(name))
        self._begin()
        seconds = self.within(step)
        if not self.wait_until(lambda: self._page() == name, seconds):
            raise StepFailed(f"the maintenance page {name!r} within {seconds:g} s", f"the page {self._page()!r}")

    def do_maintenance_wait_text(self, texts: str | list[str], step: Any) -> None:
        self._need_window(step)
        seconds = self.within(step)
        wanted = _texts(texts)
        if not self.wait_until(lambda: all(self._m_shows(text) for text in wanted), seconds):
            missing = [text for text in wanted if not self._m_shows(text)]
            raise StepFailed(f"in the maintenance window within {seconds:g} s: {missing}", self._m_summary())

    def do_maintenance_expect_no_text(self, texts: str | list[str], step: Any) -> None:
        present = [text for text in _texts(texts) if self._m_shows(text)]
        if present:
            raise StepFailed(f"not in the maintenance window: {present}", self._m_summary())

    # --- assertions ----------------------------------------------------------------------------------------

    def _run_audit(self) -> list[dict[str, Any]]:
        entries = []
        for line in self._audit_lines()[self._audit_before or 0 :]:
            try:
                entries.append(json.loads(line))
            except ValueError:
                entries.append({"action": "unreadable_line"})
        return entries

    def do_expect_audit(self, expected: str | dict[str, Any], step: Any) -> None:
        """This run's audit log holds an entry: ``"sign_in"``, or ``{action, technician, detail = {...}}`` (every
        given detail key equal); ``count`` = how many such entries exactly. Waits ``within`` (a worker writes)."""
        wanted = {"action": expected} if isinstance(expected, str) else dict(expected)
        unknown = set(wanted) - {"action", "technician", "detail", "count"}
        if unknown or "action" not in wanted:
            raise StepFailed("expect_audit keys action (required), technician, detail, count", f"{sorted(unknown)}")
        count = wanted.pop("count", None)
        detail = wanted.pop("detail", {})

        def matching() -> list[dict[str, Any]]:
            return [
                entry
                for entry in self._run_audit()
                if all(entry.get(key) == value for key, value in wanted.items())
                and all(entry.get("detail", {}).get(key) == value for key, value in detail.items())
            ]

        def ok() -> bool:
            found = len(matching())
            return found == count if count is not None else found > 0

        if not self.wait_until(ok, self.within(step)):
            seen = [f"{e.get('technician')}:{e.get('action')}" for e in self._run_audit()]
            want = f"{count} " if count is not None else ""
            raise StepFailed(f"{want}audit entries like {expected}", f"{len(matching())}; this run's log: {seen}")

    def do_expect_not_logged(self, texts: str | list[str], step: Any) -> None:
        """None of the texts (case-insensitive: hex) is in the audit log or the kiosk's log files."""
        config = self.ctx.config
        files = [self._audit_path(), *sorted(config.state_path(config["paths.logs"]).glob("*"))]
        for path in files:
            try:
                content = path.read_text(encoding="utf-8", errors="replace").upper()
            except (FileNotFoundError, IsADirectoryError):
                continue
            found = [text for text in _texts(texts) if text.upper() in content]
            if found:
                raise StepFailed(f"nothing of {found} logged", f"it is in {path.name}")

    def do_expect_pinpad_master_key(self, kcv: str, step: Any) -> None:
        """The PIN pad simulator holds a master key with this check value (for its selected algorithm)."""
        from drivers.pinpad import crypto

        pad = self.bench.simulator(DeviceKind.PINPAD)

        def actual() -> str:
            keys = pad.keys()
            return crypto.check_value(pad.algorithm, keys.master).hex().upper() if keys.master else "no master key"

        if not self.wait_until(lambda: actual() == kcv.upper(), self.within(step)):
            raise StepFailed(f"the PIN pad's master key with check value {kcv.upper()}", actual())

    def do_expect_export_file(self, expected: dict[str, Any], step: Any) -> None:
        """``{name = "<glob>", contains = [...]}``: a file in the configured export folder
        (maintenance.export_dir) whose name matches holds every text (the newest such file)."""
        unknown = set(expected) - {"name", "contains"}
        if unknown:
            raise StepFailed("expect_export_file keys name, contains", f"{sorted(unknown)}")
        folder = self.ctx.config.state_path(self.ctx.config["maintenance.export_dir"])
        pattern = str(expected.get("name", "*"))

        def newest() -> Path | None:
            files = [p for p in folder.glob("*") if p.is_file() and fnmatch.fnmatch(p.name, pattern)]
            return max(files, key=lambda p: p.stat().st_mtime) if files else None

        seconds = self.within(step)
        if not self.wait_until(lambda: newest() is not None, seconds):
            present = sorted(p.name for p in folder.glob("*")) if folder.is_dir() else "no such folder"
            raise StepFailed(f"a file {pattern!r} in {folder} within {seconds:g} s", f"{present}")
        path = newest()
        assert path is not None
        content = path.read_text(encoding="utf-8-sig", errors="replace")
        missing = [text for text in _texts(expected.get("contains", [])) if text not in content]
        if missing:
            raise StepFailed(f"{path.name} contains {missing}", " | ".join(content.splitlines())[:400])


def _texts(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(each) for each in value]
