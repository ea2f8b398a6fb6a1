"""Typed errors of the ID card reader, and its error table: SW3 status of the SAM, or the driver's own code →
exception class, machine code, Completion and citizen message (the model of drivers.base.ErrorRow).

Every error carries a machine ``code`` (fine-grained, for logs and tests), a ``category`` (one of the six
codes of ``kiosk diag idcard read``: no_card, timeout, checksum, device_error, unsupported_card, no_device; it is
the class's), a Completion, an English ``detail`` for the technician and a ``citizen_message`` for the screen.

SW3 meanings: GA 467-2013 "居民身份证验证安全控制模块接口技术规范", the SAM_V status table (DESIGN.md §3.1).
"""

from __future__ import annotations

from typing import ClassVar

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError, ErrorRow, error_from

# The six failure codes of the technician command (issue 3).
CATEGORY_NO_CARD = "no_card"
CATEGORY_TIMEOUT = "timeout"
CATEGORY_CHECKSUM = "checksum"
CATEGORY_DEVICE_ERROR = "device_error"
CATEGORY_UNSUPPORTED_CARD = "unsupported_card"
CATEGORY_NO_DEVICE = "no_device"

_MSG_NO_CARD = QT_TRANSLATE_NOOP("DeviceMessage", "Please place your ID card flat on the reader.")
_MSG_REPLACE_CARD = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The ID card could not be read. Please lift it and place it flat on the reader again."
)
_MSG_READER_FAULT = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The ID card reader is not working. Please use your social security card or ask staff."
)
_MSG_UNSUPPORTED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "This card type cannot be used here. Please use your resident ID card or ask staff."
)
_MSG_CARD_INVALID = QT_TRANSLATE_NOOP(
    "DeviceMessage", "This ID card could not be verified. Please ask staff for help."
)
_MSG_NO_DEVICE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The ID card reader is not connected. Please use your social security card or ask staff."
)


# --- The classes: what a caller catches. The table below says what each code raises. ---------------------


class IdCardError(DeviceError):
    """Base of every ID card reader error. ``category`` is the diag command's error code."""

    category: ClassVar[str] = CATEGORY_DEVICE_ERROR


class IdCardNoDevice(IdCardError):
    """The serial port is missing, cannot be opened, or disappeared."""

    category = CATEGORY_NO_DEVICE


class IdCardTimeout(IdCardError):
    """No complete answer within the command's timeout (silent device, or half a frame)."""

    category = CATEGORY_TIMEOUT


class IdCardAnswerCut(IdCardTimeout):
    """Part of an answer, then silence: the reader was alive and talking, so it is not gone; most likely the card
    left it mid-transfer. The citizen is asked to lay the card again (a timeout to diag, as before)."""


class IdCardChecksumError(IdCardError):
    """An answer whose CHK byte did not match the XOR we computed (line noise, a corrupted transfer)."""

    category = CATEGORY_CHECKSUM


class IdCardFrameError(IdCardError):
    """A frame that cannot be a SAM_V frame: LEN out of bounds, an answer too short, an unexpected layout."""


class IdCardDataError(IdCardError):
    """The card's text block does not follow its layout (bad date, sex code, UCS-2 text)."""


class UnsupportedCardError(IdCardError):
    """A card type flag at offset 248 this kiosk does not know, or SW3 40 (the SAM does not know the card)."""

    category = CATEGORY_UNSUPPORTED_CARD


class SamStatusError(IdCardError):
    """The SAM answered with a status other than success (one class per SW3 below)."""


class NoCardError(SamStatusError):
    category = CATEGORY_NO_CARD


class SelectCardFailed(SamStatusError):
    pass


class ReadCardFailed(SamStatusError):
    pass


class ItemEmpty(SamStatusError):
    pass


class SamReceivedChecksumError(SamStatusError):
    category = CATEGORY_CHECKSUM


class SamReceivedLengthError(SamStatusError):
    pass


class SamCommandError(SamStatusError):
    pass


class SamPrivilegeError(SamStatusError):
    pass


class SamUnknownError(SamStatusError):
    pass


class CardAuthenticatesSamFailed(SamStatusError):
    pass


class SamAuthenticatesCardFailed(SamStatusError):
    pass


class CardDataVerificationFailed(SamStatusError):
    pass


class UnknownCardType(SamStatusError):
    category = CATEGORY_UNSUPPORTED_CARD


class RandomNumberFailed(SamStatusError):
    pass


class SamSelfTestFailed(SamStatusError):
    pass


class SamNotAuthorised(SamStatusError):
    pass


class UnknownSamStatus(SamStatusError):
    """A status byte outside the table of GA 467."""


# --- The table ---------------------------------------------------------------------------------------------

_HW, _BAD, _USER = Completion.HARDWARE_ERROR, Completion.INVALID_DATA, Completion.USER_ERROR

