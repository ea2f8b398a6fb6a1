"""The "are you still there?" prompt: 20 more seconds, then the session ends and its data is wiped."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from screens.style import px
from screens.widgets import button, label


class StillThereOverlay(QFrame):
    stay = Signal()
    gone = Signal()

    def __init__(self, parent: QWidget, scale: float) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog = QFrame(self)
        dialog.setObjectName("Dialog")
        dialog.setFixedWidth(px(1100, scale))
        inner = QVBoxLayout(dialog)
        inner.setContentsMargins(px(60, scale), px(50, scale), px(60, scale), px(50, scale))
        inner.setSpacing(px(30, scale))
        inner.addWidget(label(self.tr("Are you still there?"), "Title"))
        self.seconds = label("", "Message")
        inner.addWidget(self.seconds)
        self.continue_button = button(self.tr("Yes, continue"), "primary", "still_there_continue")
        self.continue_button.clicked.connect(self._stay)
        inner.addWidget(self.continue_button, alignment=Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(dialog)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.remaining = 0
        self.hide()

    def ask(self, seconds: float) -> None:
        self.remaining = max(1, round(seconds))
        self._show_remaining()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.timer.start()

    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()

    def _show_remaining(self) -> None:
        text = self.tr("Your session ends in {seconds} seconds and your data will be cleared.")
        self.seconds.setText(text.format(seconds=self.remaining))

    def _tick(self) -> None:
        self.remaining -= 1
        self._show_remaining()
        if self.remaining <= 0:
            self.dismiss()
            self.gone.emit()

    def _stay(self) -> None:
        self.dismiss()
        self.stay.emit()
