"""The A4 printer's state as CUPS reports it, mapped to the device model (pure: parses lpstat's text).

`lpstat -l -p QUEUE` gives the printer-state ("is idle", "now printing", "disabled") on its first line and
the printer-state-reasons on the "Alerts:" line; `lpstat -a QUEUE` says whether it accepts jobs. Reason
keywords: RFC 8011 §5.4.12 (printer-state-reasons) and the PWG 5100.x registrations; a keyword may carry a
severity suffix -report, -warning or -error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from drivers.base import DeviceState, DeviceStatus, PaperStatus

State = Literal["idle", "printing", "stopped"]

PAPER_OUT_REASONS = {"media-empty", "media-needed", "input-tray-missing"}
JAM_REASONS = {"media-jam"}
OFFLINE_REASONS = {"offline", "connecting-to-device", "timed-out", "shutdown", "paused", "stopped"}
COVER_REASONS = {"cover-open", "door-open", "interlock-open"}
SUPPLY_REASONS = {"toner-empty", "marker-supply-empty", "marker-waste-full", "fuser-over-temp"}
BLOCKING = PAPER_OUT_REASONS | JAM_REASONS | OFFLINE_REASONS | COVER_REASONS | SUPPLY_REASONS


def reason_keyword(reason: str) -> str:
    """'media-empty-error' -> 'media-empty'."""
    return re.sub(r"-(report|warning|error)$", "", reason)


@dataclass(frozen=True)
class A4Status:
    state: State
    accepting: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)
    message: str = ""

    @property
    def keywords(self) -> set[str]:
        return {reason_keyword(r) for r in self.reasons if not r.endswith("-report")}

    @property
    def paper(self) -> PaperStatus:
        if self.keywords & JAM_REASONS:
            return PaperStatus.JAMMED
        if self.keywords & PAPER_OUT_REASONS:
            return PaperStatus.OUT
        return PaperStatus.LOW if "media-low" in self.keywords else PaperStatus.FULL

    @property
    def device_status(self) -> DeviceStatus:
        keywords = self.keywords
        if keywords & (JAM_REASONS | SUPPLY_REASONS):
            return DeviceStatus.HARDWARE_ERROR
        if keywords & COVER_REASONS:
            return DeviceStatus.USER_ERROR
        if self.state == "stopped" or keywords & OFFLINE_REASONS:
            return DeviceStatus.OFFLINE
        return DeviceStatus.BUSY if self.state == "printing" else DeviceStatus.ONLINE

    @property
    def blocking_reason(self) -> str | None:
        """Why a job would not print now: paper_out, jammed, cover_open, offline, not_accepting; or None."""
        keywords = self.keywords
        if keywords & PAPER_OUT_REASONS:
            return "paper_out"
        if keywords & JAM_REASONS:
            return "jammed"
        if keywords & COVER_REASONS:
            return "cover_open"
        if self.state == "stopped" or keywords & (OFFLINE_REASONS | SUPPLY_REASONS):
            return "offline"
        if not self.accepting:
            return "not_accepting"
        return None

    def device_state(self) -> DeviceState:
        """The device contract's state: a queue that refuses jobs is offline, whatever its printer says."""
        reason = self.blocking_reason
        status = DeviceStatus.OFFLINE if reason == "not_accepting" else self.device_status
        reasons = " ".join(self.reasons) or "none"
        detail = f"queue {self.state}, reasons {reasons}" + (f"; cannot print: {reason}" if reason else "")
        return DeviceState(status, self.paper, detail)

    def as_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "accepting": self.accepting,
            "reasons": list(self.reasons),
            "paper": self.paper.value,
            "device_status": self.device_status.value,
            "message": self.message,
        }


def parse_lpstat(printer_text: str, accepting_text: str) -> A4Status:
    """Status from `lpstat -l -p QUEUE` and `lpstat -a QUEUE` (run with LANG=C). Raises ValueError."""
    lines = printer_text.splitlines()
    if not lines or not lines[0].startswith("printer "):
        raise ValueError(f"not lpstat -p output: {printer_text[:80]!r}")
    head = lines[0]
    if " disabled since " in head:
        state: State = "stopped"
    elif " now printing " in head:
        state = "printing"
    elif " is idle." in head:
        state = "idle"
    else:
        raise ValueError(f"unknown printer state line: {head!r}")
    reasons: tuple[str, ...] = ()
    message = ""
    for index, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        if stripped.startswith("Alerts:"):
            reasons = tuple(r for r in stripped.removeprefix("Alerts:").split() if r != "none")
        elif index == 1 and line.startswith("\t") and ":" not in stripped:
            message = stripped  # printer-state-message, printed right under the state line
    accepting = " accepting requests since " in accepting_text and " not accepting " not in accepting_text
    return A4Status(state=state, accepting=accepting, reasons=reasons, message=message)
