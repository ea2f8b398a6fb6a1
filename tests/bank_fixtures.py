"""PYTEST_DONT_REWRITE. Shared fixtures of the bank card tests: the bank host simulator, the PIN pad simulator on a
pty with the shared test master key, the client, and virtual PBOC cards in vpcd slot 1 (the journal is conftest's).

Test modules load them with `pytest_plugins = ["sscard_fixtures", "bank_fixtures"]` (pcscd comes from the first).

vpcd slot 1 ("Virtual PCD 00 01", the port after slot 0's) is the kiosk's simulated bank card slot, and the social
security card tests use it too. Inside one test process tests are serial and every fixture pulls its card out; each
process has a pcscd of its own (tests/worker_pcscd.py). Where processes share the machine's pcscd (not root), the
``vpcd_slot1`` fixture holds an exclusive file lock, named by the slot's port, while a test has a card in it.
"""

from __future__ import annotations

import fcntl
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NOW
from drivers.bankcard import BankCardData, CardProfile, PcscBankCardReader
from drivers.bankcard.reader import card_data_from_records
from drivers.bankcard.virtual_card import build_records
from drivers.bankhost import BankHostClient, StanCounter
from drivers.pcsc import VirtualCardClient
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.pinpad import SerialPinPad
from drivers.pinpad.simulator import PinPadSimulator
from parties.bankhost.accounts import Account, demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import install_test_master_key
from sscard_fixtures import card_inserter, card_presence, wait_for

BANK_READER = "Virtual PCD 00 01"
BANK_VPCD_PORT = VPCD_PORT + 1
SLOT1_LOCK = Path(tempfile.gettempdir()) / f"sifee-vpcd-{BANK_VPCD_PORT}.lock"
TERMINAL_ID = "SD370001"
MERCHANT_ID = "898370153990001"
RESIDENT = "370103197003224422"  # a demo person of config/demo_people.toml with an open resident year
OTHER_RESIDENT = "370102200103010040"

ACCOUNTS = demo_accounts()
RICH, SECOND, POOR, EXPIRED, CREDIT = ACCOUNTS  # PINs: 123654 for RICH, 123456 for the others


def card_of(account: Account) -> BankCardData:
    """What the reader returns for the virtual card of ``account`` (the PC/SC path has its own tests)."""
    profile = CardProfile(account.pan, account.expiry, account.pan_sequence, account.aid)
    return card_data_from_records(list(build_records(profile).values()), account.aid)


@dataclass
class PadRig:
    sim: PinPadSimulator
    pad: SerialPinPad

    def enter_pin(self, pan: str, pin: str) -> bytes:
        """A citizen typing ``pin`` while the kiosk waits in read_pin: the pad's encrypted PIN block."""

        def fingers() -> None:
            if self.sim.wait_for_pin_entry(5.0):
                self.sim.type_pin(pin)

        thread = threading.Thread(target=fingers, daemon=True)
        thread.start()
        block = self.pad.read_pin(pan, timeout=10)
        thread.join(2.0)
        return block


@pytest.fixture
def pad_rig() -> Iterator[PadRig]:
    """The PIN pad simulator on a pty, the real driver on it, the shared test master key loaded."""
    with PinPadSimulator() as simulator, SerialPinPad(simulator.port, timeout=2.0) as pad:
        install_test_master_key(pad)
        yield PadRig(simulator, pad)


@pytest.fixture
def bank_host(tmp_path) -> Iterator[BankHostSimulator]:
    with BankHostSimulator(demo_accounts(), state_dir=tmp_path / "bankhost", clock=lambda: NOW) as simulator:
        yield simulator


@pytest.fixture
def make_client(bank_host, pad_rig, tmp_path) -> Callable[..., BankHostClient]:
    def make(timeout: float = 1.0, port: int | None = None, stan_file: str = "stan") -> BankHostClient:
        return BankHostClient(
            "127.0.0.1",
            bank_host.port if port is None else port,
            TERMINAL_ID,
            MERCHANT_ID,
            timeout,
            pad=pad_rig.pad,
            stan=StanCounter(tmp_path / stan_file),
            connect_timeout=1.0,
            clock=lambda: NOW,
        )

    return make


@pytest.fixture
def bank_client(make_client) -> BankHostClient:
    """Signed on: the working keys are in the pad."""
    client = make_client()
    client.sign_on()
    return client


# -- vpcd slot 1 ------
@pytest.fixture
def vpcd_slot1() -> Iterator[None]:
    """Exclusive use of vpcd slot 1 across processes (another test run may be using it)."""
    with open(SLOT1_LOCK, "a+") as handle:
        deadline = time.monotonic() + 90.0
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail("vpcd slot 1 stayed busy for 90 s (another test run?)")
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def card_in_slot(present: bool) -> Callable[[], bool]:
    return card_presence(PcscBankCardReader(BANK_READER), present)


@pytest.fixture
def insert_bank_card(pcscd: str, vpcd_slot1: None) -> Iterator[Callable[..., VirtualCardClient]]:
    """insert_bank_card(card) connects a VirtualPbocCard to vpcd slot 1 and waits until pcscd sees it."""
    assert wait_for(card_in_slot(False)), "vpcd slot 1 still holds a card from before"
    yield from card_inserter(BANK_VPCD_PORT, card_in_slot, "virtual bank card")


@pytest.fixture
def bank_reader(pcscd: str) -> Iterator[PcscBankCardReader]:
    reader = PcscBankCardReader(BANK_READER, timeout=3.0, clock=lambda: NOW)
    yield reader
    reader.close()
