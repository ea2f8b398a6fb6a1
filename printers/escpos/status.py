"""The receipt printer's status from the three DLE EOT answer bytes (pure, no I/O).

Source: Epson ESC/POS Command Reference, "DLE EOT  Transmit real-time status". In every answer byte bit 0 and
bit 7 are fixed to 0 and bits 1 and 4 to 1 (mask 0x93 must give 0x12); that tells a status byte from noise.
n=1 (printer): bit 3 offline.  n=2 (offline cause): bit 2 cover open, bit 3 paper fed by the FEED button,
bit 5 printing stopped by paper end, bit 6 error.  n=4 (roll paper sensor): bits 2-3 paper near end,
bits 5-6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from drivers.base import DeviceStatus, PaperStatus
from printers.escpos.errors import printer_error

Paper = Literal["ok", "low", "out"]

FIXED_MASK = 0x93
FIXED_VALUE = 0x12

PRINTER_OFFLINE = 0x08
CAUSE_COVER_OPEN = 0x04
CAUSE_PAPER_END_STOP = 0x20
CAUSE_ERROR = 0x40
PAPER_NEAR_END = 0x0C
PAPER_END = 0x60


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    paper: Paper
    cover_open: bool
    error: bool = False

    @property
    def blocking_reason(self) -> str | None:
        """Why the printer cannot print now (most specific first), or None when it can."""
        if self.paper == "out":
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if not self.online or self.error:
            return "offline"
        return None

    @property
    def can_print(self) -> bool:
        return self.blocking_reason is None

    @property
    def device_status(self) -> DeviceStatus:
        if self.error:
            return DeviceStatus.HARDWARE_ERROR
        if self.cover_open:
            return DeviceStatus.USER_ERROR
        return DeviceStatus.ONLINE if self.online else DeviceStatus.OFFLINE

    @property
    def paper_status(self) -> PaperStatus:
        return {"ok": PaperStatus.FULL, "low": PaperStatus.LOW, "out": PaperStatus.OUT}[self.paper]

    def as_json(self) -> dict[str, object]:
        """The technician's view (`kiosk diag printer status`)."""
        return {"online": self.online, "paper": self.paper, "cover_open": self.cover_open}


def check_status_byte(kind: int, value: int) -> int:
    """Return ``value`` if it is a well-formed DLE EOT answer byte, else raise PrinterError invalid_answer."""
    if not 0 <= value <= 0xFF or value & FIXED_MASK != FIXED_VALUE:
        raise printer_error(
            "invalid_answer",
            f"DLE EOT {kind} answered 0x{value:02X}, not a status byte (fixed bits 0x93 must read 0x12)",
        )
    return value


def parse_status(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """Status from the answers to DLE EOT 1, 2 and 4."""
    check_status_byte(1, printer)
    check_status_byte(2, offline_cause)
    check_status_byte(4, paper)
    if paper & PAPER_END or offline_cause & CAUSE_PAPER_END_STOP:
        paper_state: Paper = "out"
    elif paper & PAPER_NEAR_END:
        paper_state = "low"
    else:
        paper_state = "ok"
    return PrinterStatus(
        online=not printer & PRINTER_OFFLINE,
        paper=paper_state,
        cover_open=bool(offline_cause & CAUSE_COVER_OPEN),
        error=bool(offline_cause & CAUSE_ERROR),
    )


def status_bytes(*, online: bool, paper: Paper, cover_open: bool, error: bool = False) -> dict[int, int]:
    """The answers a printer in this state gives to DLE EOT 1, 2 and 4 (used by the simulator).

    A real printer goes offline while its cover is open or printing stopped at paper end, so bit 3 of n=1
    follows those too.
    """
    offline = not online or cover_open or paper == "out" or error
    cause = FIXED_VALUE
    if cover_open:
        cause |= CAUSE_COVER_OPEN
    if paper == "out":
        cause |= CAUSE_PAPER_END_STOP
    if error:
        cause |= CAUSE_ERROR
    sensor = FIXED_VALUE
    if paper in ("low", "out"):
        sensor |= PAPER_NEAR_END
    if paper == "out":
        sensor |= PAPER_END
    return {1: FIXED_VALUE | (PRINTER_OFFLINE if offline else 0), 2: cause, 4: sensor}
