"""Encrypting PIN pad (DESIGN.md §3.3): ZT588-family framing, key management, PIN entry, MAC.

The application uses SerialPinPad and the typed errors; PinPadSimulator is the device on a pseudo-terminal.
The simulator is not imported here, so that importing the driver does not pull in pty handling.
"""

from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.driver import PinPadState, SerialPinPad
from drivers.pinpad.errors import (
    PinEntryCanceled,
    PinEntryTimeout,
    PinPadBusy,
    PinPadError,
    PinPadHardwareError,
    PinPadInvalidArgument,
    PinPadKeyError,
    PinPadProtocolError,
    PinPadTampered,
    PinPadUnavailable,
)
from drivers.pinpad.framing import Key

__all__ = [
    "Algorithm",
    "Key",
    "PinEntryCanceled",
    "PinEntryTimeout",
    "PinPadBusy",
    "PinPadError",
    "PinPadHardwareError",
    "PinPadInvalidArgument",
    "PinPadKeyError",
    "PinPadProtocolError",
    "PinPadState",
    "PinPadTampered",
    "PinPadUnavailable",
    "SerialPinPad",
]
