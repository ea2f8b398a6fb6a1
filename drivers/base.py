"""The device contract every driver speaks, printers too (DESIGN.md §3, borrowed from XFS4IoT / CWA 17852).

- **Which device**: a ``DeviceKind``. Its values are the configuration's ``[devices.KIND]`` tables and the
  scenarios' device keys.
- **State**: every driver has ``state() -> DeviceState`` (status, media where the device has any, a detail for the
  technician); it answers, it never raises. A device's richer answer keeps its own name (``pad_state()``,
  ``printer_status()``, ``a4_status()``).
- **Events**: a ``DeviceEvent`` (which device, what happened, its payload) delivered to a callback.
- **Errors**: a failed command raises a ``DeviceError`` with a machine code, a ``Completion``, a technician's
  detail and a citizen's message. Each device kind keeps them in one table from its codes (status bytes, SW3,
  PC/SC and ESC/POS conditions, the driver's own codes) to ``ErrorRow``s, as pyscard's ISO7816_4ErrorChecker maps
  status words to exceptions; ``error_from`` builds the error a table gives for a code, ``raise_from`` raises it.

Drivers are plain Python: no Qt. Text meant for a citizen is an English source string marked with
``QT_TRANSLATE_NOOP`` so that ``pyside6-lupdate`` collects it; the screens translate it when they show it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, NamedTuple, NoReturn, Protocol, TypeVar

# Citizen-facing device messages are translated under the context "DeviceMessage" (kiosk/i18n/*.ts).
# lupdate only reads string literals, so every call writes the context out literally.
DEVICE_MESSAGE_CONTEXT = "DeviceMessage"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for translation under ``context`` without importing Qt."""
    return text


class DeviceKind(StrEnum):
    """The kiosk's device kinds. The values are configuration keys (``[devices.idcard]``) and scenario keys."""

    IDCARD = "idcard"
    SSCARD = "sscard"
    PINPAD = "pinpad"
    BANKCARD = "bankcard"
    RECEIPT_PRINTER = "receipt_printer"
    A4_PRINTER = "a4_printer"


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
    """The media of a printer."""

    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"


class CardStatus(StrEnum):
    """The media of a card reader."""

    PRESENT = "present"
    ABSENT = "absent"


Media = PaperStatus | CardStatus


@dataclass(frozen=True)
class DeviceState:
    """What every device answers to ``state()`` (XFS4IoT's common status: one object on every device).

    ``media`` is None for a device without media (the PIN pad) or one that cannot tell (the ID card reader: its SAM
    answers "no card" for a card already read until it is lifted). ``detail`` is for the technician, in English.
    """

    status: DeviceStatus
    media: Media | None = None
    detail: str = ""

    @property
    def online(self) -> bool:
        return self.status is DeviceStatus.ONLINE

    def as_json(self) -> dict[str, str | None]:
        return {"status": self.status.value, "media": self.media.value if self.media else None, "detail": self.detail}


class Device(Protocol):
    """What every driver has (and may have more): its kind, and its state at any time, without raising."""

    kind: ClassVar[DeviceKind]

    def state(self) -> DeviceState: ...


class EventName(StrEnum):
    """What a DeviceEvent reports."""

    STATUS = "status"  # the device's status changed
    INSERTED = "inserted"  # media arrived: a card in the slot
    REMOVED = "removed"  # media left
    KEY = "key"  # a key pressed during a command (the PIN pad)


@dataclass(frozen=True)
class DeviceEvent:
    """Something a device reports, during a command or unsolicited (XFS4IoT: a status change is an event too).

    ``payload`` is what the device says about it: for the card readers, the reader's own event (its status, ATR,
    detail).
    """

    kind: DeviceKind
    name: EventName
    payload: Any = None


DeviceEventCallback = Callable[[DeviceEvent], None]


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


# What a failed status query tells about the device: how the command ended says how the device stands.
_STATUS_OF_COMPLETION = {
    Completion.NO_DEVICE: DeviceStatus.NO_DEVICE,
    Completion.HARDWARE_ERROR: DeviceStatus.HARDWARE_ERROR,
    Completion.INVALID_DATA: DeviceStatus.HARDWARE_ERROR,  # it answers, but not in its protocol
    Completion.USER_ERROR: DeviceStatus.USER_ERROR,
    Completion.TIMEOUT: DeviceStatus.OFFLINE,
    Completion.DEVICE_NOT_READY: DeviceStatus.OFFLINE,
}


def state_of_error(error: DeviceError, media: Media | None = None) -> DeviceState:
    """The state of a device whose status query failed with ``error``."""
    return DeviceState(_STATUS_OF_COMPLETION.get(error.completion, DeviceStatus.OFFLINE), media, str(error))


# --- error tables ----------------------------------------------------------------------------------------------

E = TypeVar("E", bound=DeviceError)
K = TypeVar("K")


class ErrorRow(NamedTuple, Generic[E]):
    """One row of a device kind's error table: the exception class raised, how the command ended, what the citizen
    is told. ``code`` is the machine code the error carries when the table's key is not that code itself (a status
    byte); ``description`` is the technician's text when the raiser has no more precise one."""

    error: type[E]
    completion: Completion
    citizen_message: str
    code: str = ""
    description: str = ""


def error_from(
    table: Mapping[K, ErrorRow[E]], key: K, detail: str | None = None, completion: Completion | None = None
) -> E:
    """The error ``table`` gives for ``key`` (KeyError for a key it lacks: an unknown code is the caller's row).
    ``completion`` overrides the row's where one code ends commands in more than one way."""
    row = table[key]
    return row.error(
        row.code or str(key), completion or row.completion, detail or row.description or row.code or str(key),
        row.citizen_message,
    )


def raise_from(
    table: Mapping[K, ErrorRow[E]], key: K, detail: str | None = None, completion: Completion | None = None
) -> NoReturn:
    """Raise the error ``table`` gives for ``key`` (error_from)."""
    raise error_from(table, key, detail, completion)
