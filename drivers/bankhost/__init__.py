"""The bank host (DESIGN.md §3.4), the kiosk's side: ISO 8583 messages, their framing and the client.

The host simulator is the bank's side: parties/bankhost."""

from drivers.bankhost.client import Approval, BankHostClient, SignOnResult, TransactionRef
from drivers.bankhost.errors import (
    BankHostError,
    BankSecurityError,
    HostDeclined,
    HostOutcomeUnknown,
    HostUnreachable,
    MessageFormatError,
    NotSignedOn,
    ReversalsPending,
    SignOnFailed,
)
from drivers.bankhost.stan import StanCounter

__all__ = [
    "Approval",
    "BankHostClient",
    "BankHostError",
    "BankSecurityError",
    "HostDeclined",
    "HostOutcomeUnknown",
    "HostUnreachable",
    "MessageFormatError",
    "NotSignedOn",
    "ReversalsPending",
    "SignOnFailed",
    "SignOnResult",
    "StanCounter",
    "TransactionRef",
]
