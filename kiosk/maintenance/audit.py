"""The append-only audit log of technician actions: one JSON line per action (who, when, what), file mode 0600.

The file is only ever opened for appending; nothing in the kiosk rewrites or truncates it. Details never hold a
password, a key component or an unmasked ID number: string values go through ``mask_personal`` as a safety net.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.logs import mask_personal

FORBIDDEN_DETAIL_KEYS = frozenset({"password", "component", "master_key", "pin"})


@dataclass(frozen=True)
class AuditEntry:
    at: str
    technician: str
    action: str
    detail: dict[str, Any]

    def line(self) -> str:
        detail = " ".join(f"{key}={value}" for key, value in self.detail.items())
        return f"{self.at}  {self.technician or '-'}  {self.action}  {detail}".rstrip()


class AuditLog:
    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.path = path
        self.clock = clock

    def record(self, technician: str, action: str, **detail: Any) -> AuditEntry:
        leaked = FORBIDDEN_DETAIL_KEYS & set(detail)
        if leaked:
            raise ValueError(f"secrets do not go into the audit log: {sorted(leaked)}")
        clean = {key: mask_personal(value) if isinstance(value, str) else value for key, value in detail.items()}
        entry = AuditEntry(self.clock().isoformat(timespec="seconds"), technician, action, clean)
        line = json.dumps(
            {"at": entry.at, "technician": technician, "action": action, "detail": clean}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return entry

    def entries(self, limit: int | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries, oldest first (a damaged line is shown as such, not skipped)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        if limit is not None:
            lines = lines[-limit:]
        found = []
        for line in lines:
            try:
                data = json.loads(line)
                found.append(AuditEntry(data["at"], data["technician"], data["action"], data.get("detail", {})))
            except (ValueError, KeyError, TypeError):
                found.append(AuditEntry("?", "?", "unreadable_line", {}))
        return found
