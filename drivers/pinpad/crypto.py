"""Key and PIN cryptography of the encrypting PIN pad (DESIGN.md §3.3).

Used by the pad's simulator (which plays the secure module) and by tests and the bank host simulator; the
kiosk application itself never holds a clear PIN or a clear key.

Facts and their sources:
- Check value (KCV): first 4 bytes of E(key, zero block); 8-byte block for TDES, 16-byte block for SM4
  (ANSI X9.24-1 key check value; SM4 block size from GB/T 32907-2016).
- PIN block ISO 9564-1 format 0: PIN field ``0 | N | PIN digits | F padding`` XOR PAN field
  ``0000 | 12 rightmost PAN digits excluding the check digit``.
- Retail MAC ANSI X9.19 (= ISO/IEC 9797-1 MAC algorithm 3 with DES): single-DES CBC-MAC under the left key
  half, then the last block decrypted under the right half and encrypted again under the left half.
"""

from __future__ import annotations

from enum import StrEnum

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class Algorithm(StrEnum):
    TDES = "tdes"
    SM4 = "sm4"


BLOCK_SIZE = {Algorithm.TDES: 8, Algorithm.SM4: 16}
# Double-length TDES keys are what Chinese bank hosts send; triple-length is accepted as well.
KEY_LENGTHS = {Algorithm.TDES: (16, 24), Algorithm.SM4: (16,)}
KCV_LENGTH = 4
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12  # ISO 9564-1 format 0 allows 4..12 digits


class CryptoInputError(ValueError):
    """A key, PIN or PAN with the wrong shape (the driver turns it into its typed error)."""


def _cipher(algorithm: Algorithm, key: bytes) -> Cipher:
    check_key(algorithm, key)
    if algorithm is Algorithm.SM4:
        return Cipher(algorithms.SM4(key), modes.ECB())
    # A double-length key K1K2 is the triple-length K1K2K1 (cryptography deprecates 16-byte keys).
    return Cipher(TripleDES(key + key[:8] if len(key) == 16 else key), modes.ECB())


def check_key(algorithm: Algorithm, key: bytes) -> None:
    if len(key) not in KEY_LENGTHS[algorithm]:
        raise CryptoInputError(
            f"{algorithm.value} key must be {KEY_LENGTHS[algorithm]} bytes, not {len(key)}"
        )


def encrypt_ecb(algorithm: Algorithm, key: bytes, data: bytes) -> bytes:
    _check_blocks(algorithm, data)
    encryptor = _cipher(algorithm, key).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def decrypt_ecb(algorithm: Algorithm, key: bytes, data: bytes) -> bytes:
    _check_blocks(algorithm, data)
    decryptor = _cipher(algorithm, key).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _check_blocks(algorithm: Algorithm, data: bytes) -> None:
    if not data or len(data) % BLOCK_SIZE[algorithm]:
        raise CryptoInputError(f"{len(data)} bytes is not a whole number of {algorithm.value} blocks")


def check_value(algorithm: Algorithm, key: bytes) -> bytes:
    """KCV: the first 4 bytes of the key's encryption of one zero block."""
    return encrypt_ecb(algorithm, key, bytes(BLOCK_SIZE[algorithm]))[:KCV_LENGTH]


def xor_bytes(left: bytes, right: bytes) -> bytes:
    if len(left) != len(right):
        raise CryptoInputError("cannot XOR values of different lengths")
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


def combine_components(first: bytes, second: bytes) -> bytes:
    """Terminal master key = component 1 XOR component 2 (dual control: each person knows one)."""
    return xor_bytes(first, second)


def pan_field_digits(pan: str) -> str:
    """The 12 rightmost PAN digits without the check digit (ISO 9564-1 format 0)."""
    if not pan.isascii() or not pan.isdigit() or not 13 <= len(pan) <= 19:
        raise CryptoInputError("PAN must be 13 to 19 digits")
    return pan[:-1][-12:]


