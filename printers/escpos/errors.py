"""Typed errors of the receipt printer, and its table (drivers.base.ErrorRow): the reasons a printer cannot print
(read from its DLE EOT status, printers.escpos.status) and the link's failures → Completion and citizen message."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError, ErrorRow, error_from

MSG_NO_RECEIPT = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The receipt printer is not available, so no receipt can be printed now."
)
MSG_PAPER_OUT = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The receipt printer is out of paper, so no receipt can be printed now."
)
MSG_COVER_OPEN = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The receipt printer cover is open, so no receipt can be printed now."
)
MSG_RECEIPT_FAILED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The receipt could not be printed completely. You can reprint it later under Query."
)


@dataclass
class PrinterError(DeviceError):
    """A receipt-printer command that did not succeed; ``code`` is one of PRINTER_ERRORS.

    ``sent`` tells whether receipt bytes had reached the printer before the error (then the receipt may be
    incomplete and counts as not printed).
    """

    citizen_message: str = MSG_NO_RECEIPT
    sent: bool = False


PRINTER_ERRORS: dict[str, ErrorRow[PrinterError]] = {
    # why a printer cannot print (PrinterStatus.blocking_reason)
    "paper_out": ErrorRow(PrinterError, Completion.NO_MEDIA, MSG_PAPER_OUT),
    "cover_open": ErrorRow(PrinterError, Completion.USER_ERROR, MSG_COVER_OPEN),
    "offline": ErrorRow(PrinterError, Completion.DEVICE_NOT_READY, MSG_NO_RECEIPT),
    # the link
    "no_device": ErrorRow(PrinterError, Completion.NO_DEVICE, MSG_NO_RECEIPT),  # port or host cannot be opened
    "no_answer": ErrorRow(PrinterError, Completion.TIMEOUT, MSG_NO_RECEIPT),  # no status byte within the timeout
    "invalid_answer": ErrorRow(PrinterError, Completion.INVALID_DATA, MSG_NO_RECEIPT),  # wrong fixed bits
    "io_error": ErrorRow(PrinterError, Completion.HARDWARE_ERROR, MSG_NO_RECEIPT),
}


def printer_error(code: str, detail: str) -> PrinterError:
    """The receipt printer's error of ``code`` (one of PRINTER_ERRORS)."""
    return error_from(PRINTER_ERRORS, code, detail)


def not_ready_error(reason: str, detail: str, *, sent: bool = False) -> PrinterError:
    """The error for a printer that cannot print (reason from PrinterStatus.blocking_reason)."""
    error = printer_error(reason if reason in ("paper_out", "cover_open") else "offline", detail)
    if sent:
        # Once bytes went out, the citizen's question is whether they have a receipt: they may not.
        error.sent, error.citizen_message = True, MSG_RECEIPT_FAILED
    return error
