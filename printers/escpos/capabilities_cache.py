"""Where python-escpos keeps its parsed printer database.

At import, python-escpos parses its capabilities file (YAML, about 90 ms on a 2-core kiosk) unless it finds the
pickle of a previous parse, and by default it looks for that pickle in a new ``mkdtemp()`` of every process: never
found. Point it at a private per-user cache directory instead (never a shared one: a pickle is code). Does nothing
when the variable is already set or no such directory can be had; python-escpos then behaves as before.

python-escpos 3.1 still makes that empty temporary directory on every import, variable set or not
(``environ.get(VARIABLE, mkdtemp())`` evaluates its default first): one empty folder in the temporary directory per
kiosk start, which a reboot clears. Not worked around.
"""

from __future__ import annotations

import os
from pathlib import Path

VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def use_private_pickle_dir() -> None:
    if VARIABLE in os.environ:
        return
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        directory = base / "sifee-kiosk" / "escpos"
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = directory.stat()
    except (OSError, RuntimeError, KeyError):  # no home, read-only file system
        return
    if status.st_uid == os.geteuid() and not status.st_mode & 0o022 and os.access(directory, os.W_OK):
        os.environ[VARIABLE] = str(directory)
