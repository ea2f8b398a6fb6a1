"""Typed errors of the ID card reader: one class per SAM_V status code (SW3) and per local failure.

Every error carries a machine ``code`` (fine-grained, for logs and tests), a ``category`` (one of the six
codes of ``kiosk diag idcard read``: no_card, timeout, checksum, device_error, unsupported_card, no_device), a
Completion, an English ``detail`` for the technician and a ``citizen_message`` for the screen.

SW3 meanings: GA 467-2013 "居民身份证验证安全控制模块接口技术规范", the SAM_V status table (DESIGN.md §3.1).
"""

from __future__ import annotations

from typing import ClassVar

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError

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


class IdCardError(DeviceError):
    """Base of every ID card reader error. ``category`` is the diag command's error code."""

    category: ClassVar[str] = CATEGORY_DEVICE_ERROR
    default_code: ClassVar[str] = "device_error"
    default_completion: ClassVar[Completion] = Completion.HARDWARE_ERROR
    default_citizen_message: ClassVar[str] = _MSG_READER_FAULT

    def __init__(self, detail: str, code: str | None = None) -> None:
        super().__init__(
            code or self.default_code, self.default_completion, detail, self.default_citizen_message
        )


# --- Local failures (not reported by the SAM) ---------------------------------------------------


class IdCardNoDevice(IdCardError):
    """The serial port is missing, cannot be opened, or disappeared."""

    category = CATEGORY_NO_DEVICE
    default_code = "no_device"
    default_completion = Completion.NO_DEVICE
    default_citizen_message = _MSG_NO_DEVICE


class IdCardTimeout(IdCardError):
    """No complete answer within the command's timeout (silent device, or half a frame)."""

    category = CATEGORY_TIMEOUT
    default_code = "timeout"
    default_completion = Completion.TIMEOUT
    default_citizen_message = _MSG_READER_FAULT


class IdCardAnswerCut(IdCardTimeout):
    """Part of an answer, then silence: the reader was alive and talking, so it is not gone; most likely the card
    left it mid-transfer. The citizen is asked to lay the card again (a timeout to diag, as before)."""

    default_code = "answer_cut"
    default_citizen_message = _MSG_REPLACE_CARD


class IdCardChecksumError(IdCardError):
    """An answer whose CHK byte did not match the XOR we computed (line noise, a corrupted transfer)."""

    category = CATEGORY_CHECKSUM
    default_code = "checksum"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_REPLACE_CARD


class IdCardFrameError(IdCardError):
    """A frame that cannot be a SAM_V frame: LEN out of bounds, an answer too short, an unexpected layout."""

    default_code = "bad_frame"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_REPLACE_CARD


class IdCardDataError(IdCardError):
    """The card's text block does not follow its layout (bad date, sex code, UCS-2 text)."""

    default_code = "invalid_card_data"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_CARD_INVALID


class UnsupportedCardError(IdCardError):
    """A card type flag at offset 248 this kiosk does not know, or SW3 40 (the SAM does not know the card)."""

    category = CATEGORY_UNSUPPORTED_CARD
    default_code = "unsupported_card"
    default_completion = Completion.USER_ERROR
    default_citizen_message = _MSG_UNSUPPORTED


# --- Status codes of the SAM (SW3) --------------------------------------------------------------


class SamStatusError(IdCardError):
    """The SAM answered with a status other than success; ``sw3`` is that status byte."""

    sw3: ClassVar[int] = -1
    description: ClassVar[str] = "unrecognised SAM status"

    def __init__(self, detail: str | None = None, code: str | None = None) -> None:
        super().__init__(detail or f"SW3 {self.sw3:02X}: {self.description}", code)


class NoCardError(SamStatusError):
    sw3 = 0x80
    description = "find card failed: no card in the reader's field"
    category = CATEGORY_NO_CARD
    default_code = "no_card"
    default_completion = Completion.NO_MEDIA
    default_citizen_message = _MSG_NO_CARD


class SelectCardFailed(SamStatusError):
    sw3 = 0x81
    description = "select card failed: the card left the field or did not answer the anticollision"
    default_code = "select_failed"
    default_completion = Completion.USER_ERROR
    default_citizen_message = _MSG_REPLACE_CARD


