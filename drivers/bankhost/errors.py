"""Typed errors of the bank host link, with the citizen's message for each.

Three families matter to the payment steps (kiosk/payments/card.py):
- nothing was sent (HostUnreachable, NotSignedOn, BankSecurityError, a refused stored reversal first): no money
  can have moved;
- the host answered with a refusal (HostDeclined, with the ISO 8583 response code): no money moved;
- the outcome is unknown (HostOutcomeUnknown: no answer in time, connection dropped after sending, an answer
  that cannot be completed): money may have moved, so a reversal is stored and sent until acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError

# Machine codes (the `error` field of JSON output, the journal's notes).
HOST_UNREACHABLE = "bank_host_unreachable"
HOST_OUTCOME_UNKNOWN = "bank_outcome_unknown"
HOST_DECLINED = "bank_declined"
NOT_SIGNED_ON = "bank_not_signed_on"
SIGN_ON_FAILED = "bank_sign_on_failed"
MESSAGE_FORMAT = "bank_message_format"
SECURITY = "bank_security"
REVERSAL_PENDING = "bank_reversal_pending"

# ISO 8583:1987 / UnionPay response codes the kiosk and the simulator use (field 39).
APPROVED = "00"
RESPONSE_CODES = {
    "00": "approved",
    "12": "invalid transaction",
    "14": "invalid card number",
    "25": "unable to locate original transaction",
    "30": "format error",
    "51": "insufficient funds",
    "54": "expired card",
    "55": "incorrect PIN",
    "75": "allowable number of PIN tries exceeded",
    "77": "terminal must sign on again",
    "94": "duplicate transmission",
    "96": "system malfunction",
    "97": "terminal not registered",
    "99": "PIN block format error",
    "A0": "MAC verification failed",
}

NO_MONEY_TAKEN = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The payment did not go through. No money was taken from your card."
)
MONEY_RETURNING = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "The bank did not confirm the payment. If any money was taken from your card it will be returned automatically.",
)

DECLINE_MESSAGES = {
    "14": QT_TRANSLATE_NOOP("DeviceMessage", "This card cannot be used for this payment. Please use another card."),
    "51": QT_TRANSLATE_NOOP(
        "DeviceMessage", "The card balance is not enough for this payment. No money was taken. Please use another card."
    ),
    "54": QT_TRANSLATE_NOOP("DeviceMessage", "This card has expired. No money was taken. Please use another card."),
    "55": QT_TRANSLATE_NOOP("DeviceMessage", "The PIN is wrong. No money was taken. Please enter the PIN again."),
    "75": QT_TRANSLATE_NOOP(
        "DeviceMessage",
        "The PIN was entered wrongly too many times and the card is locked for today. No money was taken.",
    ),
}
GENERIC_DECLINE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The bank did not accept this payment. No money was taken. Please choose another way to pay."
)
LINK_MESSAGE = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "Bank card payment is not available at the moment. No money was taken. Please choose another way to pay.",
)


def describe_code(code: str) -> str:
    return f"{code} ({RESPONSE_CODES.get(code, 'unknown response code')})"


@dataclass
class BankHostError(DeviceError):
    """A bank host exchange that did not end in an approval. ``sent`` says whether the request left the kiosk."""

    sent: bool = False


@dataclass
class HostUnreachable(BankHostError):
    """The connection could not be made: nothing was sent."""


@dataclass
class NotSignedOn(BankHostError):
    """No working keys yet (sign on first): nothing was sent."""


@dataclass
class BankSecurityError(BankHostError):
    """The PIN pad could not MAC the request or load the keys: nothing was sent."""


@dataclass
class MessageFormatError(BankHostError):
    """Bytes that are not a message of our ISO 8583 spec (or a message missing what it must carry)."""


@dataclass
class HostOutcomeUnknown(BankHostError):
    """The request went out and no usable answer came back: money may have moved. ``reason`` is the reversal
    reason code to send (98 no answer in time, A0 answer MAC wrong, 06 other)."""

    reason: str = "98"


@dataclass
class HostDeclined(BankHostError):
    """The host answered with a response code other than 00: no money moved."""

    response_code: str = ""

    @property
    def pin_wrong(self) -> bool:
        return self.response_code == "55"


@dataclass
class ReversalsPending(BankHostError):
    """Stored reversals could not be delivered: no new payment may go out before they are."""


@dataclass
class SignOnFailed(BankHostError):
    """The host refused the sign-on or its keys did not check."""


def unreachable(detail: str) -> HostUnreachable:
    return HostUnreachable(HOST_UNREACHABLE, Completion.DEVICE_NOT_READY, detail, LINK_MESSAGE, sent=False)


def not_signed_on(detail: str) -> NotSignedOn:
    return NotSignedOn(NOT_SIGNED_ON, Completion.DEVICE_NOT_READY, detail, LINK_MESSAGE, sent=False)


def security_error(detail: str) -> BankSecurityError:
    return BankSecurityError(SECURITY, Completion.HARDWARE_ERROR, detail, LINK_MESSAGE, sent=False)


def format_error(detail: str, sent: bool = False) -> MessageFormatError:
    return MessageFormatError(MESSAGE_FORMAT, Completion.INVALID_DATA, detail, LINK_MESSAGE, sent=sent)


def outcome_unknown(detail: str, reason: str = "98") -> HostOutcomeUnknown:
    completion = Completion.TIMEOUT if reason == "98" else Completion.INVALID_DATA
    return HostOutcomeUnknown(HOST_OUTCOME_UNKNOWN, completion, detail, MONEY_RETURNING, sent=True, reason=reason)


def declined(code: str, detail: str = "") -> HostDeclined:
    message = DECLINE_MESSAGES.get(code, GENERIC_DECLINE)
    text = f"host answered {describe_code(code)}" + (f": {detail}" if detail else "")
    return HostDeclined(HOST_DECLINED, Completion.USER_ERROR, text, message, sent=True, response_code=code)


def reversals_pending(detail: str) -> ReversalsPending:
    return ReversalsPending(REVERSAL_PENDING, Completion.DEVICE_NOT_READY, detail, LINK_MESSAGE, sent=False)


def sign_on_failed(detail: str) -> SignOnFailed:
    return SignOnFailed(SIGN_ON_FAILED, Completion.DEVICE_NOT_READY, detail, LINK_MESSAGE, sent=True)
