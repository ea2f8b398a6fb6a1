"""A software stand-in for the PIN pad's key store, MAC and PIN block: for tests and tools, never real keys.

The kiosk uses the real pad (drivers.pinpad.SerialPinPad, or the pad simulator on a pty); this exists so that
message-level tests and fuzzing need no pty, and it is how the host simulator itself computes and checks MACs.
"""

from __future__ import annotations

from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm


class SoftwareSecurityModule:
    def __init__(self, master_key: bytes, algorithm: Algorithm = Algorithm.TDES) -> None:
        crypto.check_key(algorithm, master_key)
        self.algorithm = algorithm
        self.master_key = master_key
        self.pin_key: bytes | None = None
        self.mac_key: bytes | None = None

    def load_working_key(self, kind: str, encrypted: bytes, kcv: bytes) -> bytes:
        key = crypto.decrypt_ecb(self.algorithm, self.master_key, encrypted)
        actual = crypto.check_value(self.algorithm, key)
        if actual != kcv:
            raise crypto.CryptoInputError(f"{kind} key check value mismatch")
        if kind == "pin":
            self.pin_key = key
        else:
            self.mac_key = key
        return actual

    def mac(self, data: bytes) -> bytes:
        if self.mac_key is None:
            raise crypto.CryptoInputError("no MAC key")
        return crypto.compute_mac(self.algorithm, self.mac_key, data)

    def pin_block(self, pin: str, pan: str) -> bytes:
        if self.pin_key is None:
            raise crypto.CryptoInputError("no PIN key")
        return crypto.encrypt_pin_block(self.algorithm, self.pin_key, pin, crypto.pan_field_digits(pan))
