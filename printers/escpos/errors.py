"""Typed errors of the receipt printer."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError

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
    """A receipt-printer command that did not succeed.

    Codes: ``no_device`` (port/host cannot be opened), ``no_answer`` (no status byte within the timeout),
    ``invalid_answer`` (a status byte with wrong fixed bits), ``io_error``, and the reasons a printer cannot
    print: ``paper_out``, ``cover_open``, ``offline``. ``sent`` tells whether receipt bytes had reached the
    printer before the error (then the receipt may be incomplete and counts as not printed).
    """

    citizen_message: str = MSG_NO_RECEIPT
    sent: bool = False


def not_ready_error(reason: str, detail: str, *, sent: bool = False) -> PrinterError:
    """The error for a printer that cannot print (reason from PrinterStatus.blocking_reason)."""
    completion, message = {
        "paper_out": (Completion.NO_MEDIA, MSG_PAPER_OUT),
        "cover_open": (Completion.USER_ERROR, MSG_COVER_OPEN),
    }.get(reason, (Completion.DEVICE_NOT_READY, MSG_NO_RECEIPT))
    code = reason if reason in ("paper_out", "cover_open") else "offline"
    # Once bytes went out, the citizen's question is whether they have a receipt: they may not.
    return PrinterError(code, completion, detail, MSG_RECEIPT_FAILED if sent else message, sent)
