"""The append-only audit log of technician actions: one JSON line per action (who, when, what), file mode 0600.

The file is only ever opened for appending; nothing in the kiosk rewrites or truncates it. Details never hold a
password, a key component or an unmasked ID number: string values go through ``mask_personal`` as a safety net.

An entry that cannot be written (a full disk, a read-only state directory) is kept in memory, in order, and written
before the next entry that can be; ``record`` then raises :class:`AuditUnavailable` so that the caller can refuse an
action whose intent is not on disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.logs import mask_personal

log = logging.getLogger(__name__)

FORBIDDEN_DETAIL_KEYS = frozenset({"password", "component", "master_key", "pin"})


class AuditUnavailable(OSError):
    """The audit log cannot be written now; the entry is kept in memory until it can."""


@dataclass(frozen=True)
class AuditEntry:
    at: str
    technician: str
    action: str
    detail: dict[str, Any]
    written: bool = True  # False: kept in memory, the file could not be written yet

    def line(self) -> str:
        detail = " ".join(f"{key}={value}" for key, value in self.detail.items())
        unwritten = "" if self.written else "  [in memory only: not written yet]"
        return f"{self.at}  {self.technician or '-'}  {self.action}  {detail}".rstrip() + unwritten


class AuditLog:
    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self.pending: list[AuditEntry] = []  # not written yet, oldest first

    def record(self, technician: str, action: str, **detail: Any) -> AuditEntry:
        """Append one entry; raises :class:`AuditUnavailable` (the entry kept in memory) when it cannot be written."""
        leaked = FORBIDDEN_DETAIL_KEYS & set(detail)
        if leaked:
            raise ValueError(f"secrets do not go into the audit log: {sorted(leaked)}")
        clean = {key: mask_personal(value) if isinstance(value, str) else value for key, value in detail.items()}
        entry = AuditEntry(self.clock().isoformat(timespec="seconds"), technician, action, clean)
        with self._lock:
            self.pending.append(entry)
            try:
                self._write(self.pending)
            except OSError as error:
                self.pending[-1] = dataclasses.replace(entry, written=False)
                log.warning("audit log not written (%s): %d entries kept in memory", error, len(self.pending))
                raise AuditUnavailable(f"the audit log {self.path} cannot be written: {error}") from error
            self.pending.clear()
        return entry

    def _write(self, entries: list[AuditEntry]) -> None:
        """All of ``entries`` in one append (a partial line is not left behind by a short write)."""
        text = "".join(
            json.dumps(
                {"at": e.at, "technician": e.technician, "action": e.action, "detail": e.detail}, ensure_ascii=False
            )
            + "\n"
            for e in entries
        )
        data = text.encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        try:
            start = os.fstat(fd).st_size
            try:
                if os.write(fd, data) != len(data):
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
            except OSError:
                os.ftruncate(fd, start)  # no half line: the whole batch is retried later
                raise
        finally:
            os.close(fd)

    def entries(self, limit: int | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries, oldest first (a damaged line is shown as such, not skipped)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        except OSError as error:  # shown, not raised: the technician still sees what is kept in memory
            lines = [
                json.dumps(
                    {"at": "?", "technician": "?", "action": "audit_log_unreadable", "detail": {"reason": str(error)}}
                )
            ]
        if limit is not None:
            lines = lines[-limit:]
        found = []
        for line in lines:
            try:
                data = json.loads(line)
                found.append(AuditEntry(data["at"], data["technician"], data["action"], data.get("detail", {})))
            except (ValueError, KeyError, TypeError):
                found.append(AuditEntry("?", "?", "unreadable_line", {}))
        with self._lock:
            found += self.pending
        return found[-limit:] if limit is not None else found
