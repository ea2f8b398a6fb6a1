"""The real ID card reader driver: SAM_V over a serial port (pyserial).

Thread-safety: every public method holds one re-entrant lock for its whole request/answer exchange, so one
polling thread may call find_card() while another thread calls close() or state(); exchanges never
interleave on the wire. Calls from several threads are serialised, not parallel: a read blocks a concurrent
find until it ends.
"""

from __future__ import annotations

import contextlib
import termios
import threading
import time
from types import TracebackType

import serial

from drivers.base import DeviceKind, DeviceState, DeviceStatus, state_of_error
from drivers.idcard.errors import (
    IdCardChecksumError,
    IdCardError,
    IdCardFrameError,
    SamReceivedChecksumError,
    SelectCardFailed,
    error_for_status,
    idcard_error,
)
from drivers.idcard.protocol import (
    PHOTO_LENGTH,
    SW3_FIND_OK,
    SW3_NO_CARD,
    SW3_OK,
    TEXT_LENGTH,
    Command,
    Response,
    ResponseDecoder,
    build_request,
)
from drivers.idcard.text import IdCardData, parse_text_block

SUPPORTED_BAUD_RATES = (115200, 57600, 38400, 19200, 9600)
DEFAULT_TIMEOUT = 3.0  # seconds per exchange: a SAM needs up to about a second to read a card
CHECKSUM_RETRIES = 2  # an answer that fails its checksum is asked again this many times
_POLL_INTERVAL = 0.02  # serial read timeout: how often a waiting exchange looks at its deadline


