"""Typed errors of the social security card driver, with the citizen's message for each code."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, NO_READER, PCSC_UNAVAILABLE, PcscError

CODES = (NO_READER, NO_CARD, CARD_REMOVED, PCSC_UNAVAILABLE, CARD_ERROR)

CITIZEN_MESSAGES = {
    NO_READER: QT_TRANSLATE_NOOP(
        "DeviceMessage", "The social security card reader is not available. Please log in with your ID card."
    ),
    PCSC_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "DeviceMessage", "The social security card reader is not available. Please log in with your ID card."
    ),
    NO_CARD: QT_TRANSLATE_NOOP(
        "DeviceMessage", "Please insert your social security card into the card slot, chip first and facing up."
    ),
    CARD_REMOVED: QT_TRANSLATE_NOOP(
        "DeviceMessage", "The card was taken out too early. Please insert your social security card again."
    ),
    CARD_ERROR: QT_TRANSLATE_NOOP(
        "DeviceMessage", "This social security card cannot be read. Please use your ID card or ask staff for help."
    ),
}


class SsCardError(PcscError):
    """A social security card read that did not succeed; ``code`` is one of CODES."""


class SsCardFormatError(SsCardError):
    """The card answered, but a record is malformed (wrong tag, length, BCD, GBK, ...)."""

    def __init__(self, detail: str) -> None:
        super().__init__(CARD_ERROR, Completion.INVALID_DATA, detail, CITIZEN_MESSAGES[CARD_ERROR])


def sscard_error(code: str, detail: str, completion: Completion | None = None) -> SsCardError:
    defaults = {
        NO_READER: Completion.NO_DEVICE,
        PCSC_UNAVAILABLE: Completion.DEVICE_NOT_READY,
        NO_CARD: Completion.NO_MEDIA,
        CARD_REMOVED: Completion.USER_ERROR,
        CARD_ERROR: Completion.HARDWARE_ERROR,
    }
    return SsCardError(code, completion or defaults[code], detail, CITIZEN_MESSAGES[code])


def from_pcsc(error: PcscError) -> SsCardError:
    """The same failure with this card's citizen message."""
    if isinstance(error, SsCardError):
        return error
    code = error.code if error.code in CITIZEN_MESSAGES else CARD_ERROR
    return SsCardError(code, error.completion, error.detail, CITIZEN_MESSAGES[code])
