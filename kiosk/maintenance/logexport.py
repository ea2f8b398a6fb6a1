"""The kiosk's log for a technician: the recent lines, and an export with personal data masked.

The log is where kiosk/logs.py wrote it: under systemd the unit's journal (kiosk/maintenance/journallog.py),
elsewhere ``kiosk.log`` and its rotations in the log folder.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol, TextIO

from kiosk.journald import stderr_is_journal
from kiosk.logs import LOG_FILE, mask_personal
from kiosk.maintenance.journallog import JournalLog


class LogSource(Protocol):
    def recent_lines(self, count: int = 200) -> list[str]:
        """The newest ``count`` lines, masked."""
        ...

    def export_lines(self, now: dt.datetime) -> Iterator[str]:
        """What an export holds, oldest first, masked."""
        ...


def log_files(log_dir: Path) -> list[Path]:
    """kiosk.log and its rotations, oldest first (kiosk.log.5 … kiosk.log)."""
    rotated = sorted(log_dir.glob(f"{LOG_FILE}.*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    current = log_dir / LOG_FILE
    return [*reversed(rotated), *([current] if current.exists() else [])]


class FileLog:
    """kiosk.log and its rotations (a kiosk not run by systemd: a shell, `kiosk sim`)."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir

    def recent_lines(self, count: int = 200) -> list[str]:
        """The log is masked already; this is the safety net."""
        try:
            lines = (self.log_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        return [mask_personal(line) for line in lines[-count:]]

    def export_lines(self, now: dt.datetime) -> Iterator[str]:
        """Every file: the rotations are the log's span."""
        for source in log_files(self.log_dir):
            with open(source, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    yield mask_personal(line.rstrip("\n"))


def kiosk_log(log_dir: Path, environ: Mapping[str, str] = os.environ, stderr: TextIO | None = None) -> LogSource:
    """Where this process's log went: the decision kiosk/logs.py's setup_logging made from the same facts."""
    if stderr_is_journal(environ, stderr or sys.stderr):
        return JournalLog()
    return FileLog(log_dir)


def recent_lines(log_dir: Path, count: int = 200) -> list[str]:
    """kiosk.log's newest ``count`` lines, masked."""
    return FileLog(log_dir).recent_lines(count)


def export_logs(source: LogSource | Path, folder: Path, terminal_id: str, now: dt.datetime) -> Path:
    """The log (a source, or a folder of kiosk.log files), masked, into one ``kiosk-log-<terminal>-<time>.txt``
    in ``folder`` (0600). A source that fails half way leaves no file behind."""
    lines = (FileLog(source) if isinstance(source, Path) else source).export_lines(now)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-log-{terminal_id}-{now:%Y%m%d-%H%M%S}.txt"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
