"""Files the kiosk creates are its user's alone: directories 0700, files 0600 (DESIGN.md §8).

The unit sets UMask=0077; ``private_umask()`` does the same for `kiosk run` from a shell and `kiosk sim`, so that
every file created later (SQLite's -wal and -shm, exports, receipts, the simulators' files, child processes) is
private without each place having to remember it. ``make_private_dirs`` creates a directory and every missing
parent 0700 (``Path.mkdir(parents=True, mode=…)`` gives the parents the umask's mode, not ``mode``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_umask() -> int:
    """Set the process umask to 0077; returns the one before."""
    return os.umask(PRIVATE_UMASK)


def make_private_dirs(path: Path) -> Path:
    """``path`` and its missing parents, each created 0700 (existing ones are left as they are)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile
        os.chmod(directory, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private_file(path: Path) -> Path:
    """Create ``path`` 0600 if it is missing (before SQLite or a handler opens it), in private directories."""
    make_private_dirs(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, PRIVATE_FILE_MODE))
    # A file an older version left readable by others; one that is not ours stays (the doctor reports it).
    with contextlib.suppress(PermissionError):
        os.chmod(path, PRIVATE_FILE_MODE)
    return path


def replace_file(path: Path, data: bytes | str, mode: int = PRIVATE_FILE_MODE) -> Path:
    """Write ``data`` to ``path`` all at once: a reader sees the old file or the whole new one, never a part (a
    temporary file beside it, synced, then renamed over it, the rename synced too), created ``mode`` from the start."""
    make_private_dirs(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # os.open's mode is filtered by the umask
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself is durable
        finally:
            os.close(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    return path
