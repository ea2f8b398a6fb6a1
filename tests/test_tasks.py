"""Work off the GUI thread, results back on it; a result that arrives after the session ended is dropped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from kiosk.tasks import TaskRunner


def test_results_arrive_on_the_gui_thread(qtbot, qapp):
    runner = TaskRunner()
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def work():
        seen["worker"] = threading.current_thread().name
        return 42

    def done(value):
        seen["value"] = value
        seen["on_gui_thread"] = QThread.currentThread() is gui

    runner.run(work, on_done=done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42 and seen["on_gui_thread"] is True
    assert seen["worker"] != threading.current_thread().name


def test_failures_arrive_too_and_late_results_are_dropped(qtbot, qapp):
    runner = TaskRunner()
    errors: list[Exception] = []
    late: list[object] = []
    runner.run(lambda: 1 / 0, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], ZeroDivisionError)

    def slow():
        time.sleep(0.2)
        return "old session"

    runner.run(slow, on_done=late.append)
    runner.invalidate()  # the session ended meanwhile
    assert runner.wait(3000)
    qtbot.wait(100)
    assert late == []
