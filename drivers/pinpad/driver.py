"""The real PIN pad driver: the ZT588-family protocol over pyserial.

Thread-safety: every public method may be called from any thread. Commands are serialised by one lock (a
command that cannot get it within the driver timeout raises PinPadBusy); ``cancel()`` only writes a frame and
never waits for that lock, so it can stop a ``read_pin`` running in another thread.

The application never sees a PIN digit: the frame decoder turns bytes outside frames into the four key events
of framing.Key and drops every other byte's value, and ``read_pin`` returns only the pad's encrypted block.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any, Literal

from drivers.base import DeviceKind, DeviceState, DeviceStatus, state_of_error
from drivers.pinpad.crypto import BLOCK_SIZE, KCV_LENGTH, Algorithm, CryptoInputError, pan_field_digits
from drivers.pinpad.errors import PinPadBusy, PinPadError, PinPadProtocolError, make_error
from drivers.pinpad.framing import Frame, FrameDecoder, Item, KeyEvent, encode_frame
from drivers.pinpad.protocol import (
    Command,
    PadStatus,
    Request,
    Response,
    hex_field,
    parse_response,
    status_error,
)

DEFAULT_TIMEOUT = 2.0  # seconds for one command's answer; the pad answers in milliseconds
PIN_SILENCE_MARGIN = 3.0  # beyond the pad's own PIN timeout, before we call the pad silent
# During PIN entry the pad sends nothing until the citizen presses a key, so silence proves nothing: every
# PIN_HEARTBEAT seconds we ask ST (allowed during PIN entry) and call the pad gone when it does not answer.
PIN_HEARTBEAT = 1.0
MAC_CHUNK = 480  # data bytes per MA frame: 2 hex digits each, plus "MA,M," stays under 999
KeyKind = Literal["pin", "mac"]
KEY_NAMES = {"TMK": "master", "TPK": "pin", "TAK": "mac"}


@dataclass(frozen=True)
class PinPadState:
    """The pad's own answer (``SerialPinPad.pad_state()``): keys, tamper, PIN entry. ``device_state()`` is the
    contract's; ``to_dict()`` is the JSON of `kiosk diag pinpad status`."""

    online: bool
    status: DeviceStatus
    algorithm: Algorithm
    master_key: bool
    pin_key: bool
    mac_key: bool
    components: tuple[int, ...]  # master key components loaded and not yet combined
    tampered: bool
    pin_entry: bool
    model: str

    def device_state(self) -> DeviceState:
        loaded = {"master": self.master_key, "pin": self.pin_key, "mac": self.mac_key}
        keys = " ".join(name for name, present in loaded.items() if present) or "none"
        detail = f"{self.model or 'pad'}, {self.algorithm.value}, keys: {keys}"
        if self.tampered:
            detail += ", tampered"
        if self.pin_entry:
            detail += ", PIN entry"
        return DeviceState(self.status, None, detail)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["algorithm"] = self.algorithm.value
        data["components"] = list(self.components)
        return data


