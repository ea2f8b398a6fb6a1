"""The device model shared by every driver (DESIGN.md §3, borrowed from XFS4IoT / CWA 17852).

Drivers are plain Python: no Qt. Text meant for a citizen is an English source string marked with
``QT_TRANSLATE_NOOP`` so that ``pyside6-lupdate`` collects it; the screens translate it when they show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Citizen-facing device messages are translated under the context "DeviceMessage" (kiosk/i18n/*.ts).
# lupdate only reads string literals, so every call writes the context out literally.
DEVICE_MESSAGE_CONTEXT = "DeviceMessage"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for translation under ``context`` without importing Qt."""
    return text


class DeviceStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    NO_DEVICE = "no_device"
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"  # a person is blocking the device (card left in, cover open by hand)
    BUSY = "busy"


class Completion(StrEnum):
    """How a device command ended."""

    SUCCESS = "success"
    CANCELED = "canceled"
    TIMEOUT = "timeout"
    DEVICE_NOT_READY = "device_not_ready"
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"
    INVALID_DATA = "invalid_data"
    NO_DEVICE = "no_device"
    NO_MEDIA = "no_media"  # no card on the reader, no paper in the printer


class PaperStatus(StrEnum):
    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"


@dataclass
class DeviceError(Exception):
    """A device command that did not succeed.

    ``code`` is a short machine code (for JSON output and tests), ``citizen_message`` an English source string
    for the screen (marked with QT_TRANSLATE_NOOP under DEVICE_MESSAGE_CONTEXT), ``detail`` a precise
    description for the technician's log. Subclasses per device kind refine the codes.
    """

    code: str
    completion: Completion
    detail: str
    citizen_message: str = field(
        default=QT_TRANSLATE_NOOP("DeviceMessage", "The device is not available. Please ask staff for help.")
    )

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.detail}")

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"
