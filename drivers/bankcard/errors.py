"""Typed errors of the bank card driver, with the citizen's message for each code."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, NO_READER, PCSC_UNAVAILABLE, PcscError

CARD_NOT_SUPPORTED = "card_not_supported"  # no UnionPay application on the card
CODES = (NO_READER, NO_CARD, CARD_REMOVED, PCSC_UNAVAILABLE, CARD_ERROR, CARD_NOT_SUPPORTED)

CITIZEN_MESSAGES = {
    NO_READER: QT_TRANSLATE_NOOP(
        "DeviceMessage", "The bank card reader is not available. Please choose another way to pay."
    ),
    PCSC_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "DeviceMessage", "The bank card reader is not available. Please choose another way to pay."
    ),
    NO_CARD: QT_TRANSLATE_NOOP(
        "DeviceMessage", "Please insert your bank card into the card slot, chip first and facing up."
    ),
    CARD_REMOVED: QT_TRANSLATE_NOOP("DeviceMessage", "The bank card was taken out too early. Please insert it again."),
    CARD_ERROR: QT_TRANSLATE_NOOP(
        "DeviceMessage", "This bank card cannot be read. Please check it is inserted chip first, or use another card."
    ),
    CARD_NOT_SUPPORTED: QT_TRANSLATE_NOOP(
        "DeviceMessage", "This card is not a UnionPay chip card. Please use a UnionPay bank card with a chip."
    ),
}

DEFAULT_COMPLETION = {
    NO_READER: Completion.NO_DEVICE,
    PCSC_UNAVAILABLE: Completion.DEVICE_NOT_READY,
    NO_CARD: Completion.NO_MEDIA,
    CARD_REMOVED: Completion.USER_ERROR,
    CARD_ERROR: Completion.INVALID_DATA,
    CARD_NOT_SUPPORTED: Completion.USER_ERROR,
}


class BankCardError(PcscError):
    """A bank card read that did not succeed; ``code`` is one of CODES."""


class BankCardFormatError(BankCardError):
    """The card answered, but what it said is malformed (TLV, AFL, PAN, track 2, dates)."""

    def __init__(self, detail: str) -> None:
        super().__init__(CARD_ERROR, Completion.INVALID_DATA, detail, CITIZEN_MESSAGES[CARD_ERROR])


class TlvError(BankCardFormatError):
    """Malformed BER-TLV."""


def bankcard_error(code: str, detail: str, completion: Completion | None = None) -> BankCardError:
    return BankCardError(code, completion or DEFAULT_COMPLETION[code], detail, CITIZEN_MESSAGES[code])


def from_pcsc(error: PcscError) -> BankCardError:
    """The same failure with the bank card's citizen message."""
    if isinstance(error, BankCardError):
        return error
    code = error.code if error.code in CITIZEN_MESSAGES else CARD_ERROR
    return BankCardError(code, error.completion, error.detail, CITIZEN_MESSAGES[code])
