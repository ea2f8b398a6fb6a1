"""Shared fixtures of the PIN pad tests: a simulator on a pty, the driver on its port, a key ceremony.

Import ``rig_fixture`` / ``sim_fixture`` into a test module to get the fixtures ``rig`` and ``sim``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from drivers.pinpad import SerialPinPad, crypto
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.simulator import PinPadSimulator
from parties.bankhost.testkeys import TEST_MASTER_COMPONENTS

# DESIGN.md §3.3 test vector
PAN = "6230606601007726888"
PIN = "123654"
CLEAR_BLOCK = bytes.fromhex("06125055FF88D977")

COMPONENTS = TEST_MASTER_COMPONENTS  # the simulated world's test master key (parties/bankhost/testkeys.py)
PIN_KEYS = {
    Algorithm.TDES: bytes.fromhex("11223344556677889900AABBCCDDEEFF"),
    Algorithm.SM4: bytes.fromhex("FEDCBA98765432100123456789ABCDEF"),
}
MAC_KEYS = {
    Algorithm.TDES: bytes.fromhex("0123456789ABCDEFFEDCBA9876543210"),
    Algorithm.SM4: bytes.fromhex("A1A2A3A4A5A6A7A8B1B2B3B4B5B6B7B8"),
}


@dataclass
class Rig:
    sim: PinPadSimulator
    pad: SerialPinPad


@pytest.fixture(name="sim")
def sim_fixture() -> Iterator[PinPadSimulator]:
    with PinPadSimulator() as simulator:
        yield simulator


@pytest.fixture(name="rig")
def rig_fixture(sim: PinPadSimulator) -> Iterator[Rig]:
    with SerialPinPad(sim.port, timeout=1.0) as pad:
        yield Rig(sim, pad)


def master_key(algorithm: Algorithm) -> bytes:
    return crypto.combine_components(*COMPONENTS[algorithm])


def under_master(algorithm: Algorithm, key: bytes) -> tuple[bytes, bytes]:
    """What the bank host sends at sign-on: the key under the master key, and the key's check value."""
    return crypto.encrypt_ecb(algorithm, master_key(algorithm), key), crypto.check_value(algorithm, key)


def load_all_keys(pad: SerialPinPad, algorithm: Algorithm) -> None:
    pad.select_algorithm(algorithm)
    for index, component in enumerate(COMPONENTS[algorithm], start=1):
        pad.load_master_key_component(index, component)
    pad.combine_master_key()
    pad.load_working_key("pin", *under_master(algorithm, PIN_KEYS[algorithm]))
    pad.load_working_key("mac", *under_master(algorithm, MAC_KEYS[algorithm]))


def when_pin_entry(sim: PinPadSimulator, fingers: Callable[[PinPadSimulator], None]) -> threading.Thread:
    """Run ``fingers`` on the pad once it is in PIN entry (a citizen typing while read_pin waits)."""

    def run() -> None:
        assert sim.wait_for_pin_entry(5.0)
        fingers(sim)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