# SW3 of the SAM (int) or the driver's own code (str) -> the error. Codes are unique across the table.
IDCARD_ERRORS: dict[int | str, ErrorRow[IdCardError]] = {
    # reported by the SAM (SW3)
    0x80: ErrorRow(NoCardError, Completion.NO_MEDIA, _MSG_NO_CARD, "no_card",
                   "find card failed: no card in the reader's field"),
    0x81: ErrorRow(SelectCardFailed, _USER, _MSG_REPLACE_CARD, "select_failed",
                   "select card failed: the card left the field or did not answer the anticollision"),
    0x41: ErrorRow(ReadCardFailed, _USER, _MSG_REPLACE_CARD, "read_failed",
                   "read card failed: the card was moved or removed during the read"),
    0x91: ErrorRow(ItemEmpty, _BAD, _MSG_REPLACE_CARD, "item_empty",
                   "the requested item is empty on this card (e.g. no appended address)"),
    0x10: ErrorRow(SamReceivedChecksumError, _BAD, _MSG_REPLACE_CARD, "request_checksum",
                   "the SAM found a checksum error in the request it received (line noise towards the reader)"),
    0x11: ErrorRow(SamReceivedLengthError, _BAD, _MSG_READER_FAULT, "request_length",
                   "the SAM found a length error in the request it received"),
    0x21: ErrorRow(SamCommandError, _HW, _MSG_READER_FAULT, "command_error",
                   "the SAM rejected the command (invalid values or combination)"),
    0x23: ErrorRow(SamPrivilegeError, _HW, _MSG_READER_FAULT, "privilege_error",
                   "the SAM refused an operation beyond its privileges"),
    0x24: ErrorRow(SamUnknownError, _HW, _MSG_READER_FAULT, "sam_unknown_error",
                   "the SAM reported an error it could not identify"),
    0x31: ErrorRow(CardAuthenticatesSamFailed, _BAD, _MSG_CARD_INVALID, "card_auth_sam_failed",
                   "the card failed to authenticate the SAM"),
    0x32: ErrorRow(SamAuthenticatesCardFailed, _BAD, _MSG_CARD_INVALID, "sam_auth_card_failed",
                   "the SAM failed to authenticate the card (not a genuine card, or damaged)"),
    0x33: ErrorRow(CardDataVerificationFailed, _BAD, _MSG_CARD_INVALID, "card_verification_failed",
                   "verification of the card's data failed"),
    0x40: ErrorRow(UnknownCardType, _USER, _MSG_UNSUPPORTED, "unknown_card_type",
                   "the SAM does not recognise the card type"),
    0x47: ErrorRow(RandomNumberFailed, _USER, _MSG_REPLACE_CARD, "random_number_failed",
                   "getting a random number from the card failed"),
    0x60: ErrorRow(SamSelfTestFailed, _HW, _MSG_READER_FAULT, "sam_self_test_failed",
                   "the SAM self-test failed: the module is faulty"),
    0x66: ErrorRow(SamNotAuthorised, _HW, _MSG_READER_FAULT, "sam_not_authorised",
                   "the SAM is not authorised (not activated for use)"),
    # detected by the driver
    "unknown_status": ErrorRow(UnknownSamStatus, _HW, _MSG_READER_FAULT),
    "no_device": ErrorRow(IdCardNoDevice, Completion.NO_DEVICE, _MSG_NO_DEVICE),
    "timeout": ErrorRow(IdCardTimeout, Completion.TIMEOUT, _MSG_READER_FAULT),
    "answer_cut": ErrorRow(IdCardAnswerCut, Completion.TIMEOUT, _MSG_REPLACE_CARD),
    "checksum": ErrorRow(IdCardChecksumError, _BAD, _MSG_REPLACE_CARD),
    "bad_frame": ErrorRow(IdCardFrameError, _BAD, _MSG_REPLACE_CARD),
    "invalid_card_data": ErrorRow(IdCardDataError, _BAD, _MSG_CARD_INVALID),
    "unsupported_card": ErrorRow(UnsupportedCardError, _USER, _MSG_UNSUPPORTED),
}

# The class each failure status byte raises (the SW3 rows of the table).
SAM_STATUS_ERRORS: dict[int, type[IdCardError]] = {
    sw3: row.error for sw3, row in IDCARD_ERRORS.items() if isinstance(sw3, int)
}


def idcard_error(code: str, detail: str | None = None) -> IdCardError:
    """The error of one of the driver's own codes (the str keys of IDCARD_ERRORS)."""
    return error_from(IDCARD_ERRORS, code, detail)


def error_for_status(sw3: int) -> IdCardError:
    """The typed error for a failure status byte; detail "SW3 xx: what it means"."""
    row = IDCARD_ERRORS.get(sw3)
    if row is None:
        return idcard_error("unknown_status", f"SW3 {sw3:02X}: a status code outside the SAM_V table")
    return error_from(IDCARD_ERRORS, sw3, f"SW3 {sw3:02X}: {row.description}")
