"""What every simulated card on pcscd's vpcd reader shares (drivers.pcsc.vpcd serves it).

A T=0 contact card as ISO/IEC 7816-4 describes it: the status words below; data of a case-2 command (READ RECORD)
answered at once when Le is right, `6C xx` when a strict card gets a wrong Le; data of a case-4 command (SELECT,
GET PROCESSING OPTIONS) answered at once, or announced with `61 xx` and fetched by GET RESPONSE (`00 C0`). Fault
injection comes before the card's own answer: pulled out, gone silent, a forced status word. A card subclass
answers well-formed commands in ``answer``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from drivers.pcsc.vpcd import CardPulled

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_CONDITIONS = b"\x69\x85"
SW_NOT_FOUND = b"\x6a\x82"
SW_RECORD_NOT_FOUND = b"\x6a\x83"
SW_WRONG_P1P2 = b"\x6a\x86"
SW_INS_UNKNOWN = b"\x6d\x00"
SW_CLA_UNKNOWN = b"\x6e\x00"

GET_RESPONSE = 0xC0


@dataclass
class LinkFaults:
    """What goes wrong between reader and card. APDU counts include every C-APDU since the card was built."""

    pull_after: int | None = None  # pulled out of the reader on APDU number pull_after + 1
    silent_after: int | None = None  # stops answering from APDU number silent_after + 1 (the link stays open)
    forced_sw: dict[tuple[int, int], int] = field(default_factory=dict)  # (INS, P1) -> status word answered


class VirtualT0Card:
    """Safe for one vpcd client thread plus a test thread changing ``faults``."""

    def __init__(self, *, faults: LinkFaults, atr: bytes, strict_le: bool, use_get_response: bool) -> None:
        self.atr = atr
        self.faults = faults
        self.strict_le = strict_le
        self.use_get_response = use_get_response
        self.apdu_count = 0
        self.log: list[bytes] = []  # C-APDUs received, for tests and the benchmark
        self._lock = threading.Lock()
        self._pending = b""

    def _reset_state(self) -> None:
        """Power and reset forget what was selected; a subclass extends it."""
        self._pending = b""

    # vpcd's control hooks
    def power_on(self) -> None:
        self._reset_state()

    def power_off(self) -> None:
        self._reset_state()

    def reset(self) -> None:
        self._reset_state()

    def process_apdu(self, apdu: bytes) -> bytes | None:
        with self._lock:
            self.apdu_count += 1
            self.log.append(bytes(apdu))
            faults = self.faults
            if faults.pull_after is not None and self.apdu_count > faults.pull_after:
                raise CardPulled
            if faults.silent_after is not None and self.apdu_count > faults.silent_after:
                return None
            if len(apdu) < 4:
                return SW_WRONG_LENGTH
            cla, ins, p1, _p2 = apdu[:4]
            if (ins, p1) in faults.forced_sw:
                return faults.forced_sw[(ins, p1)].to_bytes(2, "big")
            if (cla, ins) == (0x00, GET_RESPONSE):
                return self._get_response(apdu)
            return self.answer(cla, ins, apdu)

    def answer(self, cla: int, ins: int, apdu: bytes) -> bytes:
        """The card's answer to a command that passed the faults (GET RESPONSE is handled here)."""
        raise NotImplementedError

    # -- how data leaves the card ------
    def announce(self, data: bytes) -> bytes:
        """`61 xx`: the data waits for GET RESPONSE."""
        self._pending = data
        return bytes([0x61, len(data) & 0xFF])

    def case4_answer(self, data: bytes) -> bytes:
        return self.announce(data) if self.use_get_response else data + SW_OK

    def case2_answer(self, data: bytes, apdu: bytes) -> bytes:
        if self.use_get_response:
            return self.announce(data)
        le = apdu[4] if len(apdu) == 5 else 0
        if self.strict_le and le != len(data) & 0xFF:
            return bytes([0x6C, len(data) & 0xFF])
        return data + SW_OK

    def _get_response(self, apdu: bytes) -> bytes:
        if not self._pending:
            return SW_CONDITIONS
        le = apdu[4] if len(apdu) == 5 else 0
        if le != len(self._pending) & 0xFF:
            return bytes([0x6C, len(self._pending) & 0xFF])
        data, self._pending = self._pending, b""
        return data + SW_OK
