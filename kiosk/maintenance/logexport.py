"""The kiosk's log for a technician: the recent lines, and an export with personal data masked."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kiosk.logs import mask_personal


def log_files(log_dir: Path) -> list[Path]:
    """kiosk.log and its rotations, oldest first (kiosk.log.5 … kiosk.log)."""
    rotated = sorted(log_dir.glob("kiosk.log.*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    current = log_dir / "kiosk.log"
    return [*reversed(rotated), *([current] if current.exists() else [])]


def recent_lines(log_dir: Path, count: int = 200) -> list[str]:
    """The newest ``count`` lines, masked (the log is masked already; this is the safety net)."""
    current = log_dir / "kiosk.log"
    try:
        lines = current.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    return [mask_personal(line) for line in lines[-count:]]


def export_logs(log_dir: Path, folder: Path, terminal_id: str, now: dt.datetime) -> Path:
    """Every log file, masked, into one ``kiosk-log-<terminal>-<time>.txt`` in ``folder`` (0600)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-log-{terminal_id}-{now:%Y%m%d-%H%M%S}.txt"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for source in log_files(log_dir):
            with open(source, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    out.write(mask_personal(line))
    return path
