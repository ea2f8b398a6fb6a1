"""The kiosk's log in journald, for maintenance: under systemd kiosk/logs.py writes every record there and no
kiosk.log, so the log page and the log export read the unit's journal through ``journalctl -o json``.

What is read is the kiosk's own unit (from /proc/self/cgroup; ``sifee-kiosk.service`` when that says nothing):
the kiosk's records, the lines of cage, kiosk-session and PulseAudio on the unit's stderr, and systemd's own lines
about the unit (a watchdog timeout, a crash, a restart), which a technician needs as much. The kiosk's user reads
the system journal as a member of ``systemd-journal`` (packaging/sifee-kiosk.service, SupplementaryGroups).
Lines come out as kiosk.log's (``time LEVEL logger: message``; other programs' lines name the program), masked
once more: the kiosk's records were masked when written, the other programs' were not.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.journald import IDENTIFIER
from kiosk.logs import mask_personal

UNIT = "sifee-kiosk.service"
JOURNALCTL = "journalctl"
EXPORT_SPAN = dt.timedelta(days=14)  # about what kiosk.log's 5 × 2 MB rotations hold on a busy hall
READ_TIMEOUT_S = 60.0  # journalctl over two weeks of one unit: seconds at most; a hung one must not hang the page
# syslog(3) priorities as the logging module names its levels (kiosk.log's lines carry those names).
LEVELS = {0: "CRITICAL", 1: "CRITICAL", 2: "CRITICAL", 3: "ERROR", 4: "WARNING", 5: "INFO", 6: "INFO", 7: "DEBUG"}


class JournalUnreadable(OSError):
    """journalctl is missing, failed, or may not read the unit's entries; the message says which, in words."""


def own_unit(cgroup: str) -> tuple[str, bool] | None:
    """The systemd unit of a /proc/<pid>/cgroup text and whether it is a user unit (a service of user@UID);
    None outside any service (a shell, a container)."""
    for line in cgroup.splitlines():
        hierarchy, _, path = line.partition("::")
        if hierarchy != "0":  # the unified hierarchy's line ("0::/system.slice/sifee-kiosk.service")
            continue
        parts = [part for part in path.split("/") if part]
        services = [i for i, part in enumerate(parts) if part.endswith(".service")]
        if not services:
            return None
        user = any(part.startswith("user@") and part.endswith(".service") for part in parts[: services[-1]])
        return parts[services[-1]], user
    return None


def unit_selection(cgroup_file: Path = Path("/proc/self/cgroup")) -> tuple[str, ...]:
    """journalctl's arguments that select this process's unit: ``-u UNIT`` or ``--user-unit UNIT``."""
    try:
        found = own_unit(cgroup_file.read_text(encoding="utf-8"))
    except OSError:
        found = None
    unit, user = found or (UNIT, False)
    return ("--user-unit", unit) if user else ("-u", unit)


def _text(value: Any) -> str:
    """A journal field as JSON gives it: a string, a list of bytes (not UTF-8, or binary), or null."""
    if isinstance(value, list):
        return bytes(value).decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def entry_lines(entry: Mapping[str, Any]) -> list[str]:
    """One journal entry as kiosk.log lines: time, level, the message (a traceback spans several lines)."""
    try:
        at = dt.datetime.fromtimestamp(int(entry["__REALTIME_TIMESTAMP"]) / 1_000_000)
        priority = int(_text(entry.get("PRIORITY")) or 6)
    except (KeyError, ValueError):
        return []
    stamp = f"{at:%Y-%m-%d %H:%M:%S},{at.microsecond // 1000:03d}"
    identifier = _text(entry.get("SYSLOG_IDENTIFIER")) or _text(entry.get("_COMM"))
    # The kiosk's own messages start with the logger's name (kiosk/logs.py: JOURNAL_FORMAT); others name the program.
    source = "" if identifier == IDENTIFIER else f"{identifier or '?'}: "
    message = _text(entry.get("MESSAGE")).rstrip("\n")
    first, *rest = message.split("\n")
    return [mask_personal(line) for line in (f"{stamp} {LEVELS.get(priority, 'INFO')} {source}{first}", *rest)]


def _parsed(raw: str) -> list[str]:
    """One line of journalctl's JSON output (one entry) as log lines; anything else (a notice) is no entry."""
    if not raw.startswith("{"):
        return []
    try:
        entry = json.loads(raw)
    except ValueError:
        return []
    return entry_lines(entry) if isinstance(entry, dict) else []


@dataclass(frozen=True)
class JournalLog:
    """The unit's entries through journalctl. ``directory``: journal files to read instead of the machine's
    (a journal copied off a kiosk; tests); ``selection``: journalctl's matches (the unit's, by default)."""

    selection: Sequence[str] = ()
    directory: Path | None = None
    journalctl: str = JOURNALCTL

    def _command(self, *options: str) -> list[str]:
        where = ["--directory", str(self.directory)] if self.directory is not None else []
        selection = list(self.selection) or list(unit_selection())
        # No -q: its hints on stderr are how an unreadable journal is told from a quiet kiosk.
        return [self.journalctl, *where, "-o", "json", "--all", "--no-pager", *options, *selection]

    def recent_lines(self, count: int = 200) -> list[str]:
        """The newest ``count`` lines (of the newest ``count`` entries), masked."""
        try:
            done = subprocess.run(
                self._command("-n", str(count)), capture_output=True, text=True, timeout=READ_TIMEOUT_S
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise JournalUnreadable(f"journalctl could not be run: {error}") from None
        self._check(done.returncode, done.stderr, "{" in done.stdout)
        lines = [line for raw in done.stdout.splitlines() for line in _parsed(raw)]
        return lines[-count:]

    def lines_since(self, since: dt.datetime) -> Iterator[str]:
        """Every line from ``since`` on (local time), oldest first, masked; streamed (weeks of a busy hall)."""
        command = self._command("--since", f"@{int(since.timestamp())}")
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace"
            )
        except OSError as error:
            raise JournalUnreadable(f"journalctl could not be run: {error}") from None
        assert process.stdout is not None and process.stderr is not None
        seen = False
        with process:
            for raw in process.stdout:
                if raw.startswith("{"):
                    seen = True
                    yield from _parsed(raw)
            try:
                returncode = process.wait(timeout=READ_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                raise JournalUnreadable("journalctl did not finish") from None
            self._check(returncode, process.stderr.read(), seen)

    def export_lines(self, now: dt.datetime) -> Iterator[str]:
        """What an export holds: EXPORT_SPAN back from ``now``."""
        return self.lines_since(now - EXPORT_SPAN)

    @staticmethod
    def _check(returncode: int, stderr: str, any_entry: bool) -> None:
        said = " ".join(stderr.split())
        if not any_entry and ("insufficient permissions" in said or "not seeing messages" in said):
            # The kiosk's user is not in systemd-journal: an empty page would look like a quiet kiosk.
            raise JournalUnreadable(f"the kiosk's user may not read the journal (group systemd-journal): {said}")
        if returncode != 0:
            raise JournalUnreadable(f"journalctl failed ({returncode}): {said or 'no reason given'}")