def format0_pin_block(pin: str, pan12: str) -> bytes:
    """Clear ISO 9564-1 format-0 PIN block (8 bytes) from the PIN and the 12 PAN-field digits."""
    if not pin.isascii() or not pin.isdigit() or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise CryptoInputError("PIN must be 4 to 12 digits")
    if not pan12.isascii() or not pan12.isdigit() or len(pan12) != 12:
        raise CryptoInputError("PAN field must be 12 digits")
    pin_field = bytes.fromhex(f"0{len(pin):X}{pin}".ljust(16, "F"))
    pan_field = bytes.fromhex("0000" + pan12)
    return xor_bytes(pin_field, pan_field)


def widen_pin_block(algorithm: Algorithm, block8: bytes) -> bytes:
    """The clear block the pad encrypts: format 0 as is for TDES; for SM4 the 8-byte format-0 block
    followed by eight FF bytes (docs/pinpad.md says why)."""
    return block8 if algorithm is Algorithm.TDES else block8 + b"\xff" * 8


def encrypt_pin_block(algorithm: Algorithm, pin_key: bytes, pin: str, pan12: str) -> bytes:
    return encrypt_ecb(algorithm, pin_key, widen_pin_block(algorithm, format0_pin_block(pin, pan12)))


def decode_pin_block(algorithm: Algorithm, pin_key: bytes, encrypted: bytes, pan12: str) -> str:
    """Recover the PIN from an encrypted block (for the bank host simulator and tests, never the kiosk)."""
    clear = decrypt_ecb(algorithm, pin_key, encrypted)
    if algorithm is Algorithm.SM4:
        if clear[8:] != b"\xff" * 8:
            raise CryptoInputError("SM4 PIN block padding is not FF")
        clear = clear[:8]
    pin_field = xor_bytes(clear, bytes.fromhex("0000" + pan12)).hex().upper()
    length = int(pin_field[1], 16)
    if pin_field[0] != "0" or not PIN_MIN_DIGITS <= length <= PIN_MAX_DIGITS:
        raise CryptoInputError("not a format-0 PIN block")
    pin, filler = pin_field[2 : 2 + length], pin_field[2 + length :]
    if not pin.isdigit() or filler.strip("F"):
        raise CryptoInputError("not a format-0 PIN block")
    return pin


def _zero_pad(data: bytes, block: int) -> bytes:
    # ISO/IEC 9797-1 padding method 1: zeros up to a whole block; empty data becomes one zero block.
    if not data:
        return bytes(block)
    return data + bytes(-len(data) % block)


def retail_mac_x919(key: bytes, data: bytes) -> bytes:
    """ANSI X9.19 retail MAC (8 bytes) under a double-length TDES key."""
    if len(key) != 16:
        raise CryptoInputError("X9.19 needs a double-length (16-byte) TDES key")
    left, right = key[:8], key[8:]
    chain = bytes(8)
    padded = _zero_pad(data, 8)
    for offset in range(0, len(padded), 8):
        # K1=K2=K3 makes TDES single DES.
        chain = encrypt_ecb(Algorithm.TDES, left * 3, xor_bytes(chain, padded[offset : offset + 8]))
    chain = decrypt_ecb(Algorithm.TDES, right * 3, chain)
    return encrypt_ecb(Algorithm.TDES, left * 3, chain)


def sm4_cbc_mac(key: bytes, data: bytes) -> bytes:
    """SM4 CBC-MAC (16 bytes): zero IV, zero padding, the last cipher block (ISO/IEC 9797-1 algorithm 1)."""
    chain = bytes(16)
    padded = _zero_pad(data, 16)
    for offset in range(0, len(padded), 16):
        chain = encrypt_ecb(Algorithm.SM4, key, xor_bytes(chain, padded[offset : offset + 16]))
    return chain


def compute_mac(algorithm: Algorithm, key: bytes, data: bytes) -> bytes:
    return retail_mac_x919(key, data) if algorithm is Algorithm.TDES else sm4_cbc_mac(key, data)
