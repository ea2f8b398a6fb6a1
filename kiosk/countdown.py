"""The countdown every screen shows; at zero the "still there?" prompt, then the session ends."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal


class Countdown(QObject):
    tick = Signal(int)  # seconds left
    expired = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_second)
        self.remaining = 0
        self._seconds = 0

    def start(self, seconds: float) -> None:
        self._seconds = max(1, round(seconds))
        self.remaining = self._seconds
        self._timer.start()
        self.tick.emit(self.remaining)

    def restart(self) -> None:
        """A touch: the person is still there."""
        if self._timer.isActive():
            self.start(self._seconds)

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def _on_second(self) -> None:
        self.remaining -= 1
        self.tick.emit(max(self.remaining, 0))
        if self.remaining <= 0:
            self._timer.stop()
            self.expired.emit()
