"""What every card reader on PC/SC shares (social security card, bank card): finding the reader by a name
fragment, presence, watching, and a read that cannot hang.

A subclass names its error family and implements ``_read``; ``read_card`` runs it on a worker thread because
SCardTransmit takes no timeout (a silent card would block it), serialised by a lock.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from drivers.base import (
    CardStatus,
    Completion,
    DeviceError,
    DeviceEvent,
    DeviceEventCallback,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    EventName,
    state_of_error,
)
from drivers.pcsc.connection import PcscContext
from drivers.pcsc.errors import CARD_ERROR, PcscError
from drivers.pcsc.monitor import CardEvent, CardMonitor

log = logging.getLogger(__name__)

# How long close() waits, beyond the read timeout, for a read still running (the presence check after a broken
# answer takes up to 1.5 s: connection.CardConnection._card_still_there).
CLOSE_GRACE_SECONDS = 2.0

CardData = TypeVar("CardData")


@dataclass(frozen=True)
class ReadStats:
    """How the last read went (for the benchmark and the technician)."""

    apdus: int
    seconds: float


class PcscCardReader(Generic[CardData]):
    """``read_card`` is blocking and serialised by a lock (call it off the GUI thread); ``state`` and
    ``card_present`` are cheap queries; ``watch`` starts a CardMonitor calling back on its own thread."""

    kind: ClassVar[DeviceKind]  # the subclass's: DeviceKind.SSCARD, DeviceKind.BANKCARD
    thread_name = "pcsc-read"
    own_errors: tuple[type[DeviceError], ...] = ()  # the subclass's error family: passed through as they are

    def __init__(self, reader_fragment: str, timeout: float) -> None:
        self.reader_fragment = reader_fragment
        self.timeout = timeout
        self._context = PcscContext()
        self._lock = threading.Lock()
        self.last_read: ReadStats | None = None

    # -- what a subclass supplies ------
    def _error(self, code: str, detail: str, completion: Completion | None = None) -> DeviceError:
        raise NotImplementedError

    def _from_pcsc(self, error: PcscError) -> DeviceError:
        raise NotImplementedError

    def _read(self) -> CardData:
        raise NotImplementedError

    # -- queries ------
    def close(self) -> None:
        """Release the PC/SC context once no read runs on it. A read that read_card gave up on (a silent card) goes
        on in its thread, in SCardTransmit or SCardStatus; releasing the context under it crashed libpcsclite
        (a segfault in SCardStatus, seen when a test closed its reader). If the read does not end in time, the
        context is left open: a leak beats a crash."""
        self._context.cancel()
        if not self._lock.acquire(timeout=self.timeout + CLOSE_GRACE_SECONDS):
            log.warning("%s: a read is still running; its PC/SC context stays open", self.reader_fragment)
            return
        try:
            self._context.release()
        finally:
            self._lock.release()

    def state(self) -> DeviceState:
        """The device contract's state; never raises. ONLINE when the reader is there (media: whether a card sits
        in it), NO_DEVICE when pcscd runs without it, OFFLINE when pcscd is down."""
        try:
            present = self.card_present()
        except DeviceError as error:
            return state_of_error(error)
        media = CardStatus.PRESENT if present else CardStatus.ABSENT
        return DeviceState(DeviceStatus.ONLINE, media, f"reader {self.reader_fragment!r}")

    def card_present(self) -> bool:
        """True when a card sits in the reader; raises the family's no_reader / pcsc_unavailable error."""
        from smartcard import scard

        try:
            reader = self._context.find_reader(self.reader_fragment)
            hresult, states = scard.SCardGetStatusChange(
                self._context.handle(), 0, [(reader, scard.SCARD_STATE_UNAWARE)]
            )
        except PcscError as exc:
            raise self._from_pcsc(exc) from exc
        if hresult != scard.SCARD_S_SUCCESS:
            self._context.invalidate()
            raise self._error("pcsc_unavailable", f"SCardGetStatusChange: {scard.SCardGetErrorMessage(hresult)}")
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)

    def watch(self, callback: DeviceEventCallback, poll_interval: float = 0.2) -> CardMonitor:
        """Report insertion, removal and device status changes to ``callback`` (on the monitor's thread) as
        DeviceEvents of this reader's kind: INSERTED, REMOVED or STATUS, with the monitor's CardEvent (status,
        reader, ATR, detail) as payload. stop() the monitor returned."""
        kind = self.kind

        def deliver(event: CardEvent) -> None:
            callback(DeviceEvent(kind, EventName(event.kind), event))

        return CardMonitor(self.reader_fragment, deliver, poll_interval).start()

    # -- the read ------
    def read_card(self, timeout: float | None = None) -> CardData:
        """The card's data, or the family's error (card_error with completion TIMEOUT when the card does not
        answer within ``timeout`` seconds)."""
        limit = self.timeout if timeout is None else timeout
        outcome: list[CardData | BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._read_locked())
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=work, name=self.thread_name, daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            self._context.cancel()
            raise self._error(CARD_ERROR, f"no complete answer from the card within {limit:.1f} s", Completion.TIMEOUT)
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _read_locked(self) -> CardData:
        if not self._lock.acquire(timeout=self.timeout):
            raise self._error(CARD_ERROR, "another read is still running", Completion.TIMEOUT)
        try:
            return self._read()
        except self.own_errors:
            raise
        except PcscError as exc:
            raise self._from_pcsc(exc) from exc
        finally:
            self._lock.release()
