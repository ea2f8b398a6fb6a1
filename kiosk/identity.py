"""Login by card: polls the ID card reader while the login screen is up and reports who laid a card on it.

Runs on its own thread (the reader blocks); results reach the GUI thread through Qt signals. A reader that is
offline is reported once and reopened every few seconds, so the other login method keeps working meanwhile.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from drivers.base import DeviceError, DeviceStatus
from drivers.idcard import SerialIdCardReader

log = logging.getLogger(__name__)

POLL_SECONDS = 0.3  # a few finds a second, as DESIGN.md §3.1 asks
REOPEN_SECONDS = 3.0


@dataclass(frozen=True)
class IdentityRead:
    method: str  # "idcard" | "sscard"
    id_number: str
    name: str
    valid_to: object  # datetime.date | None (长期)

    def __repr__(self) -> str:
        return f"IdentityRead({self.method}, ***)"


class IdentityWatcher(QObject):
    card_read = Signal(object)  # IdentityRead
    failed = Signal(str, str)  # error code, citizen message (English source, context "DeviceMessage")
    reader_status = Signal(str, str)  # device ("idcard"), DeviceStatus value

    def __init__(self, reader: SerialIdCardReader | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.status = DeviceStatus.NO_DEVICE if reader is None else DeviceStatus.ONLINE

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=3)
        self._thread = None

    def _set_status(self, status: DeviceStatus) -> None:
        if status != self.status:
            self.status = status
            self.reader_status.emit("idcard", status.value)

    def _run(self) -> None:
        if self.reader is None:
            self.reader_status.emit("idcard", DeviceStatus.NO_DEVICE.value)
            return
        self.reader_status.emit("idcard", self.status.value)
        while not self._stop.is_set():
            wait = POLL_SECONDS
            try:
                self.reader.open()
                if self.reader.find_card():
                    card = self.reader.read_card()
                    self._set_status(DeviceStatus.ONLINE)
                    self.card_read.emit(IdentityRead("idcard", card.id_number, card.display_name, card.valid_to))
                else:
                    self._set_status(DeviceStatus.ONLINE)
            except DeviceError as error:
                log.info("ID card reader: %s", error.code)
                if error.code in ("no_device", "timeout"):
                    self.reader.close()
                    self._set_status(DeviceStatus.OFFLINE)
                    wait = REOPEN_SECONDS
                elif error.code != "no_card":
                    self.failed.emit(error.code, error.citizen_message)
            self._stop.wait(wait)
