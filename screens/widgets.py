"""Shared widgets: big buttons, labels with roles, a busy indicator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget


def button(text: str, role: str = "choice", name: str = "", parent: QWidget | None = None) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setProperty("role", role)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    if name:
        widget.setObjectName(name)
    return widget


def label(text: str = "", kind: str = "Message", wrap: bool = True, center: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(kind)
    widget.setWordWrap(wrap)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def busy_bar() -> QProgressBar:
    """An indeterminate progress bar: every wait longer than half a second shows one."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setObjectName("Busy")
    return bar
