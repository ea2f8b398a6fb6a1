"""The bank host (DESIGN.md §3.4): ISO 8583 messages, the kiosk's client, and a host simulator on loopback.

The simulator is not imported here, so that importing the client does not pull in the server.
"""

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