class ReadCardFailed(SamStatusError):
    sw3 = 0x41
    description = "read card failed: the card was moved or removed during the read"
    default_code = "read_failed"
    default_completion = Completion.USER_ERROR
    default_citizen_message = _MSG_REPLACE_CARD


class ItemEmpty(SamStatusError):
    sw3 = 0x91
    description = "the requested item is empty on this card (e.g. no appended address)"
    default_code = "item_empty"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_REPLACE_CARD


class SamReceivedChecksumError(SamStatusError):
    sw3 = 0x10
    description = "the SAM found a checksum error in the request it received (line noise towards the reader)"
    category = CATEGORY_CHECKSUM
    default_code = "request_checksum"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_REPLACE_CARD


class SamReceivedLengthError(SamStatusError):
    sw3 = 0x11
    description = "the SAM found a length error in the request it received"
    default_code = "request_length"
    default_completion = Completion.INVALID_DATA


class SamCommandError(SamStatusError):
    sw3 = 0x21
    description = "the SAM rejected the command (invalid values or combination)"
    default_code = "command_error"


class SamPrivilegeError(SamStatusError):
    sw3 = 0x23
    description = "the SAM refused an operation beyond its privileges"
    default_code = "privilege_error"


class SamUnknownError(SamStatusError):
    sw3 = 0x24
    description = "the SAM reported an error it could not identify"
    default_code = "sam_unknown_error"


class CardAuthenticatesSamFailed(SamStatusError):
    sw3 = 0x31
    description = "the card failed to authenticate the SAM"
    default_code = "card_auth_sam_failed"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_CARD_INVALID


class SamAuthenticatesCardFailed(SamStatusError):
    sw3 = 0x32
    description = "the SAM failed to authenticate the card (not a genuine card, or damaged)"
    default_code = "sam_auth_card_failed"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_CARD_INVALID


class CardDataVerificationFailed(SamStatusError):
    sw3 = 0x33
    description = "verification of the card's data failed"
    default_code = "card_verification_failed"
    default_completion = Completion.INVALID_DATA
    default_citizen_message = _MSG_CARD_INVALID


class UnknownCardType(SamStatusError):
    sw3 = 0x40
    description = "the SAM does not recognise the card type"
    category = CATEGORY_UNSUPPORTED_CARD
    default_code = "unknown_card_type"
    default_completion = Completion.USER_ERROR
    default_citizen_message = _MSG_UNSUPPORTED


class RandomNumberFailed(SamStatusError):
    sw3 = 0x47
    description = "getting a random number from the card failed"
    default_code = "random_number_failed"
    default_completion = Completion.USER_ERROR
    default_citizen_message = _MSG_REPLACE_CARD


class SamSelfTestFailed(SamStatusError):
    sw3 = 0x60
    description = "the SAM self-test failed: the module is faulty"
    default_code = "sam_self_test_failed"


class SamNotAuthorised(SamStatusError):
    sw3 = 0x66
    description = "the SAM is not authorised (not activated for use)"
    default_code = "sam_not_authorised"


class UnknownSamStatus(SamStatusError):
    """A status byte outside the table of GA 467."""

    default_code = "unknown_status"

    def __init__(self, sw3: int) -> None:
        super().__init__(f"SW3 {sw3:02X}: a status code outside the SAM_V table")
        self.unknown_sw3 = sw3


SAM_STATUS_ERRORS: dict[int, type[SamStatusError]] = {
    cls.sw3: cls
    for cls in (
        NoCardError,
        SelectCardFailed,
        ReadCardFailed,
        ItemEmpty,
        SamReceivedChecksumError,
        SamReceivedLengthError,
        SamCommandError,
        SamPrivilegeError,
        SamUnknownError,
        CardAuthenticatesSamFailed,
        SamAuthenticatesCardFailed,
        CardDataVerificationFailed,
        UnknownCardType,
        RandomNumberFailed,
        SamSelfTestFailed,
        SamNotAuthorised,
    )
}


def error_for_status(sw3: int) -> IdCardError:
    """The typed error for a failure status byte."""
    cls = SAM_STATUS_ERRORS.get(sw3)
    return cls() if cls else UnknownSamStatus(sw3)
