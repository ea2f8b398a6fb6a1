"""Errors shared by every PC/SC smart card driver (social security card, bank card), and their table
(drivers.base.ErrorRow): code → exception class, Completion, citizen message. PC/SC results map to these codes in
drivers.pcsc.connection (HRESULT_CODES); the card drivers' own tables give the same codes their card's words."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError, ErrorRow, error_from

# Machine codes (also the `error` field of `kiosk diag ... --json` output).
NO_READER = "no_reader"
NO_CARD = "no_card"
CARD_REMOVED = "card_removed"
PCSC_UNAVAILABLE = "pcsc_unavailable"
CARD_ERROR = "card_error"


class PcscError(DeviceError):
    """A PC/SC level failure: the service, the reader or the card link. Card drivers subclass it."""


PCSC_ERRORS: dict[str, ErrorRow[PcscError]] = {
    PCSC_UNAVAILABLE: ErrorRow(
        PcscError,
        Completion.DEVICE_NOT_READY,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card reader service is not running. Please ask staff for help."),
    ),
    NO_READER: ErrorRow(
        PcscError,
        Completion.NO_DEVICE,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card reader is not connected. Please ask staff for help."),
    ),
    NO_CARD: ErrorRow(
        PcscError,
        Completion.NO_MEDIA,
        QT_TRANSLATE_NOOP("DeviceMessage", "Please insert your card into the card slot."),
    ),
    CARD_REMOVED: ErrorRow(
        PcscError,
        Completion.USER_ERROR,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card was taken out while it was being read. Please insert it again."),
    ),
    CARD_ERROR: ErrorRow(
        PcscError,
        Completion.INVALID_DATA,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "The card could not be read. Please check the card is inserted the right way."
        ),
    ),
}


def pcsc_error(code: str, detail: str) -> PcscError:
    """The PC/SC error of ``code`` (one of PCSC_ERRORS)."""
    return error_from(PCSC_ERRORS, code, detail)
