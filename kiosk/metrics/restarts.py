"""How often the kiosk started again after it had not stopped cleanly: a watchdog kill, a crash, a power cut.

systemd restarts the kiosk when its watchdog pings stop (packaging/sifee-kiosk.service), but tells the new process
nothing of why. So the kiosk leaves a marker in its state directory while it runs and removes it when it stops
cleanly; a marker found at start-up means the last run ended without stopping, and the count in the same file
goes up. The count survives restarts, as the alert on it needs.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.private_files import replace_file

log = logging.getLogger(__name__)

RESTARTS_FILE = "unclean_restarts.json"


class RestartCounter:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / RESTARTS_FILE
        self.count = 0

    def started(self) -> int:
        """Note this start; return how many unclean restarts there have been, this one included."""
        data = self._load()
        self.count = int(data.get("count", 0)) + (1 if data.get("running") else 0)
        if data.get("running"):
            log.warning(
                "the last run did not stop cleanly (watchdog, crash or power cut): unclean restart %d", self.count
            )
        self._save({"count": self.count, "running": True})
        return self.count

    def stopped(self) -> None:
        """A clean stop: the next start is not counted."""
        self._save({"count": self.count, "running": False})

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (FileNotFoundError, ValueError):
            return {}

    def _save(self, data: dict) -> None:
        try:
            replace_file(self.path, json.dumps(data))
        except OSError as error:  # a state directory that cannot be written is ctx.health's to report
            log.warning("cannot write %s: %s", self.path, error)
