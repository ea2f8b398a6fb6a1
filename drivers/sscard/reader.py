"""The social security card read through PC/SC (pyscard): SELECT SSSE, EF05, EF06, READ RECORD 01-0D."""

from __future__ import annotations

import time

from drivers.base import Completion, DeviceKind
from drivers.pcsc.apdu import Response, describe_status_word, transmit
from drivers.pcsc.connection import CardConnection
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, PcscError
from drivers.pcsc.reader import PcscCardReader, ReadStats
from drivers.sscard.data import SsCardData, data_from_records
from drivers.sscard.errors import SsCardError, from_pcsc, sscard_error
from drivers.sscard.records import FILES
from drivers.sscard.virtual_card import SSSE_AID

DEFAULT_READER = "Virtual PCD"
DEFAULT_TIMEOUT = 5.0
RETRY_PAUSE = 0.1
RETRY_WINDOW = 1.5  # pcscd polls vpcd presence every few hundred ms; a swapped card shows up within that


def select_aid_apdu(aid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid


def select_file_apdu(file_id: int) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x00, 0x02]) + file_id.to_bytes(2, "big")


def read_record_apdu(record: int) -> bytes:
    # P2=04: record number in P1, current EF. Le=00 asks for the whole record; a T=0 card states the exact
    # length with 6C xx and transmit() resends (ISO/IEC 7816-4 §5.1.3).
    return bytes([0x00, 0xB2, record, 0x04, 0x00])


class PcscSsCardReader(PcscCardReader[SsCardData]):
    """Reads social security cards in the first PC/SC reader whose name contains ``reader_fragment``."""

    kind = DeviceKind.SSCARD
    thread_name = "sscard-read"
    own_errors = (SsCardError,)

    def __init__(self, reader_fragment: str = DEFAULT_READER, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(reader_fragment, timeout)

    def _error(self, code: str, detail: str, completion: Completion | None = None) -> SsCardError:
        return sscard_error(code, detail, completion)

    def _from_pcsc(self, error: PcscError) -> SsCardError:
        return from_pcsc(error)

    def _read(self) -> SsCardData:
        started = time.perf_counter()
        apdus = 0
        first_failure: PcscError | None = None
        while True:
            reader = self._context.find_reader(self.reader_fragment)
            connection = CardConnection(self._context, reader)
            try:
                connection.connect()
            except PcscError as exc:
                if first_failure is not None and exc.code == NO_CARD:
                    raise first_failure from exc  # the card really went away: report the first failure
                raise
            try:
                self._command(connection, select_aid_apdu(SSSE_AID), "SELECT SSSE")
            except PcscError as exc:
                connection.disconnect()
                apdus += connection.apdu_count
                # A card swapped quickly: pcscd still reported the old card when we connected, so the first
                # command fails at the transport level. Retry while pcscd catches up.
                retry = time.perf_counter() - started < RETRY_WINDOW
                if retry and exc.code in (CARD_REMOVED, CARD_ERROR) and not isinstance(exc, SsCardError):
                    first_failure = first_failure or exc
                    time.sleep(RETRY_PAUSE)
                    continue
                raise
            break
        try:
            records: dict[int, bytes] = {}
            for file_id, fields in FILES:
                self._command(connection, select_file_apdu(file_id), f"SELECT {file_id:04X}")
                for f in fields:
                    records[f.tag] = self._command(connection, read_record_apdu(f.tag), f"READ RECORD {f.tag:02X}")
            data = data_from_records(records)
        finally:
            connection.disconnect()
        self.last_read = ReadStats(apdus + connection.apdu_count, time.perf_counter() - started)
        return data

    @staticmethod
    def _command(connection: CardConnection, apdu: bytes, what: str) -> bytes:
        try:
            response: Response = transmit(connection.transmit_raw, apdu)
        except PcscError as exc:
            if exc.code == NO_CARD:  # the card was there when we connected
                raise sscard_error(CARD_REMOVED, f"{what}: {exc.detail}") from exc
            raise
        if not response.ok:
            raise sscard_error(
                CARD_ERROR, f"{what}: card answered {describe_status_word(response.sw)}", Completion.INVALID_DATA
            )
        return response.data