class SerialPinPad:
    """An encrypting PIN pad on a serial port (8N1)."""

    kind = DeviceKind.PINPAD

    def __init__(self, port: str, baud: int = 9600, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.port = port
        self.baud = baud
        self.timeout = timeout
        self._serial: Any = None
        self._decoder = FrameDecoder()
        self._pending: deque[Item] = deque()  # decoded but not yet consumed (key events after an answer)
        self._command_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pin_active = threading.Event()
        self._cancel_requested = threading.Event()

    # -- port ---------------------------------------------------------------------------------------------
    def open(self) -> SerialPinPad:
        import serial  # imported here so that `kiosk --help` does not load pyserial

        if self._serial is not None:
            return self
        try:
            self._serial = serial.Serial(
                self.port,
                self.baud,
                bytesize=8,
                parity="N",
                stopbits=1,
                timeout=0.05,
                write_timeout=self.timeout,
            )
            self._serial.reset_input_buffer()
        except (serial.SerialException, OSError, ValueError) as exc:
            self._serial = None
            raise make_error("pinpad_no_device", f"cannot open {self.port}: {exc}") from exc
        return self

    def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            with contextlib.suppress(OSError):
                ser.close()

    def __enter__(self) -> SerialPinPad:
        return self.open()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- commands -----------------------------------------------------------------------------------------
    def state(self) -> DeviceState:
        """The device contract's state (no media); never raises. A pad that is not open is no_device; one busy
        with another command (a PIN entry) is busy."""
        try:
            return self.pad_state().device_state()
        except PinPadBusy as error:
            return DeviceState(DeviceStatus.BUSY, None, str(error))
        except PinPadError as error:
            return state_of_error(error)

    def pad_state(self) -> PinPadState:
        """The pad's keys, tamper switch and PIN entry (ST). Raises PinPadError."""
        response = self._command(Request(Command.STATUS))
        fields = response.fields
        try:
            algorithm = Algorithm(fields.get("ALG", "").lower())
            flags = {name: _flag(fields, name) for name in ("TMK", "TPK", "TAK", "TAMPER", "PIN")}
            components = tuple(i for i in (1, 2) if _flag(fields, f"C{i}"))
        except ValueError as exc:
            raise make_error("pinpad_bad_response", f"ST: {exc}: {fields}") from None
        if flags["TAMPER"]:
            device_status = DeviceStatus.HARDWARE_ERROR
        elif flags["PIN"]:
            device_status = DeviceStatus.BUSY
        else:
            device_status = DeviceStatus.ONLINE
        return PinPadState(
            True,
            device_status,
            algorithm,
            flags["TMK"],
            flags["TPK"],
            flags["TAK"],
            components,
            flags["TAMPER"],
            flags["PIN"],
            fields.get("MODEL", ""),
        )

    def reset(self) -> None:
        """Leave PIN entry, drop uncombined components and half-fed MAC data; keys stay."""
        self._command(Request(Command.RESET))

    def select_algorithm(self, algorithm: Algorithm | str) -> None:
        """TDES or SM4: the pad keeps one key set per algorithm and uses the selected one."""
        try:
            algorithm = Algorithm(str(algorithm).lower())
        except ValueError:
            raise make_error("pinpad_invalid_argument", f"unknown algorithm {algorithm!r}") from None
        self._command(Request(Command.SELECT_ALGORITHM, (algorithm.value.upper(),)))

    def load_master_key_component(self, index: int, component: bytes) -> bytes:
        """Load component 1 or 2 of the master key; returns its check value for the person who keyed it."""
        if index not in (1, 2):
            raise make_error("pinpad_invalid_argument", f"component index {index} is not 1 or 2")
        response = self._command(Request(Command.LOAD_COMPONENT, (str(index), component.hex().upper())))
        return hex_field(response, "KCV", (KCV_LENGTH,))

    def combine_master_key(self) -> bytes:
        """Master key = component 1 XOR component 2; returns its check value. Drops the old working keys."""
        return hex_field(self._command(Request(Command.COMBINE_MASTER)), "KCV", (KCV_LENGTH,))

    def load_working_key(self, kind: KeyKind, encrypted: bytes, kcv: bytes) -> bytes:
        """Load the PIN key or MAC key, encrypted (ECB) under the master key. The pad refuses it
        (PinPadKeyError, code pinpad_kcv_mismatch) when its check value differs from ``kcv``."""
        if kind not in ("pin", "mac"):
            raise make_error("pinpad_invalid_argument", f"working key kind {kind!r} is not 'pin' or 'mac'")
        if len(kcv) != KCV_LENGTH:
            raise make_error("pinpad_invalid_argument", f"check value must be {KCV_LENGTH} bytes")
        args = ("P" if kind == "pin" else "M", encrypted.hex().upper(), kcv.hex().upper())
        return hex_field(self._command(Request(Command.LOAD_WORKING_KEY, args)), "KCV", (KCV_LENGTH,))

    def check_values(self) -> dict[str, bytes]:
        """Check values of the loaded keys of the selected algorithm: keys among 'master', 'pin', 'mac'."""
        response = self._command(Request(Command.CHECK_VALUES))
        unknown = set(response.fields) - set(KEY_NAMES)
        if unknown:
            raise make_error("pinpad_bad_response", f"KV: unknown fields {sorted(unknown)}")
        return {KEY_NAMES[name]: hex_field(response, name, (KCV_LENGTH,)) for name in response.fields}

    def mac(self, data: bytes) -> bytes:
        """MAC of ``data`` under the MAC key: ANSI X9.19 (8 bytes) with TDES, SM4 CBC-MAC (16 bytes) with SM4."""
        chunks = [data[i : i + MAC_CHUNK] for i in range(0, len(data), MAC_CHUNK)] or [b""]
        with self._locked():
            for number, chunk in enumerate(chunks, start=1):
                flag = "L" if number == len(chunks) else "M"
                response = self._exchange(Request(Command.MAC, (flag, chunk.hex().upper())))
            return hex_field(response, "MAC", (8, 16))

    def read_pin(
        self,
        pan: str,
        min_len: int = 4,
        max_len: int = 12,
        timeout: int = 60,
        on_key: Callable[[str], None] | None = None,
    ) -> bytes:
        """Let the citizen type a PIN on the pad; return the PIN block encrypted under the PIN key.

        ``on_key`` receives "*", "clear", "cancel" or "enter" as the pad reports them (it runs in this thread).
        Raises PinEntryCanceled (cancel key or ``cancel()``), PinEntryTimeout (the pad's timer), PinPadKeyError
        (no PIN key), PinPadUnavailable (the pad went silent), PinPadInvalidArgument (bad PAN or lengths).
        """
        try:
            pan12 = pan_field_digits(pan)
        except CryptoInputError as exc:
            raise make_error("pinpad_invalid_argument", str(exc)) from None
        if not 4 <= min_len <= max_len <= 12:
            raise make_error("pinpad_invalid_argument", f"PIN length {min_len}..{max_len} outside 4..12")
        if not 1 <= timeout <= 999:
            raise make_error("pinpad_invalid_argument", f"PIN timeout {timeout} s outside 1..999")
        with self._locked():
            self._cancel_requested.clear()
            args = (pan12, str(min_len), str(max_len), str(int(timeout)))
            started = self._exchange(Request(Command.PIN_ENTRY, args))
            try:
                block_size = BLOCK_SIZE[Algorithm(started.fields.get("ALG", "").lower())]
            except ValueError:
                raise make_error("pinpad_bad_response", f"PE: no algorithm in {started.fields}") from None
            self._pin_active.set()
            try:
                if self._cancel_requested.is_set():  # cancel() came before the pad entered PIN mode
                    self._send(Request(Command.CANCEL))
                response = self._await(
                    Command.PIN_RESULT, time.monotonic() + timeout + PIN_SILENCE_MARGIN, on_key, PIN_HEARTBEAT
                )
            except BaseException:
                self._send_quietly(Request(Command.CANCEL))  # never leave the pad in PIN mode behind us
                raise
            finally:
                self._pin_active.clear()
            if response.status != PadStatus.OK:
                raise status_error(response.status, Command.PIN_RESULT)
            return hex_field(response, "BLOCK", (block_size,))

    def cancel(self) -> None:
        """Stop a PIN entry running in another thread (it raises PinEntryCanceled). No-op otherwise."""
        self._cancel_requested.set()
        if self._pin_active.is_set():
            self._send_quietly(Request(Command.CANCEL))

    # -- exchange -----------------------------------------------------------------------------------------
    def _locked(self) -> _Held:
        if not self._command_lock.acquire(timeout=self.timeout):
            raise make_error("pinpad_driver_busy", "another command (PIN entry?) holds the pad")
        return _Held(self._command_lock)

    def _command(self, request: Request) -> Response:
        with self._locked():
            return self._exchange(request)

    def _exchange(self, request: Request) -> Response:
        """Send one command and wait for its answer (lock held by the caller)."""
        ser = self._port()
        self._decoder.reset()
        self._pending.clear()
        try:
            ser.reset_input_buffer()  # stale key presses and late answers of a previous command
        except OSError as exc:
            raise make_error("pinpad_port_error", f"{self.port}: {exc}") from exc
        self._send(request)
        response = self._await(request.command, time.monotonic() + self.timeout, None)
        if response.status != PadStatus.OK:
            raise status_error(response.status, request.command)
        return response

    def _await(
        self, command: str, deadline: float, on_key: Callable[[str], None] | None, heartbeat: float | None = None
    ) -> Response:
        """The answer to ``command``. With ``heartbeat``, an ST goes out after that many quiet seconds and the
        pad must answer it within the driver timeout (a long wait is then never a dead pad's wait)."""
        ser = self._port()
        next_probe = time.monotonic() + heartbeat if heartbeat else None
        probe_sent: float | None = None  # when the unanswered ST went out
        while True:
            while not self._pending:
                now = time.monotonic()
                if now >= deadline:
                    raise make_error("pinpad_no_response", f"{command}: no answer from {self.port}")
                if probe_sent is not None and now - probe_sent >= self.timeout:
                    raise make_error("pinpad_no_response", f"{command}: ST unanswered, {self.port} went silent")
                if next_probe is not None and probe_sent is None and now >= next_probe:
                    self._send(Request(Command.STATUS))
                    probe_sent = now
                try:
                    data = ser.read(max(1, ser.in_waiting))
                except (OSError, TypeError) as exc:  # pyserial: SerialException (an OSError) on a lost port
                    raise make_error("pinpad_port_error", f"{self.port}: {exc}") from exc
                self._pending.extend(self._decoder.feed(data))
            while self._pending:
                item = self._pending.popleft()
                if isinstance(item, PinPadProtocolError):
                    raise item
                if isinstance(item, KeyEvent):
                    if on_key is not None:
                        on_key(item.key.value)
                elif isinstance(item, Frame):
                    response = parse_response(item.payload)
                    if response.command in (command, Command.ERROR):
                        return response
                    if heartbeat and response.command == Command.STATUS:  # the pad is alive
                        probe_sent, next_probe = None, time.monotonic() + heartbeat
                    # else: a late answer to an earlier command (cancel's "CA,00"): not ours, skip it

    def _send(self, request: Request) -> None:
        frame = encode_frame(request.encode())
        ser = self._port()
        with self._write_lock:
            try:
                ser.write(frame)
                ser.flush()
            except (OSError, ValueError) as exc:  # SerialTimeoutException is an OSError subclass too
                raise make_error("pinpad_port_error", f"{self.port}: write failed: {exc}") from exc

    def _send_quietly(self, request: Request) -> None:
        with contextlib.suppress(PinPadError):
            self._send(request)

    def _port(self) -> Any:
        ser = self._serial
        if ser is None:
            raise make_error("pinpad_no_device", f"{self.port} is not open")
        return ser


class _Held:
    """Context manager releasing an already acquired lock."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _flag(fields: dict[str, str], name: str) -> bool:
    value = fields.get(name, "0")
    if value not in ("0", "1"):
        raise ValueError(f"{name}={value!r} is not 0 or 1")
    return value == "1"
