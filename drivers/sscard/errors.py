"""Typed errors of the social security card driver, and its table (drivers.base.ErrorRow): the PC/SC codes with
this card's Completion and citizen message."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion, ErrorRow, error_from
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, NO_READER, PCSC_UNAVAILABLE, PcscError


class SsCardError(PcscError):
    """A social security card read that did not succeed; ``code`` is one of CODES."""


class SsCardFormatError(SsCardError):
    """The card answered, but a record is malformed (wrong tag, length, BCD, GBK, ...)."""

    def __init__(self, detail: str) -> None:
        row = SSCARD_ERRORS[CARD_ERROR]
        super().__init__(CARD_ERROR, Completion.INVALID_DATA, detail, row.citizen_message)


SSCARD_ERRORS: dict[str, ErrorRow[SsCardError]] = {
    NO_READER: ErrorRow(
        SsCardError,
        Completion.NO_DEVICE,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "The social security card reader is not available. Please log in with your ID card."
        ),
    ),
    PCSC_UNAVAILABLE: ErrorRow(
        SsCardError,
        Completion.DEVICE_NOT_READY,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "The social security card reader is not available. Please log in with your ID card."
        ),
    ),
    NO_CARD: ErrorRow(
        SsCardError,
        Completion.NO_MEDIA,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "Please insert your social security card into the card slot, chip first and facing up."
        ),
    ),
    CARD_REMOVED: ErrorRow(
        SsCardError,
        Completion.USER_ERROR,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "The card was taken out too early. Please insert your social security card again."
        ),
    ),
    CARD_ERROR: ErrorRow(
        SsCardError,
        Completion.HARDWARE_ERROR,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "This social security card cannot be read. Please use your ID card or ask staff for help."
        ),
    ),
}
CODES = tuple(SSCARD_ERRORS)


def sscard_error(code: str, detail: str, completion: Completion | None = None) -> SsCardError:
    return error_from(SSCARD_ERRORS, code, detail, completion)


def from_pcsc(error: PcscError) -> SsCardError:
    """The same failure with this card's citizen message."""
    if isinstance(error, SsCardError):
        return error
    code = error.code if error.code in SSCARD_ERRORS else CARD_ERROR
    return sscard_error(code, error.detail, error.completion)
