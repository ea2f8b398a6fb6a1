"""Login by card: the ID card reader and the social security card slot, watched at once.

While the login screen is up, one thread polls the ID card reader ("find card" a few times a second, DESIGN.md
§3.1) and another reads a social security card as soon as one is inserted: an ID card reader that stopped
answering (each poll then waits out the device timeout) never holds up the other card. The card slot is watched
all the time: a social security card pulled out during a session ends that session (the card is the login).
Results reach the GUI thread through Qt signals. A reader that is offline is reported and retried, so the other
method keeps working.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from drivers.base import QT_TRANSLATE_NOOP, DeviceError, DeviceEvent, DeviceKind, DeviceStatus, EventName
from drivers.idcard import SerialIdCardReader
from drivers.idcard.errors import IdCardAnswerCut
from drivers.pcsc.monitor import CardMonitor
from drivers.sscard import PcscSsCardReader
from kiosk.domain.idnumber import InvalidIdNumber, parse_id_number

log = logging.getLogger(__name__)

POLL_SECONDS = 0.3
REOPEN_SECONDS = 3.0
INVALID_ID_NUMBER = "invalid_id_number"
MSG_INVALID_ID_NUMBER = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "The ID number read from this card is not valid. Please lay the card again, or ask at the service window.",
)


@dataclass(frozen=True)
class IdentityRead:
    method: DeviceKind  # DeviceKind.IDCARD | DeviceKind.SSCARD
    id_number: str
    name: str
    valid_to: dt.date | None  # None: 长期 (no end date)

    def __repr__(self) -> str:
        return f"IdentityRead({self.method}, ***)"


class IdentityWatcher(QObject):
    card_read = Signal(object)  # IdentityRead
    failed = Signal(str, str)  # error code, citizen message (English source, context "DeviceMessage")
    reader_status = Signal(str, str)  # DeviceKind value (idcard | sscard), DeviceStatus value
    sscard_removed = Signal()

    def __init__(
        self,
        idcard: SerialIdCardReader | None,
        sscard: PcscSsCardReader | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.idcard = idcard
        self.sscard = sscard
        self.statuses: dict[DeviceKind, DeviceStatus] = {
            DeviceKind.IDCARD: DeviceStatus.ONLINE if idcard else DeviceStatus.NO_DEVICE,
            DeviceKind.SSCARD: DeviceStatus.OFFLINE if sscard else DeviceStatus.NO_DEVICE,
        }
        self._polling = threading.Event()
        self._stop = threading.Event()
        self._sscard_inserted = threading.Event()
        self._threads: list[threading.Thread] = []
        self._monitor: CardMonitor | None = None
        self._idcard_retry_at = 0.0

    # --- life cycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching the card slot and the polling thread (idle until ``start_polling``)."""
        if self.sscard is not None and self._monitor is None:
            self._monitor = self.sscard.watch(self._on_sscard_event)
        if not self._threads:
            self._stop.clear()
            self._threads = [
                threading.Thread(target=loop, name=name, daemon=True)
                for loop, name in ((self._run_idcard, "identity-idcard"), (self._run_sscard, "identity-sscard"))
            ]
            for thread in self._threads:
                thread.start()

    def stop(self) -> None:
        self._stop.set()
        # Wake the threads waiting to poll or for a card (they look at _stop first): without it each sat out its
        # half-second wait, and every shutdown took that long.
        self._polling.set()
        self._sscard_inserted.set()
        if self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
        for thread in self._threads:
            thread.join(timeout=3)
        self._threads = []
        self._polling.clear()
        self._sscard_inserted.clear()

    def start_polling(self) -> None:
        """The login screen is up: read cards. A social security card already inserted is read at once."""
        if self._monitor is not None and self._monitor.card_present:
            self._sscard_inserted.set()
        self._idcard_retry_at = 0.0
        self._polling.set()

    def stop_polling(self) -> None:
        self._polling.clear()
        self._sscard_inserted.clear()

    # --- events ---------------------------------------------------------------------------------------------

    def _set_status(self, device: DeviceKind, status: DeviceStatus) -> None:
        if self.statuses.get(device) != status:
            self.statuses[device] = status
            self.reader_status.emit(device.value, status.value)

    def _on_sscard_event(self, event: DeviceEvent) -> None:
        """On the monitor's thread: keep it short. The payload is the monitor's CardEvent."""
        self._set_status(event.kind, event.payload.status)
        if event.name is EventName.INSERTED:
            self._sscard_inserted.set()
        elif event.name is EventName.REMOVED:
            self._sscard_inserted.clear()
            self.sscard_removed.emit()

    # --- the polling thread -------------------------------------------------------------------------------

    def _await_polling(self) -> bool:
        """Until the login screen wants cards read (True) or the service stops (False)."""
        while not self._stop.is_set():
            if self._polling.wait(timeout=0.5) and not self._stop.is_set():
                return True
        return False

    def _run_idcard(self) -> None:
        clock = dt.datetime.now
        while self._await_polling():
            if self.idcard is not None and clock().timestamp() >= self._idcard_retry_at:
                self._poll_idcard(clock)
            self._stop.wait(POLL_SECONDS)

    def _run_sscard(self) -> None:
        while self._await_polling():
            inserted = self._sscard_inserted.wait(timeout=0.5)
            if inserted and self._polling.is_set() and not self._stop.is_set():
                self._sscard_inserted.clear()
                self._read_sscard()

    def _poll_idcard(self, clock) -> None:
        assert self.idcard is not None
        try:
            self.idcard.open()
            found = self.idcard.find_card()
            self._set_status(DeviceKind.IDCARD, DeviceStatus.ONLINE)
            if found and self._polling.is_set():
                card = self.idcard.read_card()
                self._emit_read(IdentityRead(DeviceKind.IDCARD, card.id_number, card.display_name, card.valid_to))
        except DeviceError as error:
            # The diag category groups the reader's many codes: no_device/timeout mean the reader is gone, unless
            # it was talking when the answer stopped (the card left mid-read: the citizen is asked to lay it again).
            category = getattr(error, "category", error.code)
            log.info("ID card reader: %s", error.code)
            if category in ("no_device", "timeout") and not isinstance(error, IdCardAnswerCut):
                self.idcard.close()
                self._set_status(DeviceKind.IDCARD, DeviceStatus.OFFLINE)
                self._idcard_retry_at = clock().timestamp() + REOPEN_SECONDS
            elif category != "no_card":
                self.failed.emit(error.code, error.citizen_message)

    def _read_sscard(self) -> None:
        assert self.sscard is not None
        try:
            card = self.sscard.read_card()
        except DeviceError as error:
            log.info("social security card: %s", error.code)
            if error.code != "card_removed":
                self.failed.emit(error.code, error.citizen_message)
            return
        self._emit_read(IdentityRead(DeviceKind.SSCARD, card.id_number, card.name, card.expiry_date))

    def _emit_read(self, read: IdentityRead) -> None:
        """A card's identity goes on only with a number that can be right: a forged card or a misread one is
        refused here, not looked up as somebody who is not registered."""
        if len(read.id_number) == 18:  # the old 15-character foreigner card has no check character to test
            try:
                parse_id_number(read.id_number)
            except InvalidIdNumber as error:
                log.warning("%s card gave an ID number that cannot be right (%s)", read.method, error.reason)
                self.failed.emit(INVALID_ID_NUMBER, MSG_INVALID_ID_NUMBER)
                return
        self.card_read.emit(read)
