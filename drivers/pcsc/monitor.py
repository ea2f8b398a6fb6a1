"""Watch one reader for card insertion and removal, surviving pcscd stops/restarts and the reader vanishing.

Traps handled (pyscard issues #27, #82, #128): a context is stale after pcscd restarts (establish a new one),
pyscard's CardMonitor thread dies on the first exception (we loop and report a DeviceStatus instead), and
SCardGetStatusChange can block indefinitely (we always pass a short timeout and SCardCancel on stop).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from smartcard import scard

from drivers.base import CardStatus, DeviceState, DeviceStatus
from drivers.pcsc.connection import SERVICE_GONE, PcscContext
from drivers.pcsc.errors import PcscError

log = logging.getLogger(__name__)

INSERTED = "inserted"
REMOVED = "removed"
STATUS = "status"


@dataclass(frozen=True)
class CardEvent:
    """``kind`` is "inserted", "removed" or "status" (the device status changed); ``atr`` is set on insertion.
    A card reader's ``watch`` delivers it as the payload of a drivers.base.DeviceEvent named by ``kind``."""

    kind: str
    status: DeviceStatus
    reader: str = ""
    atr: bytes = b""
    detail: str = ""


class CardMonitor:
    """Background thread that reports card and device status changes of the first reader matching a fragment.

    ``callback(event)`` runs on the monitor thread: keep it short (post to a queue or a Qt signal). Properties
    ``status``, ``card_present`` and ``detail`` are safe to read from any thread. Status is ONLINE when the reader
    is there (card or not), NO_DEVICE when pcscd runs without that reader, OFFLINE when pcscd is unreachable.
    """

    def __init__(
        self, reader_fragment: str, callback: Callable[[CardEvent], None] | None = None, poll_interval: float = 0.2
    ) -> None:
        self.reader_fragment = reader_fragment
        self.callback = callback
        self.poll_interval = poll_interval
        self._context = PcscContext()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = DeviceStatus.OFFLINE
        self._detail = "not started"
        self._present = False
        self._reader = ""
        self._thread: threading.Thread | None = None

    # -- thread-safe state ---------------------------------------------------------------------------------------
    @property
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    @property
    def card_present(self) -> bool:
        with self._lock:
            return self._present

    @property
    def detail(self) -> str:
        with self._lock:
            return self._detail

    @property
    def state(self) -> DeviceState:
        """The reader's state as last seen (the device contract's), with the card as media while it is online."""
        with self._lock:
            online = self._status is DeviceStatus.ONLINE
            media = (CardStatus.PRESENT if self._present else CardStatus.ABSENT) if online else None
            return DeviceState(self._status, media, self._detail)

    def start(self) -> CardMonitor:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        with contextlib.suppress(Exception):
            self._context.cancel()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._context.release()

    def __enter__(self) -> CardMonitor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the loop ------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                reader = self._find_reader()
                if reader is None:
                    self._stop.wait(self.poll_interval)
                    continue
                self._watch(reader)
            except PcscError as exc:
                self._context.invalidate()
                self._set_status(DeviceStatus.OFFLINE, exc.detail)
                self._stop.wait(self.poll_interval)
            except Exception as exc:
                log.exception("card monitor error")
                self._context.invalidate()
                self._set_status(DeviceStatus.HARDWARE_ERROR, f"unexpected: {exc!r}")
                self._stop.wait(self.poll_interval)

    def _find_reader(self) -> str | None:
        for name in self._context.list_readers():
            if self.reader_fragment in name:
                return name
        self._set_status(DeviceStatus.NO_DEVICE, f"no reader name contains {self.reader_fragment!r}")
        return None

    def _watch(self, reader: str) -> None:
        """Follow one reader with SCardGetStatusChange until it or the service goes away."""
        self._reader = reader
        state = scard.SCARD_STATE_UNAWARE
        timeout_ms = max(int(self.poll_interval * 1000), 50)
        while not self._stop.is_set():
            hresult, states = scard.SCardGetStatusChange(self._context.handle(), timeout_ms, [(reader, state)])
            if hresult == scard.SCARD_E_TIMEOUT:
                continue
            if hresult == scard.SCARD_E_CANCELLED:
                return
            if hresult in SERVICE_GONE:
                self._context.invalidate()
                self._set_status(DeviceStatus.OFFLINE, f"pcscd went away: {scard.SCardGetErrorMessage(hresult)}")
                return
            if hresult != scard.SCARD_S_SUCCESS:
                self._set_status(DeviceStatus.NO_DEVICE, f"reader {reader!r}: {scard.SCardGetErrorMessage(hresult)}")
                return
            _name, event_state, atr = states[0]
            state = event_state & ~scard.SCARD_STATE_CHANGED
            if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                self._set_status(DeviceStatus.NO_DEVICE, f"reader {reader!r} unavailable")
                return
            self._set_status(DeviceStatus.ONLINE, f"reader {reader!r}")
            self._set_present(
                bool(event_state & scard.SCARD_STATE_PRESENT) and not event_state & scard.SCARD_STATE_MUTE, bytes(atr)
            )

    # -- state changes and events ------
    def _set_status(self, status: DeviceStatus, detail: str) -> None:
        with self._lock:
            changed = status != self._status
            was_present = self._present
            self._status, self._detail = status, detail
            if status != DeviceStatus.ONLINE:
                self._present = False
        if was_present and status != DeviceStatus.ONLINE:
            self._emit(CardEvent(REMOVED, status, self._reader, detail=detail))
        if changed:
            self._emit(CardEvent(STATUS, status, self._reader, detail=detail))

    def _set_present(self, present: bool, atr: bytes) -> None:
        with self._lock:
            changed = present != self._present
            self._present = present
            status = self._status
        if changed:
            self._emit(CardEvent(INSERTED if present else REMOVED, status, self._reader, atr if present else b""))

    def _emit(self, event: CardEvent) -> None:
        if self.callback is None:
            return
        try:
            self.callback(event)
        except Exception:
            log.exception("card monitor callback failed")
