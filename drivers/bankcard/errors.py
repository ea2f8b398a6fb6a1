"""Typed errors of the bank card driver, and its table (drivers.base.ErrorRow): the PC/SC codes and the bank
card's own with this card's Completion and citizen message."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion, ErrorRow, error_from
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, NO_READER, PCSC_UNAVAILABLE, PcscError

CARD_NOT_SUPPORTED = "card_not_supported"  # no UnionPay application on the card


class BankCardError(PcscError):
    """A bank card read that did not succeed; ``code`` is one of CODES."""


class BankCardFormatError(BankCardError):
    """The card answered, but what it said is malformed (TLV, AFL, PAN, track 2, dates)."""

    def __init__(self, detail: str) -> None:
        row = BANKCARD_ERRORS[CARD_ERROR]
        super().__init__(CARD_ERROR, Completion.INVALID_DATA, detail, row.citizen_message)


class TlvError(BankCardFormatError):
    """Malformed BER-TLV."""


BANKCARD_ERRORS: dict[str, ErrorRow[BankCardError]] = {
    NO_READER: ErrorRow(
        BankCardError,
        Completion.NO_DEVICE,
        QT_TRANSLATE_NOOP("DeviceMessage", "The bank card reader is not available. Please choose another way to pay."),
    ),
    PCSC_UNAVAILABLE: ErrorRow(
        BankCardError,
        Completion.DEVICE_NOT_READY,
        QT_TRANSLATE_NOOP("DeviceMessage", "The bank card reader is not available. Please choose another way to pay."),
    ),
    NO_CARD: ErrorRow(
        BankCardError,
        Completion.NO_MEDIA,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "Please insert your bank card into the card slot, chip first and facing up."
        ),
    ),
    CARD_REMOVED: ErrorRow(
        BankCardError,
        Completion.USER_ERROR,
        QT_TRANSLATE_NOOP("DeviceMessage", "The bank card was taken out too early. Please insert it again."),
    ),
    CARD_ERROR: ErrorRow(
        BankCardError,
        Completion.INVALID_DATA,
        QT_TRANSLATE_NOOP(
            "DeviceMessage",
            "This bank card cannot be read. Please check it is inserted chip first, or use another card.",
        ),
    ),
    CARD_NOT_SUPPORTED: ErrorRow(
        BankCardError,
        Completion.USER_ERROR,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "This card is not a UnionPay chip card. Please use a UnionPay bank card with a chip."
        ),
    ),
}
CODES = tuple(BANKCARD_ERRORS)


def bankcard_error(code: str, detail: str, completion: Completion | None = None) -> BankCardError:
    return error_from(BANKCARD_ERRORS, code, detail, completion)


def from_pcsc(error: PcscError) -> BankCardError:
    """The same failure with the bank card's citizen message."""
    if isinstance(error, BankCardError):
        return error
    code = error.code if error.code in BANKCARD_ERRORS else CARD_ERROR
    return bankcard_error(code, error.detail, error.completion)
