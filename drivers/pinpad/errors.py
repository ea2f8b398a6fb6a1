"""Typed errors of the PIN pad, and its error table (drivers.base.ErrorRow): code → exception class, Completion,
citizen message.

Every status byte the pad can answer with (protocol.PadStatus, mapped to its code by protocol.STATUS_CODES) and
every failure the driver itself detects (no answer, a corrupt frame, a bad argument) is exactly one row.
"""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError, ErrorRow, error_from

MSG_UNAVAILABLE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The PIN pad is not available. Please choose another way to pay or ask staff for help."
)
MSG_OUT_OF_SERVICE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The PIN pad is out of service. Please choose another way to pay."
)
MSG_TRY_AGAIN = QT_TRANSLATE_NOOP("DeviceMessage", "The PIN pad did not respond correctly. Please try again.")
MSG_CANCELED = QT_TRANSLATE_NOOP("DeviceMessage", "PIN entry was canceled.")
MSG_TIMEOUT = QT_TRANSLATE_NOOP("DeviceMessage", "PIN entry timed out. Please try again.")
MSG_BUSY = QT_TRANSLATE_NOOP("DeviceMessage", "The PIN pad is busy. Please wait a moment.")
MSG_CARD_UNUSABLE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "This card cannot be used for PIN entry. Please ask staff for help."
)


class PinPadError(DeviceError):
    """Base of every PIN pad failure."""


class PinPadUnavailable(PinPadError):
    """No port, no answer, or the port failed: the pad is offline or absent."""


class PinPadProtocolError(PinPadError):
    """A corrupt frame or answer from the pad, or the pad refusing our frame as corrupt."""


class PinPadKeyError(PinPadError):
    """A key is missing, invalid, or its check value does not match."""


class PinPadTampered(PinPadError):
    """The pad's tamper switch fired: it erased its keys and refuses to work."""


class PinPadHardwareError(PinPadError):
    """The pad reports an internal fault."""


class PinPadBusy(PinPadError):
    """Another command (usually PIN entry) is in progress."""


class PinPadInvalidArgument(PinPadError):
    """The application asked for something impossible (bad PAN, bad lengths, bad key size)."""


class PinEntryCanceled(PinPadError):
    """The citizen pressed cancel, or the application called cancel()."""


class PinEntryTimeout(PinPadError):
    """The citizen did not finish the PIN in time."""


# code -> the error. The pad-status codes are listed in protocol.PadStatus.
ERROR_TABLE: dict[str, ErrorRow[PinPadError]] = {
    # reported by the pad (status byte in its answer)
    "pinpad_bad_checksum": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_TRY_AGAIN),
    "pinpad_bad_length": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_TRY_AGAIN),
    "pinpad_unknown_command": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_UNAVAILABLE),
    "pinpad_bad_parameter": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_UNAVAILABLE),
    "pinpad_key_missing": ErrorRow(PinPadKeyError, Completion.DEVICE_NOT_READY, MSG_OUT_OF_SERVICE),
    "pinpad_kcv_mismatch": ErrorRow(PinPadKeyError, Completion.INVALID_DATA, MSG_OUT_OF_SERVICE),
    "pinpad_busy": ErrorRow(PinPadBusy, Completion.DEVICE_NOT_READY, MSG_BUSY),
    "pinpad_pin_timeout": ErrorRow(PinEntryTimeout, Completion.TIMEOUT, MSG_TIMEOUT),
    "pinpad_pin_canceled": ErrorRow(PinEntryCanceled, Completion.CANCELED, MSG_CANCELED),
    "pinpad_tampered": ErrorRow(PinPadTampered, Completion.HARDWARE_ERROR, MSG_OUT_OF_SERVICE),
    "pinpad_hardware_fault": ErrorRow(PinPadHardwareError, Completion.HARDWARE_ERROR, MSG_OUT_OF_SERVICE),
    "pinpad_key_invalid": ErrorRow(PinPadKeyError, Completion.INVALID_DATA, MSG_OUT_OF_SERVICE),
    # detected by the driver
    "pinpad_no_device": ErrorRow(PinPadUnavailable, Completion.NO_DEVICE, MSG_UNAVAILABLE),
    "pinpad_no_response": ErrorRow(PinPadUnavailable, Completion.TIMEOUT, MSG_UNAVAILABLE),
    "pinpad_port_error": ErrorRow(PinPadUnavailable, Completion.HARDWARE_ERROR, MSG_UNAVAILABLE),
    "pinpad_bad_frame": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_TRY_AGAIN),
    "pinpad_frame_checksum": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_TRY_AGAIN),
    "pinpad_bad_response": ErrorRow(PinPadProtocolError, Completion.INVALID_DATA, MSG_TRY_AGAIN),
    "pinpad_unknown_status": ErrorRow(PinPadProtocolError, Completion.HARDWARE_ERROR, MSG_UNAVAILABLE),
    "pinpad_driver_busy": ErrorRow(PinPadBusy, Completion.DEVICE_NOT_READY, MSG_BUSY),
    "pinpad_invalid_argument": ErrorRow(PinPadInvalidArgument, Completion.INVALID_DATA, MSG_CARD_UNUSABLE),
}


def make_error(code: str, detail: str) -> PinPadError:
    """The typed error for ``code`` (one of ERROR_TABLE) with a technician ``detail``."""
    return error_from(ERROR_TABLE, code, detail)
