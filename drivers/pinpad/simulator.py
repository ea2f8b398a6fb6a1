"""A PIN pad on a pseudo-terminal that speaks the ZT588-family protocol of protocol.py (the pad's side).

It keeps its own keys (one key set per algorithm, optionally persisted to a JSON file), takes key presses from
code (``press``/``type_pin``) and can be driven into faults: offline (silent), garbage bytes, a bad checksum on
its next frame, a forced status on the next command, tamper.

Run it alone: ``python -m drivers.pinpad.simulator [--state FILE]`` prints the port and serves until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm, CryptoInputError
from drivers.pinpad.errors import PinPadProtocolError
from drivers.pinpad.framing import KEY_TO_BYTE, Frame, FrameDecoder, Key, encode_frame
from drivers.pinpad.protocol import Command, PadStatus, Request, Response, parse_request, strict_unhex
from drivers.process import serve_until_terminated
from drivers.pty_simulator import PtySimulator

MODEL = "ZT588-SIM"
MAC_DATA_LIMIT = 16384  # bytes of MAC data the pad buffers across MA chunks
INTER_BYTE_TIMEOUT = 0.5  # seconds of silence inside a frame before the pad drops it
PRESSABLE = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "enter", "cancel", "clear")


@dataclass
class KeySet:
    master: bytes | None = None
    pin: bytes | None = None
    mac: bytes | None = None
    components: dict[int, bytes] = field(default_factory=dict)  # not persisted: a ceremony is one sitting

    def to_json(self) -> dict[str, str | None]:
        return {
            name: (value.hex() if value else None)
            for name, value in (("master", self.master), ("pin", self.pin), ("mac", self.mac))
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> KeySet:
        master, pin, mac = (bytes.fromhex(v) if v else None for v in (data.get(k) for k in ("master", "pin", "mac")))
        return cls(master, pin, mac)


@dataclass
class _PinEntry:
    pan12: str
    min_len: int
    max_len: int
    deadline: float
    digits: list[str] = field(default_factory=list)


class PinPadSimulator(PtySimulator):
    """The device end of a pty. ``port`` is the path the driver opens."""

    thread_name = "pinpad-sim"

    def __init__(self, state_file: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.state_file = Path(state_file) if state_file else None
        self._lock = threading.RLock()
        self._algorithm = Algorithm.TDES
        self._keys = {algorithm: KeySet() for algorithm in Algorithm}
        self._tampered = False
        self._offline = False
        self._corrupt_next = False
        self._forced_status: PadStatus | None = None
        self._pin: _PinEntry | None = None
        self._pin_started = threading.Event()
        self._mac_buffer = bytearray()
        self._decoder = FrameDecoder()
        self._last_byte = 0.0
        self._load()

    # -- the citizen's fingers ----------------------------------------------------------------------------
    def press(self, key: str) -> None:
        """One key: "0".."9", "enter", "cancel", "clear"."""
        if key not in PRESSABLE:
            raise ValueError(f"no key {key!r} on the pad")
        with self._lock:
            if self._offline:
                return
            entry = self._pin
            if entry is None:
                # Outside PIN entry a ZT588 sends what was pressed (plain-text mode). The driver must drop it.
                self._write(key.encode() if key.isdigit() else bytes([KEY_TO_BYTE[Key(key)]]))
            elif key.isdigit():
                if len(entry.digits) < entry.max_len:  # keys beyond the maximum are ignored (the pad beeps)
                    entry.digits.append(key)
                    self._write(bytes([KEY_TO_BYTE[Key.ASTERISK]]))
            elif key == "clear":
                entry.digits.clear()
                self._write(bytes([KEY_TO_BYTE[Key.CLEAR]]))
            elif key == "cancel":
                self._write(bytes([KEY_TO_BYTE[Key.CANCEL]]))
                self._end_pin(Response(Command.PIN_RESULT, PadStatus.PIN_CANCELED))
            elif len(entry.digits) >= entry.min_len:  # enter; too short is ignored (the pad beeps)
                self._write(bytes([KEY_TO_BYTE[Key.ENTER]]))
                keys = self._keys[self._algorithm]
                assert keys.pin is not None  # PIN entry only starts with a PIN key
                block = crypto.encrypt_pin_block(
                    self._algorithm, keys.pin, "".join(entry.digits), entry.pan12
                )
                self._end_pin(Response(Command.PIN_RESULT, PadStatus.OK, {"BLOCK": block.hex().upper()}))

    def type_pin(self, pin: str, enter: bool = True) -> None:
        for digit in pin:
            self.press(digit)
        if enter:
            self.press("enter")

    def wait_for_pin_entry(self, timeout: float = 2.0) -> bool:
        """True once the pad is in PIN entry (so that presses become asterisks)."""
        return self._pin_started.wait(timeout)

    @property
    def pin_entry_active(self) -> bool:
        with self._lock:
            return self._pin is not None

    # -- fault injection ----------------------------------------------------------------------------------
    def set_offline(self, offline: bool) -> None:
        """Offline: the pad reads and drops everything and answers nothing. Losing power ends a PIN entry
        without a result (the keys stay: they are in battery-backed secure memory)."""
        with self._lock:
            self._offline = offline
            if offline:
                self._pin = None
                self._pin_started.clear()

    def send_garbage(self, data: bytes) -> None:
        with self._lock:
            self._write(data)

    def corrupt_next_frame(self) -> None:
        """The next frame the pad sends carries a wrong checksum."""
        with self._lock:
            self._corrupt_next = True

    def fail_next_command(self, status: PadStatus) -> None:
        """The next command is answered with ``status`` instead of being executed."""
        with self._lock:
            self._forced_status = status

    def set_tampered(self, tampered: bool) -> None:
        """Tamper erases every key (as the real secure module does) and blocks all but ST and RS."""
        with self._lock:
            self._tampered = tampered
            if tampered:
                self._keys = {algorithm: KeySet() for algorithm in Algorithm}
                self._pin = None
            self._save()

    # -- what tests may inspect (a real pad would never tell) ----------------------------------------------
    @property
    def algorithm(self) -> Algorithm:
        return self._algorithm

    def keys(self, algorithm: Algorithm | None = None) -> KeySet:
        with self._lock:
            keys = self._keys[algorithm or self._algorithm]
            return KeySet(keys.master, keys.pin, keys.mac, dict(keys.components))

    # -- the pad's firmware -------------------------------------------------------------------------------
    def serve(self) -> None:
        while not self._stop.is_set():
            try:
                readable, _, _ = select.select([self._master], [], [], 0.05)
                data = os.read(self._master, 4096) if readable else b""
            except OSError:  # the slave side was closed and reopened, or we are stopping
                time.sleep(0.05)
                continue
            with self._lock:
                self._check_pin_timeout()
                now = time.monotonic()
                if self._decoder.in_frame and not data and now - self._last_byte > INTER_BYTE_TIMEOUT:
                    self._decoder.reset()  # a frame cut short: the pad gives up on it and says so
                    if not self._offline:
                        self._reply(Response(Command.ERROR, PadStatus.BAD_LENGTH))
                if self._offline or not data:
                    continue
                self._last_byte = now
                for item in self._decoder.feed(data):
                    if isinstance(item, PinPadProtocolError):
                        status = (
                            PadStatus.BAD_CHECKSUM
                            if item.code == "pinpad_frame_checksum"
                            else PadStatus.BAD_LENGTH
                        )
                        self._reply(Response(Command.ERROR, status))
                    elif isinstance(item, Frame):
                        self._reply(self._execute(item.payload))

    def _check_pin_timeout(self) -> None:
        if self._pin is not None and time.monotonic() >= self._pin.deadline:
            self._end_pin(Response(Command.PIN_RESULT, PadStatus.PIN_TIMEOUT))

    def _end_pin(self, result: Response) -> None:
        self._pin = None
        self._pin_started.clear()
        self._reply(result)

    def _reply(self, response: Response) -> None:
        frame = bytearray(encode_frame(response.encode()))
        if self._corrupt_next:
            self._corrupt_next = False
            frame[-1] = ord("0") if frame[-1] != ord("0") else ord("1")
        self._write(bytes(frame))

    def _write(self, data: bytes) -> None:
        # Nobody listening: a real pad's bytes would be lost on the wire too.
        with contextlib.suppress(OSError):
            os.write(self._master, data)

    def _execute(self, payload: bytes) -> Response:
        try:
            request = parse_request(payload)
        except ValueError:
            return Response(Command.ERROR, PadStatus.BAD_PARAMETER)
        handler = _HANDLERS.get(request.command)
        if handler is None:
            return Response(Command.ERROR, PadStatus.UNKNOWN_COMMAND)
        if self._forced_status is not None:
            status, self._forced_status = self._forced_status, None
            return Response(request.command, status)
        if self._tampered and request.command not in (Command.STATUS, Command.RESET):
            return Response(request.command, PadStatus.TAMPERED)
        if self._pin is not None and request.command not in (Command.STATUS, Command.CANCEL):
            return Response(request.command, PadStatus.BUSY)
        try:
            return handler(self, request)
        except (ValueError, IndexError):
            return Response(request.command, PadStatus.BAD_PARAMETER)

    def _status(self, request: Request) -> Response:
        keys = self._keys[self._algorithm]
        flags = {
            "TMK": keys.master,
            "TPK": keys.pin,
            "TAK": keys.mac,
            "C1": keys.components.get(1),
            "C2": keys.components.get(2),
        }
        fields = {"ALG": self._algorithm.value.upper(), "MODEL": MODEL}
        fields |= {name: "1" if value else "0" for name, value in flags.items()}
        fields |= {"TAMPER": "1" if self._tampered else "0", "PIN": "1" if self._pin else "0"}
        return Response(request.command, PadStatus.OK, fields)

    def _reset(self, request: Request) -> Response:
        self._pin = None
        self._pin_started.clear()
        self._mac_buffer.clear()
        for keys in self._keys.values():
            keys.components.clear()
        return Response(request.command, PadStatus.OK)

    def _select_algorithm(self, request: Request) -> Response:
        (name,) = request.args
        self._algorithm = Algorithm(name.lower())
        self._save()
        return Response(request.command, PadStatus.OK)

    def _load_component(self, request: Request) -> Response:
        index_text, component_hex = request.args
        component = _unhex(component_hex)
        if index_text not in ("1", "2"):
            raise ValueError("component index")
        if len(component) not in crypto.KEY_LENGTHS[self._algorithm]:
            return Response(request.command, PadStatus.KEY_INVALID)
        self._keys[self._algorithm].components[int(index_text)] = component
        return _kcv_response(request, crypto.check_value(self._algorithm, component))

    def _combine(self, request: Request) -> Response:
        if request.args:
            raise ValueError("MK takes no argument")
        keys = self._keys[self._algorithm]
        if set(keys.components) != {1, 2}:
            return Response(request.command, PadStatus.KEY_MISSING)
        first, second = keys.components[1], keys.components[2]
        if len(first) != len(second) or first == second:  # equal components give a zero key
            return Response(request.command, PadStatus.KEY_INVALID)
        master = crypto.combine_components(first, second)
        self._keys[self._algorithm] = KeySet(master=master)
        self._save()
        return _kcv_response(request, crypto.check_value(self._algorithm, master))

    def _load_working_key(self, request: Request) -> Response:
        kind, encrypted_hex, kcv_hex = request.args
        encrypted, kcv = _unhex(encrypted_hex), _unhex(kcv_hex)
        if kind not in ("P", "M") or len(kcv) != crypto.KCV_LENGTH:
            raise ValueError("working key arguments")
        keys = self._keys[self._algorithm]
        if keys.master is None:
            return Response(request.command, PadStatus.KEY_MISSING)
        try:
            key = crypto.decrypt_ecb(self._algorithm, keys.master, encrypted)
            crypto.check_key(self._algorithm, key)
            if kind == "M" and self._algorithm is Algorithm.TDES and len(key) != 16:
                raise CryptoInputError("X9.19 needs a double-length MAC key")
        except CryptoInputError:
            return Response(request.command, PadStatus.KEY_INVALID)
        actual = crypto.check_value(self._algorithm, key)
        if actual != kcv:
            return Response(request.command, PadStatus.KCV_MISMATCH)
        if kind == "P":
            keys.pin = key
        else:
            keys.mac = key
        self._save()
        return _kcv_response(request, actual)

    def _check_values(self, request: Request) -> Response:
        keys = self._keys[self._algorithm]
        fields = {
            name: crypto.check_value(self._algorithm, key).hex().upper()
            for name, key in (("TMK", keys.master), ("TPK", keys.pin), ("TAK", keys.mac))
            if key
        }
        return Response(request.command, PadStatus.OK, fields)

    def _pin_entry(self, request: Request) -> Response:
        pan12, min_text, max_text, timeout_text = request.args
        min_len, max_len, timeout = int(min_text), int(max_text), int(timeout_text)
        if len(pan12) != 12 or not pan12.isdigit() or not 4 <= min_len <= max_len <= 12 or timeout < 1:
            raise ValueError("PIN entry arguments")
        if self._keys[self._algorithm].pin is None:
            return Response(request.command, PadStatus.KEY_MISSING)
        self._pin = _PinEntry(pan12, min_len, max_len, time.monotonic() + timeout)
        self._pin_started.set()
        return Response(request.command, PadStatus.OK, {"ALG": self._algorithm.value.upper()})

    def _cancel(self, request: Request) -> Response:
        if self._pin is not None:
            self._end_pin(Response(Command.PIN_RESULT, PadStatus.PIN_CANCELED))
        return Response(request.command, PadStatus.OK)

    def _mac(self, request: Request) -> Response:
        flag, data_hex = request.args
        data = _unhex(data_hex)
        if flag not in ("M", "L"):
            raise ValueError("MAC chunk flag")
        mac_key = self._keys[self._algorithm].mac
        if mac_key is None:
            self._mac_buffer.clear()
            return Response(request.command, PadStatus.KEY_MISSING)
        if len(self._mac_buffer) + len(data) > MAC_DATA_LIMIT:
            self._mac_buffer.clear()
            return Response(request.command, PadStatus.BAD_LENGTH)
        self._mac_buffer += data
        if flag == "M":
            return Response(request.command, PadStatus.OK)
        mac = crypto.compute_mac(self._algorithm, mac_key, bytes(self._mac_buffer))
        self._mac_buffer.clear()
        return Response(request.command, PadStatus.OK, {"MAC": mac.hex().upper()})

    # -- persistence --------------------------------------------------------------------------------------
    def _load(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        data = json.loads(self.state_file.read_text(encoding="utf-8"))
        self._algorithm = Algorithm(data.get("algorithm", "tdes"))
        self._tampered = bool(data.get("tampered", False))
        for algorithm in Algorithm:
            self._keys[algorithm] = KeySet.from_json(data.get("keys", {}).get(algorithm.value, {}))

    def _save(self) -> None:
        if self.state_file is None:
            return
        data = {
            "algorithm": self._algorithm.value,
            "tampered": self._tampered,
            "keys": {algorithm.value: keys.to_json() for algorithm, keys in self._keys.items()},
        }
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.chmod(temporary, 0o600)  # simulated keys, but keys: owner only
        temporary.replace(self.state_file)


def _unhex(text: str) -> bytes:
    data = strict_unhex(text)
    if data is None:
        raise ValueError("not hex")
    return data


def _kcv_response(request: Request, kcv: bytes) -> Response:
    return Response(request.command, PadStatus.OK, {"KCV": kcv.hex().upper()})


# Keyed by the mnemonic as it arrives (a str; Command is a StrEnum, so its members are those strings).
_HANDLERS: dict[str, Callable[[PinPadSimulator, Request], Response]] = {
    Command.STATUS: PinPadSimulator._status,
    Command.RESET: PinPadSimulator._reset,
    Command.SELECT_ALGORITHM: PinPadSimulator._select_algorithm,
    Command.LOAD_COMPONENT: PinPadSimulator._load_component,
    Command.COMBINE_MASTER: PinPadSimulator._combine,
    Command.LOAD_WORKING_KEY: PinPadSimulator._load_working_key,
    Command.CHECK_VALUES: PinPadSimulator._check_values,
    Command.PIN_ENTRY: PinPadSimulator._pin_entry,
    Command.CANCEL: PinPadSimulator._cancel,
    Command.MAC: PinPadSimulator._mac,
}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="a simulated ZT588-family PIN pad on a pseudo-terminal")
    parser.add_argument("--state", help="JSON file that keeps the pad's keys between runs")
    args = parser.parse_args()
    with PinPadSimulator(args.state) as simulator:
        serve_until_terminated(json.dumps({"port": simulator.port}))


if __name__ == "__main__":
    main()
