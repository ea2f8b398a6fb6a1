"""An on-screen keypad of big keys (the guide's 1–9, X, 0, 退格), for ID numbers and amounts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from screens.widgets import button

BACKSPACE = "backspace"


class Keypad(QWidget):
    """Emits ``pressed(key)`` with "0".."9", "X" or "backspace". Keys are named ``key_<k>`` for scripts."""

    pressed = Signal(str)

    def __init__(self, with_x: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(16)
        rows = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["X" if with_x else "", "0", BACKSPACE]]
        self.keys: dict[str, QPushButton] = {}
        for row, keys in enumerate(rows):
            for column, key in enumerate(keys):
                if not key:
                    continue
                text = self.tr("Delete") if key == BACKSPACE else key
                key_button = button(text, "key", f"key_{key}")
                key_button.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
                grid.addWidget(key_button, row, column)
                self.keys[key] = key_button
