"""PC/SC context, reader discovery and a card connection over pyscard's low-level ``smartcard.scard`` API.

We hold our own SCARDCONTEXT instead of pyscard's process-wide PCSCContext singleton: after pcscd restarts a
context is stale for good (pyscard issues #27 and #82), so a fresh one is established when the service is back.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from smartcard import scard

from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, NO_READER, PCSC_UNAVAILABLE, PcscError, pcsc_error

# Results meaning the resource manager is gone or the context is stale: establish a new context.
SERVICE_GONE = frozenset(
    {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE, scard.SCARD_F_COMM_ERROR}
)
CARD_PRESENT_BIT = 0x0004  # SCARD_PRESENT of SCardStatus's dwState (pcsc-lite pcsclite.h); pyscard lacks it
READER_GONE = frozenset({scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE})
CARD_GONE = frozenset(
    {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD, scard.SCARD_W_UNPOWERED_CARD}
)


DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"  # libpcsclite's compiled-in PCSCLITE_CSOCK_NAME
_socket_in_use: str | None = None  # the pcscd socket libpcsclite fixed for this process at its first call


def socket_in_use() -> str | None:
    """The pcscd socket this process's PC/SC calls go to, or None before the first one."""
    return _socket_in_use


def _note_socket() -> None:
    global _socket_in_use
    if _socket_in_use is None:
        _socket_in_use = os.environ.get("PCSCLITE_CSOCK_NAME") or DEFAULT_SOCKET


def describe(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"


# A PC/SC result -> the code of drivers.pcsc.errors.PCSC_ERRORS; any other failure is a card_error.
HRESULT_CODES: dict[int, str] = {
    **dict.fromkeys(SERVICE_GONE, PCSC_UNAVAILABLE),
    **dict.fromkeys(READER_GONE, NO_READER),
    **dict.fromkeys(CARD_GONE, CARD_REMOVED),
    scard.SCARD_E_NO_SMARTCARD: NO_CARD,  # no card at all (it is in CARD_GONE too: a card that went)
    scard.SCARD_E_NO_READERS_AVAILABLE: NO_READER,
}


def error_for(hresult: int, action: str) -> PcscError:
    """Map a PC/SC result to the typed error a citizen-facing layer can act on."""
    return pcsc_error(HRESULT_CODES.get(hresult, CARD_ERROR), f"{action}: {describe(hresult)}")


def readers_now() -> list[str]:
    """The readers pcscd offers now, through a context of its own; raises PcscError(pcsc_unavailable)."""
    context = PcscContext()
    try:
        return context.list_readers()
    finally:
        context.release()


class PcscContext:
    """One SCARDCONTEXT, re-established on demand. Thread-safe (one lock around establish/release)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handle: int | None = None

    def handle(self) -> int:
        with self._lock:
            if self._handle is None:
                _note_socket()
                hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                if hresult != scard.SCARD_S_SUCCESS:
                    raise pcsc_error(
                        PCSC_UNAVAILABLE,
                        f"SCardEstablishContext: {describe(hresult)}; is pcscd running? "
                        "Start it as root with `systemctl start pcscd.socket` or `pcscd`"
                    )
                self._handle = handle
            return self._handle

    def invalidate(self) -> None:
        """Drop the context (after pcscd went away); the next call establishes a new one."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is not None:
            scard.SCardReleaseContext(handle)

    release = invalidate

    def cancel(self) -> None:
        """Wake a thread blocked in SCardGetStatusChange on this context."""
        with self._lock:
            handle = self._handle
        if handle is not None:
            scard.SCardCancel(handle)

    def list_readers(self) -> list[str]:
        """Reader names; an empty list when pcscd runs without readers. Raises PcscError(pcsc_unavailable)."""
        for attempt in range(2):
            hresult, readers = scard.SCardListReaders(self.handle(), [])
            if hresult == scard.SCARD_S_SUCCESS:
                return list(readers)
            if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
                return []
            if hresult in SERVICE_GONE and attempt == 0:
                self.invalidate()  # stale after a pcscd restart: retry once with a fresh context
                continue
            if hresult in SERVICE_GONE:
                self.invalidate()
            raise error_for(hresult, "SCardListReaders")
        raise AssertionError("unreachable")

    def find_reader(self, fragment: str) -> str:
        """The first reader whose name contains ``fragment``; PcscError(no_reader) when none does."""
        readers = self.list_readers()
        for name in readers:
            if fragment in name:
                return name
        raise pcsc_error(NO_READER, f"no reader name contains {fragment!r}; readers: {readers or 'none'}")


@dataclass
class CardConnection:
    """A connection to the card in one reader. Not thread-safe: one reader owns it for one read."""

    context: PcscContext
    reader: str
    card_handle: int = 0
    protocol: int = 0
    atr: bytes = b""
    apdu_count: int = 0

    def connect(self) -> None:
        hresult, handle, protocol = scard.SCardConnect(
            self.context.handle(),
            self.reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult != scard.SCARD_S_SUCCESS:
            if hresult in SERVICE_GONE:
                self.context.invalidate()
            if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
                raise pcsc_error(NO_CARD, f"SCardConnect({self.reader}): {describe(hresult)}")
            raise error_for(hresult, f"SCardConnect({self.reader})")
        self.card_handle, self.protocol = handle, protocol
        hresult, _name, _state, _proto, atr = scard.SCardStatus(handle)
        self.atr = bytes(atr) if hresult == scard.SCARD_S_SUCCESS else b""

    def transmit_raw(self, apdu: bytes) -> bytes:
        """Send one C-APDU, return the raw R-APDU. Raises PcscError (card_removed, pcsc_unavailable, ...)."""
        pci = scard.SCARD_PCI_T0 if self.protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        self.apdu_count += 1
        hresult, response = scard.SCardTransmit(self.card_handle, pci, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            if hresult in SERVICE_GONE:
                self.context.invalidate()
            if hresult == scard.SCARD_E_NO_SMARTCARD:
                raise pcsc_error(CARD_REMOVED, f"SCardTransmit: {describe(hresult)}")
            raise error_for(hresult, "SCardTransmit")
        if len(response) < 2 and not self._card_still_there():
            # vpcd answers an empty R-APDU when the card's socket closed mid-command
            raise pcsc_error(CARD_REMOVED, "SCardTransmit: empty answer, the card is gone")
        return bytes(response)

    def _card_still_there(self, settle: float = 1.5) -> bool:
        """After a broken answer: pcscd polls the reader's presence, so give it ``settle`` seconds to notice."""
        deadline = time.monotonic() + settle
        while True:
            hresult, _name, state, _proto, _atr = scard.SCardStatus(self.card_handle)
            if hresult != scard.SCARD_S_SUCCESS or not state & CARD_PRESENT_BIT:
                return False
            if time.monotonic() >= deadline:
                return True
            time.sleep(0.05)

    def disconnect(self) -> None:
        if self.card_handle:
            scard.SCardDisconnect(self.card_handle, scard.SCARD_LEAVE_CARD)
            self.card_handle = 0
