"""One kiosk per machine: a lock file held with fcntl.flock for the life of the process.

Two kiosks would fight over the serial ports and could both take a citizen's money on one journal. The lock lives
in the state directory (next to the journal it protects) or, when none is given, in $XDG_RUNTIME_DIR. The kernel
drops a flock when its process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path
from types import TracebackType

LOCK_NAME = "kiosk.lock"


class AlreadyRunning(RuntimeError):
    """Another process holds the lock; the message says so plainly, with that process's pid when known."""

    def __init__(self, lock_path: Path, pid: int | None) -> None:
        self.lock_path = lock_path
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"the kiosk is already running{who}; lock {lock_path}. Stop it first.")


def default_lock_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) if runtime else Path(tempfile.gettempdir())


class SingleInstanceLock:
    """``acquire()`` or raise AlreadyRunning; ``release()`` (or leave the ``with`` block) to let go."""

    def __init__(self, directory: Path | str | None = None, name: str = LOCK_NAME) -> None:
        self.path = Path(directory or default_lock_dir()) / name
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> SingleInstanceLock:
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise AlreadyRunning(self.path, pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> SingleInstanceLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def acquire_or_exit_message(directory: Path | str | None = None) -> tuple[SingleInstanceLock | None, str | None]:
    """For the start-up path: (held lock, None), or (None, the one line to print before exiting non-zero)."""
    lock = SingleInstanceLock(directory)
    try:
        return lock.acquire(), None
    except AlreadyRunning as error:
        return None, f"kiosk: {error}"
    except OSError as error:
        return None, f"kiosk: cannot create the lock file {lock.path}: {error}"
