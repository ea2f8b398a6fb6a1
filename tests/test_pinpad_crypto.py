"""PIN pad cryptography: the DESIGN.md test vector, check values, published MAC and cipher vectors."""

from __future__ import annotations

import pytest

from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm, CryptoInputError


def test_design_vector_format0_block() -> None:
    # DESIGN.md §3.3: PIN 123654, PAN 6230606601007726888 -> 06125055FF88D977
    pan12 = crypto.pan_field_digits("6230606601007726888")
    assert pan12 == "660100772688"
    assert crypto.format0_pin_block("123654", pan12) == bytes.fromhex("06125055FF88D977")


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_pin_block_round_trip(algorithm: Algorithm) -> None:
    key = bytes(range(16))
    block = crypto.encrypt_pin_block(algorithm, key, "8765", "123456789012")
    assert len(block) == crypto.BLOCK_SIZE[algorithm]
    assert crypto.decode_pin_block(algorithm, key, block, "123456789012") == "8765"


def test_sm4_block_is_format0_padded_with_ff() -> None:
    key = bytes(range(16))
    block = crypto.encrypt_pin_block(Algorithm.SM4, key, "123654", "660100772688")
    assert crypto.decrypt_ecb(Algorithm.SM4, key, block) == bytes.fromhex("06125055FF88D977") + b"\xff" * 8


def test_sm4_standard_vector() -> None:
    # GB/T 32907-2016 appendix A example 1
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.encrypt_ecb(Algorithm.SM4, key, key) == bytes.fromhex("681edf34d206965e86b3e94f536e4246")


def test_check_values_use_the_algorithms_block() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.check_value(Algorithm.TDES, key) == crypto.encrypt_ecb(Algorithm.TDES, key, bytes(8))[:4]
    assert crypto.check_value(Algorithm.SM4, key) == crypto.encrypt_ecb(Algorithm.SM4, key, bytes(16))[:4]
    assert crypto.check_value(Algorithm.TDES, key) != crypto.check_value(Algorithm.SM4, key)


def test_x919_retail_mac_published_vector() -> None:
    # ANSI X9.19 example: key 0123456789ABCDEF FEDCBA9876543210, "Now is the time for all "
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    assert crypto.retail_mac_x919(key, b"Now is the time for all ") == bytes.fromhex("A1C72E74EA3FA9B6")


def test_x919_with_equal_halves_is_single_des_cbc_mac_fips113() -> None:
    # FIPS 113 example: key 0123456789ABCDEF, "7654321 Now is the time for " -> MAC F1D30F68...
    key = bytes.fromhex("0123456789ABCDEF") * 2
    assert crypto.retail_mac_x919(key, b"7654321 Now is the time for ")[:4] == bytes.fromhex("F1D30F68")


def test_sm4_cbc_mac_is_last_cbc_block() -> None:
    key = bytes(range(16))
    data = bytes(range(40))
    padded = data + bytes(8)
    first = crypto.encrypt_ecb(Algorithm.SM4, key, padded[:16])
    second = crypto.encrypt_ecb(Algorithm.SM4, key, crypto.xor_bytes(first, padded[16:32]))
    third = crypto.encrypt_ecb(Algorithm.SM4, key, crypto.xor_bytes(second, padded[32:48]))
    assert crypto.sm4_cbc_mac(key, data) == third


@pytest.mark.parametrize(
    ("pin", "pan"),
    [
        ("123", "6230606601007726888"),
        ("1234567890123", "6230606601007726888"),
        ("12a4", "6230606601007726888"),
    ],
)
def test_bad_pins_are_refused(pin: str, pan: str) -> None:
    with pytest.raises(CryptoInputError):
        crypto.format0_pin_block(pin, crypto.pan_field_digits(pan))


@pytest.mark.parametrize(
    "pan",
    ["", "123456789012", "62306066010077268881234", "6230x06601007726888", "１２３４５６７８９０１２３"],
)
def test_bad_pans_are_refused(pan: str) -> None:
    with pytest.raises(CryptoInputError):
        crypto.pan_field_digits(pan)


def test_wrong_key_length_is_refused() -> None:
    with pytest.raises(CryptoInputError):
        crypto.check_value(Algorithm.SM4, bytes(24))
