"""What the maintenance screens share: pages with a title, off-GUI-thread calls, an on-screen keyboard, and the
long press that opens maintenance from Home."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.context import KioskContext
from kiosk.maintenance.audit import AuditUnavailable
from kiosk.maintenance.credentials import KEYBOARD_ROWS
from kiosk.maintenance.service import ExportFolderMissing, MaintenanceService
from screens.long_press import LongPress  # noqa: F401  (re-exported: the gesture's old home)
from screens.style import px
from screens.widgets import button, label


def run_task(
    ctx: KioskContext,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[Exception], None],
) -> None:
    """Blocking work on ctx.tasks' pool. Detached: maintenance is no customer session, so ending one (which
    invalidates session tasks) must not swallow a technician's result."""

    def finished(value: Any) -> None:
        (on_failed if isinstance(value, Exception) else on_done)(value)

    ctx.tasks.run_detached(work, finished)


class IdleGuard(QObject):
    """Calls ``callback`` once ``window`` has had no touch, click or key for ``seconds``: a maintenance window
    left open would leave the kiosk out of service and its tools to whoever comes by."""

    ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)

    def __init__(self, window: QWidget, seconds: float, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(callback)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.ACTIVITY and isinstance(watched, QWidget) and watched.window() is self.window:
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)


class Keyboard(QWidget):
    """Big keys that type into the focused line edit of the window (keys never take the focus)."""

    typed = Signal(str)
    ROWS = KEYBOARD_ROWS  # the symbols row: passwords use them (`kiosk passwd` refuses what is not here)

    def __init__(self, scale: float, hex_only: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lower = False
        grid = QGridLayout(self)
        grid.setSpacing(px(8, scale))
        self.keys: dict[str, QPushButton] = {}
        rows = ("0123456789", "ABCDEF") if hex_only else self.ROWS
        for row, keys in enumerate(rows):
            for column, key in enumerate(keys):
                self._add(grid, key, key, row, column)
        last = len(rows)
        if not hex_only:
            self._add(grid, self.tr("Shift"), "shift", last, 0, 2)
            self._add(grid, self.tr("Space"), "space", last, 2, 4)
        self._add(grid, self.tr("Delete"), "backspace", last, 6, 4)
        for key in self.keys.values():
            key.setMinimumSize(px(80, scale), px(80, scale))

    def _add(self, grid: QGridLayout, text: str, key: str, row: int, column: int, span: int = 1) -> None:
        widget = button(text, "nav", f"kbd_{key}")
        widget.setMinimumWidth(0)
        widget.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(widget, row, column, 1, span)
        self.keys[key] = widget

    def press(self, key: str) -> None:
        if key == "shift":
            self.lower = not self.lower
            for name, widget in self.keys.items():
                if len(name) == 1 and name.isalpha():
                    widget.setText(name.lower() if self.lower else name)
            return
        target = QApplication.focusWidget()
        text = " " if key == "space" else (key.lower() if self.lower else key)
        if isinstance(target, QLineEdit):
            target.backspace() if key == "backspace" else target.insert(text)
        elif isinstance(target, QPlainTextEdit):
            target.textCursor().deletePreviousChar() if key == "backspace" else target.insertPlainText(text)
        self.typed.emit(key)


class Page(QWidget):
    """One maintenance page: a title, a body, a message line (every error in words)."""

    def __init__(self, service: MaintenanceService, title: str) -> None:
        super().__init__()
        self.service = service
        self.ctx = service.ctx
        self.layout_ = QVBoxLayout(self)
        scale = self.ctx.scale
        self.layout_.setContentsMargins(px(40, scale), px(20, scale), px(40, scale), px(20, scale))
        self.layout_.setSpacing(px(16, scale))
        self.layout_.addWidget(label(title, "Subtitle"))
        self.message = label("", "Hint")
        self.message.setObjectName("Hint")

    def on_enter(self) -> None:
        """Called each time the page is shown."""

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setObjectName("Error" if error else "Hint")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def say_failure(self, error: Exception, text: str) -> None:
        """``text`` in words; an action refused because its intent could not be audited says so instead."""
        if isinstance(error, AuditUnavailable):
            text = QCoreApplication.translate(
                "MaintenancePage",
                "Not done: the audit log cannot be written (is the disk full?). Only viewing works until it can.",
            )
        self.say(text, error=True)

    def export_and_say(self, export: Callable[[], Path]) -> None:
        """Run an export; say where the file went, or why it did not (an unplugged drive in plain words)."""
        try:
            path = export()
        except ExportFolderMissing as missing:
            text = QCoreApplication.translate(
                "MaintenancePage", "The export folder {folder} is not there: plug in the removable drive."
            )
            self.say(text.format(folder=missing.folder), error=True)
            return
        except OSError as error:
            text = QCoreApplication.translate("MaintenancePage", "Export failed: {error}")
            self.say_failure(error, text.format(error=error))
            return
        self.say(QCoreApplication.translate("MaintenancePage", "Exported to {path}").format(path=path))

    def row(self, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(px(16, self.ctx.scale))
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        self.layout_.addLayout(row)
        return row

    def text_box(self, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setReadOnly(True)
        box.setObjectName(name)
        return box

    def line_edit(self, name: str, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setMinimumHeight(px(70, self.ctx.scale))
        return edit


def field_label(text: str) -> QLabel:
    return label(text, "Message", wrap=False, center=False)


def fill(box: QPlainTextEdit, lines: list[str]) -> None:
    box.setPlainText("\n".join(lines))