class SerialIdCardReader:
    """A SAM_V ID card reader on ``port``. Every command ends in a result or an IdCardError subclass."""

    kind = DeviceKind.IDCARD

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = CHECKSUM_RETRIES,
    ) -> None:
        if baud not in SUPPORTED_BAUD_RATES:
            raise ValueError(f"baud {baud} is not one of {SUPPORTED_BAUD_RATES}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.port = port
        self.baud = baud
        self.timeout = timeout
        self.retries = retries
        self._serial: serial.Serial | None = None
        self._lock = threading.RLock()

    # --- life cycle ------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the port. Raises IdCardNoDevice when it is missing or cannot be opened."""
        with self._lock:
            if self._serial is not None:
                return
            try:
                self._serial = serial.Serial(
                    self.port, self.baud, bytesize=8, parity="N", stopbits=1,
                    timeout=_POLL_INTERVAL, write_timeout=self.timeout, exclusive=True,
                )
            except (serial.SerialException, OSError, ValueError, termios.error) as exc:
                raise idcard_error("no_device", f"cannot open {self.port}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            port, self._serial = self._serial, None
            if port is not None:
                # The device may be gone already: closing is best effort.
                with contextlib.suppress(serial.SerialException, OSError, termios.error):
                    port.close()

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def __enter__(self) -> SerialIdCardReader:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- commands --------------------------------------------------------------------------------

    def find_card(self) -> bool:
        """True when a card lies on the reader (SW3 9F), False on SW3 80. Cheap enough to poll."""
        response = self._exchange(Command.FIND_CARD, accepted=(SW3_FIND_OK, SW3_NO_CARD))
        return response.sw3 == SW3_FIND_OK

    def select_card(self) -> None:
        """Select the card found. Raises SelectCardFailed (81) when it left the field."""
        self._exchange(Command.SELECT_CARD)

    def read_card(self) -> IdCardData:
        """Find, select and read text and photo (30 01). Raises NoCardError when no card lies on the reader.

        A SAM answers find with 80 for a card it has already read until the card is lifted; select still
        succeeds for such a card, so a failed find is followed by a select before "no card" is concluded.
        """
        with self._lock:
            found = self.find_card()
            try:
                self.select_card()
            except SelectCardFailed:
                if not found:
                    raise error_for_status(SW3_NO_CARD) from None
                raise
            return self.read_selected_card()

    def read_selected_card(self) -> IdCardData:
        """Read text and photo of the selected card (30 01) and parse the text by its type flag."""
        response = self._exchange(Command.READ_TEXT_PHOTO)
        text, photo = split_read_answer(response.data)
        return parse_text_block(text, photo)

    def sam_status(self) -> None:
        """Ask the SAM for its status (11 FF); returns when it is ready, raises the typed error otherwise."""
        self._exchange(Command.SAM_STATUS)

    def read_sam_id(self) -> str:
        """The SAM's 16-byte id as hex (12 FF)."""
        return self._exchange(Command.READ_SAM_ID).data.hex().upper()

    def reset_sam(self) -> None:
        self._exchange(Command.RESET_SAM)

    def state(self) -> DeviceState:
        """The device contract's state, from the SAM's status (11 FF); opens the port if needed, never raises.

        No media: a SAM answers "no card" to find for a card it has already read until the card is lifted, so
        the reader cannot tell whether a card lies on it.
        """
        with self._lock:
            try:
                self.open()
                self.sam_status()
            except IdCardError as error:
                return state_of_error(error)
            return DeviceState(DeviceStatus.ONLINE, None, f"{self.port}: SAM ready")

    # --- one exchange ----------------------------------------------------------------------------

    def _exchange(self, command: Command, accepted: tuple[int, ...] = (SW3_OK,)) -> Response:
        """Send ``command`` and wait for its answer; ask again (a few times) when the answer failed its
        checksum, or the SAM reports that our request failed its checksum (SW3 10)."""
        with self._lock:
            last_error: IdCardError | None = None
            for _attempt in range(1 + self.retries):
                try:
                    response = self._send_and_receive(build_request(command))
                    response.raise_for_status(accepted)
                except (IdCardChecksumError, IdCardFrameError, SamReceivedChecksumError) as error:
                    last_error = error  # corrupted on the line, either way: ask again
                    continue
                return response
            assert last_error is not None
            raise last_error

    def _send_and_receive(self, request: bytes) -> Response:
        port = self._serial
        if port is None:
            raise idcard_error("no_device", f"{self.port} is not open")
        decoder = ResponseDecoder()
        false_frame: IdCardFrameError | None = None
        try:
            port.reset_input_buffer()  # stale bytes of an earlier, abandoned answer
            port.write(request)
            port.flush()
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline:
                chunk = port.read(max(1, port.in_waiting))
                if not chunk:
                    continue
                for item in decoder.feed(chunk):
                    if isinstance(item, IdCardFrameError):
                        false_frame = item  # noise that looked like a preamble: the decoder searches on
                    elif isinstance(item, IdCardError):
                        raise item
                    else:
                        return item
        except serial.SerialTimeoutException:
            raise idcard_error("timeout", f"{self.port}: writing the request timed out") from None
        except (serial.SerialException, OSError, termios.error) as exc:
            # termios.error is no OSError: pyserial lets it through when the terminal vanishes under it.
            self.close()
            raise idcard_error("no_device", f"{self.port}: {exc}") from None
        if false_frame is not None:
            raise false_frame
        if decoder.pending:
            pending = f"{self.port}: only part of an answer ({decoder.pending} bytes) in {self.timeout} s"
            raise idcard_error("answer_cut", pending)
        raise idcard_error("timeout", f"{self.port}: no answer in {self.timeout} s")


def split_read_answer(data: bytes) -> tuple[bytes, bytes]:
    """Text and photo of a read (30 01) answer: text length (2, BE), photo length (2, BE), text, photo."""
    if len(data) < 4:
        raise idcard_error("bad_frame", f"a read answer of {len(data)} bytes has no length fields")
    text_length = int.from_bytes(data[0:2], "big")
    photo_length = int.from_bytes(data[2:4], "big")
    consistent = len(data) == 4 + text_length + photo_length
    if text_length != TEXT_LENGTH or photo_length > PHOTO_LENGTH or not consistent:
        raise idcard_error(
            "bad_frame", f"read answer with text {text_length}, photo {photo_length}, {len(data) - 4} bytes of data"
        )
    return data[4 : 4 + text_length], data[4 + text_length :]
