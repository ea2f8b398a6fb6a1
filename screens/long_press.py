"""The hidden gesture on Home: a long press on a widget (the hall's name opens maintenance mode)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget


class LongPress(QObject):
    """Calls ``callback`` when ``widget`` is held down for ``seconds`` (the hidden gesture on Home).

    Install it once: ``LongPress(home.hall_name_label, 5.0, open_it)``; keep a reference (it is the widget's
    child, so it lives as long as the widget)."""

    def __init__(self, widget: QWidget, seconds: float, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback = callback
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # A coarse timer may fire up to 5 % late, after a technician holding for exactly the time has let go.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(callback)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.timer.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave):
            self.timer.stop()
        return False
