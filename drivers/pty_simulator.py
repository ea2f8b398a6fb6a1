"""The far end of a pseudo-terminal, where a serial device's simulator sits.

The driver opens ``port`` exactly as it would the device's serial port; the simulator reads and writes the
master side on its own thread (``serve``), until ``stop()``. Both ends are raw: no echo, no CR/LF translation, no
signals, 8-bit clean, as a UART is.
"""

from __future__ import annotations

import contextlib
import os
import pty
import threading
import tty
from types import TracebackType
from typing import Self


class PtySimulator:
    thread_name = "pty-simulator"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master, self._slave = pty.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)

    def serve(self) -> None:
        """The device: answer what arrives on ``self._master`` until ``self._stop`` is set."""
        raise NotImplementedError

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve, name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master = self._slave = -1

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
