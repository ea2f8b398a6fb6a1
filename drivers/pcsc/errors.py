"""Errors shared by every PC/SC smart card driver (social security card, bank card)."""

from __future__ import annotations

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError

# Machine codes (also the `error` field of `kiosk diag ... --json` output).
NO_READER = "no_reader"
NO_CARD = "no_card"
CARD_REMOVED = "card_removed"
PCSC_UNAVAILABLE = "pcsc_unavailable"
CARD_ERROR = "card_error"


class PcscError(DeviceError):
    """A PC/SC level failure: the service, the reader or the card link. Card drivers subclass it."""


def pcsc_unavailable(detail: str) -> PcscError:
    return PcscError(
        PCSC_UNAVAILABLE,
        Completion.DEVICE_NOT_READY,
        detail,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card reader service is not running. Please ask staff for help."),
    )


def no_reader(detail: str) -> PcscError:
    return PcscError(
        NO_READER,
        Completion.NO_DEVICE,
        detail,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card reader is not connected. Please ask staff for help."),
    )


def no_card(detail: str) -> PcscError:
    return PcscError(
        NO_CARD,
        Completion.NO_MEDIA,
        detail,
        QT_TRANSLATE_NOOP("DeviceMessage", "Please insert your card into the card slot."),
    )


def card_removed(detail: str) -> PcscError:
    return PcscError(
        CARD_REMOVED,
        Completion.USER_ERROR,
        detail,
        QT_TRANSLATE_NOOP("DeviceMessage", "The card was taken out while it was being read. Please insert it again."),
    )


def card_error(detail: str) -> PcscError:
    return PcscError(
        CARD_ERROR,
        Completion.INVALID_DATA,
        detail,
        QT_TRANSLATE_NOOP(
            "DeviceMessage", "The card could not be read. Please check the card is inserted the right way."
        ),
    )
