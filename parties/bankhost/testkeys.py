"""The shared TEST terminal master key of the simulated PIN pad and the bank host simulator.

A real kiosk's master key is loaded in a key ceremony (two people, one component each, docs/pinpad.md) and the
bank keeps its copy in an HSM; nothing here is used with real cards. The components are those of the PIN pad
tests (tests/pinpad_fixtures.py), so a pad set up by either is set up for both.
"""

from __future__ import annotations

from typing import Protocol

from drivers.bankcard.emv_crypto import IccKeys, icc_keys
from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm

TEST_MASTER_COMPONENTS: dict[Algorithm, tuple[bytes, bytes]] = {
    Algorithm.TDES: (
        bytes.fromhex("0123456789ABCDEFFEDCBA9876543210"),
        bytes.fromhex("1F1F1F1F0E0E0E0E" * 2),
    ),
    Algorithm.SM4: (
        bytes.fromhex("00112233445566778899AABBCCDDEEFF"),
        bytes.fromhex("0F0E0D0C0B0A09080706050403020100"),
    ),
}


def shared_master_key(algorithm: Algorithm = Algorithm.TDES) -> bytes:
    return crypto.combine_components(*TEST_MASTER_COMPONENTS[algorithm])


class CeremonyPad(Protocol):
    def select_algorithm(self, algorithm: Algorithm | str) -> None: ...

    def load_master_key_component(self, index: int, component: bytes) -> bytes: ...

    def combine_master_key(self) -> bytes: ...


def install_test_master_key(pad: CeremonyPad, algorithm: Algorithm = Algorithm.TDES) -> bytes:
    """The key ceremony with the test components, on a simulated pad; returns the master key's check value."""
    pad.select_algorithm(algorithm)
    for index, component in enumerate(TEST_MASTER_COMPONENTS[algorithm], start=1):
        pad.load_master_key_component(index, component)
    return pad.combine_master_key()


# The simulated issuer's master keys (TEST only): for application cryptograms and for issuer script MACs. Each
# simulated card holds the ICC master keys derived from them for its PAN and PAN sequence number (option A).
TEST_ISSUER_MASTER_KEYS = (
    bytes.fromhex("9E15204313F7318ACB79B90BD986AD29"),
    bytes.fromhex("4664942FE615FB02E5D57F292AA2B3B6"),
)


def simulated_icc_keys(pan: str, pan_sequence: int | None) -> IccKeys:
    return icc_keys(*TEST_ISSUER_MASTER_KEYS, pan, pan_sequence)
