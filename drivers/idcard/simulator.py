"""A SAM_V ID card reader on a pseudo-terminal, for tests, benchmarks and `kiosk sim` (DESIGN.md §3).

The real driver opens ``simulator.port`` (the pty's slave path) exactly as it would open /dev/ttyUSB0; the
simulator reads requests from the master side in a background thread and answers them as a SAM would.
Faults are switched on through ``simulator.faults`` (a plain dataclass; assign fields at any time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import select
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from drivers.idcard.codes import Sex, nation_code
from drivers.idcard.errors import IdCardError
from drivers.idcard.protocol import (
    MIN_REQUEST_LEN,
    PHOTO_LENGTH,
    SW3_FIND_OK,
    SW3_NO_CARD,
    SW3_OK,
    TEXT_LENGTH,
    Command,
    FrameDecoder,
    build_response,
    parse_request_body,
)
from drivers.idcard.text import LONG_TERM, TYPE_FLAG_OFFSET, CardType, IdCardData, encode_text_block
from drivers.pty_simulator import PtySimulator

# Status bytes the simulator uses (GA 467).
SW3_SELECT_FAILED = 0x81
SW3_READ_FAILED = 0x41
SW3_REQUEST_CHECKSUM = 0x10
SW3_COMMAND_ERROR = 0x21

# A SAM's select answer carries the card's 8-byte serial; find answers 4 zero bytes.
_FIND_DATA = bytes(4)
_SAM_ID = bytes.fromhex("0501000020230101000000010000000A")  # an arbitrary, plausible 16-byte SAM id

# Noise with a partial preamble in it, so the driver's resynchronisation is exercised.
DEFAULT_NOISE = bytes.fromhex("00FFAAAA9600AA55AAAAAA96")


@dataclass
class Faults:
    """Switchable misbehaviour. Every field off means a well-behaved reader."""

    corrupt_checksum: Literal["once", "always"] | None = None  # flip the CHK of the next answer / of all
    noise: bytes = b""  # written before every answer
    split_size: int = 0  # write answers in pieces of this many bytes ...
    split_pause: float = 0.0  # ... with this pause (s) between pieces
    pull_card_mid_read: Literal["status", "halfway"] | None = None  # the read answers 41 / stops halfway
    type_flag: str | None = None  # write this flag at offset 248 instead of the card's own
    silent: bool = False  # answer nothing at all
    status_override: dict[Command, int] = field(default_factory=dict)  # answer this SW3 for a command


class IdCardReaderSimulator(PtySimulator):
    """A SAM_V reader on a pty. ``pace_baud`` (bits/s, 10 bits a byte) paces its writes like a real UART."""

    thread_name = "idcard-simulator"

    def __init__(self, card: IdCardData | None = None, pace_baud: int | None = None) -> None:
        super().__init__()
        self.faults = Faults()
        self.pace_baud = pace_baud
        self.requests: list[Command | None] = []  # every request served, for tests
        self.bytes_received = 0
        self.bytes_sent = 0
        self._card = card
        self._selected = False
        # A card read to the end is halted (ISO/IEC 14443-B HLTB): find does not see it again until it leaves the
        # field and is laid again, so a card left on the reader is not read over and over.
        self._halted = False
        self._lock = threading.Lock()
        os.set_blocking(self._master, False)  # a write must never block the thread past stop()

    # --- control ---------------------------------------------------------------------------------

    def place_card(self, data: IdCardData | None) -> None:
        """Lay a card on the reader (None lifts it)."""
        with self._lock:
            self._card = data
            self._selected = False
            self._halted = False

    @property
    def card(self) -> IdCardData | None:
        return self._card

    # --- serving ---------------------------------------------------------------------------------

    def serve(self) -> None:
        decoder = FrameDecoder(min_len=MIN_REQUEST_LEN)
        while not self._stop.is_set():
            try:
                readable, _, _ = select.select([self._master], [], [], 0.05)
                if not readable:
                    continue
                data = os.read(self._master, 4096)
            except OSError:
                time.sleep(0.05)  # no process holds the slave open yet/anymore (EIO): wait for one
                continue
            self.bytes_received += len(data)
            for item in decoder.feed(data):
                if isinstance(item, IdCardError):
                    # The SAM tells the terminal its request was corrupted (10) or too short/long (11).
                    answer = build_response(SW3_REQUEST_CHECKSUM)
                    self._send(answer)
                    continue
                self._handle(item)

    def _handle(self, body: bytes) -> None:
        request = parse_request_body(body)
        command = request.command
        self.requests.append(command)
        faults = self.faults
        if faults.silent:
            return
        if command is not None and command in faults.status_override:
            self._send(build_response(faults.status_override[command]))
            return
        with self._lock:
            answer, truncate = self._answer(command)
        if faults.corrupt_checksum:
            answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
            if faults.corrupt_checksum == "once":
                faults.corrupt_checksum = None
        if truncate:
            answer = answer[: len(answer) // 2]
        self._send(faults.noise + answer)

    def _answer(self, command: Command | None) -> tuple[bytes, bool]:
        """The answer to ``command`` and whether to cut it in half (a card pulled mid-transfer)."""
        card = self._card
        if command in (Command.RESET_SAM, Command.SAM_STATUS):
            return build_response(SW3_OK), False
        if command is Command.READ_SAM_ID:
            return build_response(SW3_OK, _SAM_ID), False
        if command is Command.FIND_CARD:
            return build_response(SW3_FIND_OK if card and not self._halted else SW3_NO_CARD, _FIND_DATA), False
        if command is Command.SELECT_CARD:
            self._selected = card is not None
            return build_response(SW3_OK if card else SW3_SELECT_FAILED, bytes(8)), False
        if command is Command.READ_TEXT_PHOTO:
            if card is None or not self._selected:
                return build_response(SW3_READ_FAILED), False
            pulled = self.faults.pull_card_mid_read
            if pulled:
                self._card, self._selected = None, False
                if pulled == "status":
                    return build_response(SW3_READ_FAILED), False
            data = read_answer_data(card, self.faults.type_flag)
            self._halted = not pulled
            return build_response(SW3_OK, data), pulled == "halfway"
        return build_response(SW3_COMMAND_ERROR), False


    def _send(self, data: bytes) -> None:
        piece = self.faults.split_size or len(data) or 1
        pause = self.faults.split_pause if self.faults.split_size else 0.0
        started = time.monotonic()
        sent = 0
        for offset in range(0, len(data), piece):
            if self._stop.is_set():
                return
            chunk = data[offset : offset + piece]
            if self.pace_baud:
                # Write at the pace of a UART: 10 bits a byte (8N1). Small slices keep the pace even.
                for start in range(0, len(chunk), 64):
                    part = chunk[start : start + 64]
                    due = started + (sent + len(part)) * 10 / self.pace_baud
                    self._write(part)
                    sent += len(part)
                    delay = due - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
            else:
                self._write(chunk)
            if pause and offset + piece < len(data):
                time.sleep(pause)
                started += pause

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        give_up = time.monotonic() + 2.0  # nobody drains the terminal: drop the answer
        while view and not self._stop.is_set() and time.monotonic() < give_up:
            try:
                written = os.write(self._master, view)
            except BlockingIOError:
                time.sleep(0.001)
                continue
            except OSError:
                return  # nobody listens (the driver closed the port)
            self.bytes_sent += written
            view = view[written:]


def read_answer_data(card: IdCardData, type_flag: str | None = None) -> bytes:
    """The DATA of a 30 01 answer: text length, photo length (2 bytes BE each), text block, photo.

    ``type_flag`` overwrites the flag at offset 248 (fault injection: a card type nobody knows).
    """
    text = bytearray(encode_text_block(card))
    if type_flag is not None:
        text[TYPE_FLAG_OFFSET : TYPE_FLAG_OFFSET + 2] = type_flag.encode("utf-16-le")[:2].ljust(2, b"\x00")
    photo = card.photo.ljust(PHOTO_LENGTH, b"\x00")[:PHOTO_LENGTH]
    return TEXT_LENGTH.to_bytes(2, "big") + PHOTO_LENGTH.to_bytes(2, "big") + bytes(text) + photo


# --- demo cards ---------------------------------------------------------------------------------


def demo_photo(seed: str) -> bytes:
    """Deterministic stand-in for a 1024-byte WLT photo (the real one is vendor-encrypted anyway)."""
    out = bytearray()
    counter = 0
    while len(out) < PHOTO_LENGTH:
        out += hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
    return bytes(out[:PHOTO_LENGTH])


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).replace("-", "").replace(".", "")
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _to_end_date(value: Any) -> dt.date | None:
    return None if value is None or value == LONG_TERM else _to_date(value)


_SEX_WORDS = {"男": Sex.MALE, "女": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}


def _to_sex(value: Any, id_number: str) -> Sex:
    if value is None:
        # GB 11643: the 17th character is odd for men, even for women.
        return Sex.MALE if id_number[16:17].isdigit() and int(id_number[16]) % 2 else Sex.FEMALE
    text = str(value).strip().lower()
    return _SEX_WORDS.get(text) or Sex.from_code(text) or Sex(text)


def demo_card(person: Mapping[str, Any]) -> IdCardData:
    """An IdCardData from a plain dict (a demo person of the configuration).

    Keys: name, id_number (required); sex (male/female/1/2/男/女; else from the ID number), nation (code or
    name, default 01), birth_date (else from the ID number), address, issuer, valid_from, valid_to (a date or
    长期), card_type (resident, hk_mo_tw_permit, foreign_permanent, foreign_permanent_old), pass_number,
    issue_count, english_name, nationality, renewal_count, card_version, photo (bytes).
    Dates are date objects or "YYYY-MM-DD"/"YYYYMMDD" strings.
    """
    id_number = str(person["id_number"])
    card_type = CardType(person.get("card_type", CardType.RESIDENT))
    resident_like = card_type in (CardType.RESIDENT, CardType.HK_MO_TW_PERMIT)
    birth = person.get("birth_date") or (id_number[6:14] if resident_like else None)
    if birth is None:
        raise ValueError("a foreigner card needs birth_date (its number does not hold it)")
    valid_from = _to_date(person.get("valid_from", "2020-01-01"))
    default_end = valid_from + dt.timedelta(days=3652)  # about ten years
    data = IdCardData(
        card_type=card_type,
        name=str(person.get("name", "")),
        sex=_to_sex(person.get("sex"), id_number),
        nation=nation_code(str(person.get("nation", "01"))) if card_type is CardType.RESIDENT else "",
        birth_date=_to_date(birth),
        address=str(person.get("address", "")) if resident_like else "",
        id_number=id_number,
        issuer=str(person.get("issuer", "济南市公安局历下分局" if resident_like else "")),
        valid_from=valid_from,
        valid_to=_to_end_date(person.get("valid_to", default_end)),
        photo=bytes(person.get("photo") or demo_photo(id_number)),
        pass_number=person.get("pass_number"),
        issue_count=int(person["issue_count"]) if person.get("issue_count") is not None else None,
        english_name=person.get("english_name"),
        nationality=person.get("nationality"),
        renewal_count=int(person["renewal_count"]) if person.get("renewal_count") is not None else None,
        card_version=person.get("card_version"),
    )
    encode_text_block(data)  # fail here, not in the simulator thread, when a field does not fit
    return data
