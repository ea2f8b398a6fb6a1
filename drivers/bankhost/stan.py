"""The system trace audit number (field 11): 000001..999999, never repeated within a day, kept across restarts.

The counter is written (and fsynced) before a number is handed out, so a number given to a request that then
crashed the kiosk is never given again; a stored reversal carries its own copy of the number.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

MAX_STAN = 999_999


class StanCounter:
    def __init__(self, path: str | os.PathLike[str] | None = None, start: int = 0) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._last = start % MAX_STAN
        if self.path is not None and self.path.exists():
            text = self.path.read_text(encoding="ascii").strip()
            if text.isdigit():
                self._last = int(text) % MAX_STAN

    @property
    def last(self) -> int:
        with self._lock:
            return self._last

    def next(self) -> str:
        with self._lock:
            self._last = self._last % MAX_STAN + 1
            self._save(self._last)
            return f"{self._last:06d}"

    def _save(self, value: int) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.write(fd, f"{value:06d}\n".encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        temporary.replace(self.path)
