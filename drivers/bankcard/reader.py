"""The bank IC card read over PC/SC (pyscard): PPSE, the UnionPay AID, GET PROCESSING OPTIONS, READ RECORD.

The steps of a PBOC/EMV contact read up to the data the kiosk needs (EMV Book 1 §12, Book 3 §10.1-10.2;
JR/T 0025.5): application selection through the PPSE directory (or, on a card without one, from the list of
UnionPay AIDs), initiate application processing with the PDOL data the card asks for, read the application
data along the AFL. PAN (5A), track-2 equivalent data (57), expiry (5F24) and PAN sequence number (5F34) come out.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from drivers.bankcard import tlv
from drivers.bankcard.chip import ChipSession
from drivers.bankcard.data import (
    PPSE_NAME,
    UNIONPAY_AIDS,
    UNIONPAY_RID,
    BankCardData,
    bcd_digits,
    check_pan,
    parse_track2,
    parse_yymmdd,
)
from drivers.bankcard.errors import (
    CARD_NOT_SUPPORTED,
    BankCardError,
    BankCardFormatError,
    bankcard_error,
    from_pcsc,
)
from drivers.base import Completion, DeviceKind
from drivers.pcsc.apdu import Response, describe_status_word, transmit
from drivers.pcsc.connection import CardConnection
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, NO_CARD, PcscError
from drivers.pcsc.reader import PcscCardReader, ReadStats

DEFAULT_READER = "Virtual PCD 00 01"  # the kiosk's simulated bank card slot (vpcd slot 1, port 35964)
DEFAULT_TIMEOUT = 5.0
RETRY_PAUSE = 0.1
RETRY_WINDOW = 1.5  # pcscd polls vpcd presence every few hundred ms; a swapped card shows up within that

SW_NOT_FOUND = 0x6A82
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_SELECTED_FILE_INVALIDATED = 0x6283  # application blocked: try the next one (EMV Book 1 §12.4)

# Tags whose values are numeric (n): shorter terminal values are left-padded, longer ones keep the right end.
NUMERIC_TAGS = frozenset({0x9F02, 0x9F03, 0x5F2A, 0x9F1A, 0x9A, 0x9C, 0x9F21, 0x5F36})


def terminal_data(today: dt.date, amount_fen: int = 0) -> dict[int, bytes]:
    """What the kiosk tells a card that asks for it in a DOL."""
    return {
        0x9F02: bytes.fromhex(f"{amount_fen:012d}"),  # amount, authorised
        0x9F03: bytes(6),  # amount, other
        0x5F2A: bytes.fromhex("0156"),  # transaction currency: CNY
        0x9F1A: bytes.fromhex("0156"),  # terminal country: China
        0x9A: bytes.fromhex(today.strftime("%y%m%d")),
        0x9C: b"\x00",  # transaction type: goods and services
        0x9F37: os.urandom(4),  # unpredictable number
        0x9F35: b"\x24",  # terminal type: unattended, merchant-operated, online only
        0x9F33: bytes.fromhex("204000"),  # capabilities: IC with contacts; enciphered PIN online
        0x9F7A: b"\x00",  # electronic cash terminal support indicator: no
        0x9F66: bytes.fromhex("26000000"),  # terminal transaction qualifiers (contactless only; zeros fine)
        0x95: bytes(5),  # terminal verification results
    }


def build_dol_data(dol: bytes, values: Mapping[int, bytes]) -> bytes:
    """Concatenate the values a DOL asks for, each fitted to its length (EMV Book 3 §5.4)."""
    out = bytearray()
    for tag, length in tlv.parse_dol(dol):
        value = values.get(tag)
        if value is None:
            out += bytes(length)
        elif tag in NUMERIC_TAGS:
            out += value[-length:].rjust(length, b"\x00") if length else b""
        else:
            out += value[:length].ljust(length, b"\x00")
    return bytes(out)


def select_apdu(name: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(name)]) + name + b"\x00"


def gpo_apdu(pdol_data: bytes) -> bytes:
    body = bytes([0x83, len(pdol_data)]) + pdol_data
    return bytes([0x80, 0xA8, 0x00, 0x00, len(body)]) + body + b"\x00"


def read_record_apdu(sfi: int, record: int) -> bytes:
    return bytes([0x00, 0xB2, record, (sfi << 3) | 0x04, 0x00])


@dataclass(frozen=True)
class AflEntry:
    sfi: int
    first: int
    last: int
    signed: int  # records taking part in offline data authentication (not used: we go online)


def parse_afl(afl: bytes) -> list[AflEntry]:
    if not afl or len(afl) % 4:
        raise BankCardFormatError(f"AFL of {len(afl)} bytes is not a non-empty multiple of 4")
    entries = []
    for offset in range(0, len(afl), 4):
        sfi_byte, first, last, signed = afl[offset : offset + 4]
        sfi = sfi_byte >> 3
        if sfi_byte & 0x07 or not 1 <= sfi <= 30 or first == 0 or last < first or signed > last - first + 1:
            raise BankCardFormatError(f"AFL entry {afl[offset : offset + 4].hex().upper()} is invalid")
        entries.append(AflEntry(sfi, first, last, signed))
    return entries


def parse_gpo_answer(data: bytes) -> tuple[bytes, bytes]:
    """AIP and AFL from a GPO answer: format 1 (`80` AIP|AFL) or format 2 (`77` with `82` and `94`)."""
    objects = tlv.parse(data)
    if len(objects) != 1:
        raise BankCardFormatError("GPO answer is not one data object")
    top = objects[0]
    if top.tag == 0x80:
        if len(top.value) < 6:
            raise BankCardFormatError("GPO format 1 answer too short")
        return top.value[:2], top.value[2:]
    if top.tag == 0x77:
        aip, afl = top.find(0x82), top.find(0x94)
        if aip is None or afl is None or len(aip.value) != 2:
            raise BankCardFormatError("GPO format 2 answer lacks AIP (82) or AFL (94)")
        return aip.value, afl.value
    raise BankCardFormatError(f"GPO answer template {top.tag:X} is neither 80 nor 77")


def directory_aids(fci: bytes) -> list[bytes]:
    """UnionPay AIDs of a PPSE FCI, highest priority first (87 low nibble: 1 highest, 0 none)."""
    objects = tlv.parse(fci)
    top = objects[0] if objects else None
    if top is None or top.tag != 0x6F:
        raise BankCardFormatError("PPSE answer is not an FCI template (6F)")
    found = []
    for order, entry in enumerate(tlv.find_all(objects, 0x61)):
        aid = entry.find(0x4F)
        if aid is None or not 5 <= len(aid.value) <= 16:
            raise BankCardFormatError("PPSE directory entry without a valid AID (4F)")
        priority = entry.find(0x87)
        rank = (priority.value[0] & 0x0F) if priority is not None and priority.value else 0
        found.append((rank or 16, order, aid.value))
    return [aid for _rank, _order, aid in sorted(found) if aid.startswith(UNIONPAY_RID)]


def application_pdol(fci: bytes, aid: bytes) -> bytes:
    """The PDOL (9F38) of an application FCI, empty when the card asks for nothing."""
    objects = tlv.parse(fci)
    if not objects or objects[0].tag != 0x6F:
        raise BankCardFormatError("SELECT AID answer is not an FCI template (6F)")
    name = objects[0].find(0x84)
    if name is not None and name.value != aid:
        raise BankCardFormatError("the card selected another application than the one asked for")
    pdol = objects[0].find(0x9F38)
    return pdol.value if pdol is not None else b""


def card_data_from_records(records: list[bytes], aid: bytes, aip: bytes = b"") -> BankCardData:
    """PAN, track 2, expiry and PAN sequence from the records read along the AFL."""
    found: dict[int, bytes] = {}
    for raw in records:
        objects = tlv.parse(raw)
        if not objects or objects[0].tag != 0x70 or len(objects) != 1:
            raise BankCardFormatError("record is not one READ RECORD template (70)")
        for item in tlv.primitives(objects):
            found.setdefault(item.tag, item.value)
    if 0x57 not in found:
        raise BankCardFormatError("no track-2 equivalent data (57) on the card")
    track2_text = found[0x57].hex().upper().rstrip("F")
    track2 = parse_track2(track2_text)
    pan = check_pan(bcd_digits(found[0x5A], "PAN (5A)"), "PAN (5A)") if 0x5A in found else track2.pan
    if pan != track2.pan:
        raise BankCardFormatError("PAN (5A) and track 2 disagree")
    if 0x5F24 in found:
        expiry = parse_yymmdd(found[0x5F24], "expiry (5F24)")
        if expiry.strftime("%y%m") != track2.expiry_yymm:
            raise BankCardFormatError("expiry (5F24) and track 2 disagree")
    else:
        expiry = _last_day(track2.expiry_yymm)
    sequence = None
    if 0x5F34 in found:
        digits = found[0x5F34].hex()
        if len(found[0x5F34]) != 1 or not digits.isdigit():
            raise BankCardFormatError("PAN sequence number (5F34) is not one BCD byte")
        sequence = int(digits)
    return BankCardData(
        pan=pan,
        track2=track2_text,
        expiry=expiry,
        aid=aid,
        pan_sequence=sequence,
        cdol1=found.get(0x8C, b""),
        cdol2=found.get(0x8D, b""),
        aip=aip,
    )


def _last_day(yymm: str) -> dt.date:
    year, month = 2000 + int(yymm[:2]), int(yymm[2:])
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


class PcscBankCardReader(PcscCardReader[BankCardData]):
    """Reads bank IC cards in the first PC/SC reader whose name contains ``reader_fragment``."""

    kind = DeviceKind.BANKCARD
    thread_name = "bankcard-read"
    own_errors = (BankCardError,)

    def __init__(
        self,
        reader_fragment: str = DEFAULT_READER,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(reader_fragment, timeout)
        self.clock = clock
        self._chip: ChipSession | None = None

    def _error(self, code: str, detail: str, completion: Completion | None = None) -> BankCardError:
        return bankcard_error(code, detail, completion)

    def _from_pcsc(self, error: PcscError) -> BankCardError:
        return from_pcsc(error)

    def _connect(self, started: float) -> tuple[CardConnection, Response, int]:
        """Connect and send SELECT PPSE, retrying while pcscd catches up with a quickly swapped card."""
        apdus = 0
        first_failure: PcscError | None = None
        while True:
            reader = self._context.find_reader(self.reader_fragment)
            connection = CardConnection(self._context, reader)
            try:
                connection.connect()
            except PcscError as exc:
                if first_failure is not None and exc.code == NO_CARD:
                    raise first_failure from exc
                raise
            try:
                response = self._transmit(connection, select_apdu(PPSE_NAME), "SELECT PPSE")
            except PcscError as exc:
                connection.disconnect()
                apdus += connection.apdu_count
                retry = time.perf_counter() - started < RETRY_WINDOW
                if retry and exc.code in (CARD_REMOVED, CARD_ERROR) and not isinstance(exc, BankCardError):
                    first_failure = first_failure or exc
                    time.sleep(RETRY_PAUSE)
                    continue
                raise
            return connection, response, apdus

    def _read(self) -> BankCardData:
        """The card's data; the connection stays open as the chip session of this card (chip())."""
        self.end_chip()
        started = time.perf_counter()
        connection, ppse, apdus = self._connect(started)
        try:
            data = self._read_application(connection, ppse)
        except BaseException:
            connection.disconnect()
            raise
        self.last_read = ReadStats(apdus + connection.apdu_count, time.perf_counter() - started)
        self._chip = ChipSession(connection, data, self._transmit, self.timeout, self._restart_application)
        return data

    def chip(self) -> ChipSession | None:
        """The session with the card read last, for its GENERATE ACs and issuer scripts; None when none is open."""
        return self._chip

    def end_chip(self) -> None:
        chip, self._chip = self.chip(), None
        if chip is not None:
            chip.close()

    def _read_application(self, connection: CardConnection, ppse: Response) -> BankCardData:
        if ppse.ok:
            candidates = directory_aids(ppse.data)
            if not candidates:
                raise bankcard_error(CARD_NOT_SUPPORTED, "the PPSE lists no UnionPay application")
        elif ppse.sw in (SW_NOT_FOUND, SW_FUNCTION_NOT_SUPPORTED):
            candidates = list(UNIONPAY_AIDS)  # no PPSE: selection from the list of AIDs
        else:
            raise bankcard_error(CARD_ERROR, f"SELECT PPSE: card answered {describe_status_word(ppse.sw)}")
        for aid in candidates:
            response = self._transmit(connection, select_apdu(aid), f"SELECT {aid.hex().upper()}")
            if response.sw in (SW_NOT_FOUND, SW_SELECTED_FILE_INVALIDATED):
                continue
            fci = self._ok(response, f"SELECT {aid.hex().upper()}")
            pdol = application_pdol(fci, aid)
            pdol_data = build_dol_data(pdol, terminal_data(self.clock().date()))
            answer = self._ok(self._transmit(connection, gpo_apdu(pdol_data), "GET PROCESSING OPTIONS"), "GPO")
            aip, afl = parse_gpo_answer(answer)
            records = []
            for entry in parse_afl(afl):
                for number in range(entry.first, entry.last + 1):
                    what = f"READ RECORD SFI {entry.sfi} record {number}"
                    records.append(
                        self._ok(self._transmit(connection, read_record_apdu(entry.sfi, number), what), what)
                    )
            return card_data_from_records(records, aid, aip)
        raise bankcard_error(CARD_NOT_SUPPORTED, "no UnionPay application could be selected")

    def _restart_application(self, connection: CardConnection) -> None:
        """SELECT the application again and GET PROCESSING OPTIONS: a new transaction on the card in the slot."""
        chip = self.chip()
        assert chip is not None
        aid = chip.card.aid
        fci = self._ok(self._transmit(connection, select_apdu(aid), "SELECT again"), "SELECT again")
        pdol_data = build_dol_data(application_pdol(fci, aid), terminal_data(self.clock().date()))
        self._ok(self._transmit(connection, gpo_apdu(pdol_data), "GET PROCESSING OPTIONS again"), "GPO again")

    @staticmethod
    def _transmit(connection: CardConnection, apdu: bytes, what: str) -> Response:
        try:
            return transmit(connection.transmit_raw, apdu)
        except PcscError as exc:
            if exc.code == NO_CARD:  # the card was there when we connected
                raise bankcard_error(CARD_REMOVED, f"{what}: {exc.detail}") from exc
            raise

    @staticmethod
    def _ok(response: Response, what: str) -> bytes:
        if not response.ok:
            raise bankcard_error(CARD_ERROR, f"{what}: card answered {describe_status_word(response.sw)}")
        return response.data
