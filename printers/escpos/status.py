"""The receipt printer's status from the three DLE EOT answer bytes (pure, no I/O).

Source: Epson ESC/POS Command Reference, "DLE EOT  Transmit real-time status". In every answer byte bit 0 and
bit 7 are fixed to 0 and bits 1 and 4 to 1 (mask 0x93 must give 0x12); that tells a status byte from noise.
n=1 (printer): bit 3 offline.  n=2 (offline cause): bit 2 cover open, bit 3 paper fed by the FEED button,
bit 5 printing stopped by paper end, bit 6 error.  n=4 (roll paper sensor): bits 2-3 paper near end,
bits 5-6 paper end.

The paper is the device contract's PaperStatus (full, low, out). The word "ok" for a full roll stays where it is a
contract: the JSON of `kiosk diag printer status` and the simulator's controls (paper_word, paper_of).
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.base import DeviceState, DeviceStatus, PaperStatus
from printers.escpos.errors import printer_error

PAPER_OK = "ok"  # a full roll, in the words of `kiosk diag printer status` and of the simulator's controls
ROLL_PAPER = (PaperStatus.FULL, PaperStatus.LOW, PaperStatus.OUT)  # what the roll paper sensor can tell


def paper_word(paper: PaperStatus) -> str:
    """``ok``, ``low`` or ``out``: the paper as `kiosk diag printer status` prints it."""
    return PAPER_OK if paper is PaperStatus.FULL else paper.value


def paper_of(word: str) -> PaperStatus:
    """The PaperStatus of ``ok`` (or ``full``), ``low`` or ``out``; ValueError for anything else."""
    try:
        paper = PaperStatus.FULL if word == PAPER_OK else PaperStatus(word)
    except ValueError:
        paper = None
    if paper is None or paper not in ROLL_PAPER:
        raise ValueError(f"paper must be ok, low or out, not {word!r}")
    return paper

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
    """The receipt printer's own answer (``ReceiptPrinter.printer_status()``); ``device_state()`` is the
    contract's."""

    online: bool
    paper: PaperStatus
    cover_open: bool
    error: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "paper", paper_of(self.paper))  # a plain "full"/"low"/"out" is welcome too

    @property
    def blocking_reason(self) -> str | None:
        """Why the printer cannot print now (most specific first), or None when it can."""
        if self.paper is PaperStatus.OUT:
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
        return self.paper

    def device_state(self) -> DeviceState:
        reason = self.blocking_reason
        detail = f"cannot print: {reason}" if reason else "ready"
        if self.cover_open and reason != "cover_open":
            detail += ", cover open"
        return DeviceState(self.device_status, self.paper, detail)

    def as_json(self) -> dict[str, object]:
        """The technician's view (`kiosk diag printer status`)."""
        return {"online": self.online, "paper": paper_word(self.paper), "cover_open": self.cover_open}


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
        paper_state = PaperStatus.OUT
    elif paper & PAPER_NEAR_END:
        paper_state = PaperStatus.LOW
    else:
        paper_state = PaperStatus.FULL
    return PrinterStatus(
        online=not printer & PRINTER_OFFLINE,
        paper=paper_state,
        cover_open=bool(offline_cause & CAUSE_COVER_OPEN),
        error=bool(offline_cause & CAUSE_ERROR),
    )


def status_bytes(*, online: bool, paper: PaperStatus | str, cover_open: bool, error: bool = False) -> dict[int, int]:
    """The answers a printer in this state gives to DLE EOT 1, 2 and 4 (used by the simulator).

    A real printer goes offline while its cover is open or printing stopped at paper end, so bit 3 of n=1
    follows those too.
    """
    paper = paper_of(paper)
    offline = not online or cover_open or paper is PaperStatus.OUT or error
    cause = FIXED_VALUE
    if cover_open:
        cause |= CAUSE_COVER_OPEN
    if paper is PaperStatus.OUT:
        cause |= CAUSE_PAPER_END_STOP
    if error:
        cause |= CAUSE_ERROR
    sensor = FIXED_VALUE
    if paper in (PaperStatus.LOW, PaperStatus.OUT):
        sensor |= PAPER_NEAR_END
    if paper is PaperStatus.OUT:
        sensor |= PAPER_END
    return {1: FIXED_VALUE | (PRINTER_OFFLINE if offline else 0), 2: cause, 4: sensor}
