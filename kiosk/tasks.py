"""Blocking work (devices, the fee system) off the GUI thread, results back on it as Qt signals.

A screen never waits on a device: it starts a task and reacts to ``done`` / ``failed``. Each task carries the
session generation it was started in, so a result arriving after the session ended is dropped, not shown to the
next citizen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread. The worker emits its signals; they reach the slots below queued, on the GUI
    thread (a signal connected to a plain Python callable would run it on the emitting worker thread)."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, finish: Callable[[str, Any], None]) -> None:
        super().__init__()
        self._finish = finish
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)

    @Slot(object)
    def _on_done(self, value: Any) -> None:
        self._finish("done", value)

    @Slot(object)
    def _on_failed(self, error: Any) -> None:
        self._finish("failed", error)


def _run_job(work: Callable[[], Any], relay: _Relay) -> None:
    """On a pool thread. Started as a plain callable, not a QRunnable subclass: PySide keeps the Python side of a
    started QRunnable (with its work, whose closure holds the session's data) after the pool has deleted it."""
    try:
        result = work()
    except Exception as error:  # handed to the GUI thread, which decides what the citizen sees
        log.info("task failed: %s", type(error).__name__)
        relay.failed.emit(error)
    else:
        relay.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool; ``on_done``/``on_failed`` run on the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.generation = 0
        self._relays: set[_Relay] = set()

    def invalidate(self) -> None:
        """Forget every running task's result (the session ended)."""
        self.generation += 1

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[Exception], None] | None = None,
    ) -> None:
        generation = self.generation

        def finish(outcome: str, value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            handler = on_done if outcome == "done" else on_failed
            if handler is not None and generation == self.generation:
                handler(value)

        relay = _Relay(finish)
        self._relays.add(relay)
        self.pool.start(partial(_run_job, work, relay))

    def run_detached(self, work: Callable[[], Any], on_finished: Callable[[Any], None]) -> None:
        """Work that belongs to no session (recovery): ``on_finished`` gets the result or the exception."""

        def finish(_outcome: str, value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            on_finished(value)

        relay = _Relay(finish)
        self._relays.add(relay)
        self.pool.start(partial(_run_job, work, relay))

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
