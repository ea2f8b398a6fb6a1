"""The chip without pcscd: a VirtualPbocCard behind the real ChipSession, through the APDU transmit loop, and a
journal + bank host + software security module rig for the chip payment tests (tests/test_emv_*.py)."""

from __future__ import annotations

import pytest

from conftest import NOW
from drivers.bankcard import BankCardData, VirtualPbocCard
from drivers.bankcard.chip import ChipSession
from drivers.bankcard.reader import card_data_from_records
from drivers.bankcard.virtual_card import AIP
from drivers.bankhost import BankHostClient, StanCounter
from drivers.bankhost.softpad import SoftwareSecurityModule
from drivers.pcsc.apdu import Response, transmit
from drivers.pcsc.errors import CARD_REMOVED, pcsc_error
from drivers.pcsc.vpcd import CardPulled
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import shared_master_key

BANK_TERMINAL = "SD370001"


class DirectLink:
    """What ChipSession needs of a CardConnection, answered by the virtual card itself (a pull is card_removed)."""

    def __init__(self, card: VirtualPbocCard) -> None:
        self.card = card
        self.closed = False

    def transmit_raw(self, apdu: bytes) -> bytes:
        if self.closed:
            raise pcsc_error(CARD_REMOVED, "the card is out")
        try:
            answer = self.card.process_apdu(apdu)
        except CardPulled:
            self.closed = True
            raise pcsc_error(CARD_REMOVED, "the card was pulled") from None
        return answer if answer is not None else b""

    def disconnect(self) -> None:
        self.closed = True


def direct_transmit(connection: DirectLink, apdu: bytes, what: str) -> Response:
    return transmit(connection.transmit_raw, apdu)


def selected(card: VirtualPbocCard) -> BankCardData:
    """SELECT and GPO on the card as the reader does, and its data as the reader returns it."""
    link = DirectLink(card)
    direct_transmit(link, bytes.fromhex("00A4040008") + card.profile.aid + b"\x00", "SELECT")
    pdol = bytes(card.pdol_length())
    direct_transmit(link, bytes([0x80, 0xA8, 0, 0, len(pdol) + 2, 0x83, len(pdol)]) + pdol + b"\x00", "GPO")
    return card_data_from_records(list(card._records.values()), card.profile.aid, AIP)


def chip_of(card: VirtualPbocCard, timeout: float = 2.0) -> ChipSession:
    data = selected(card)

    def restart(link: DirectLink) -> None:
        selected(card)

    return ChipSession(DirectLink(card), data, direct_transmit, timeout, restart)  # type: ignore[arg-type]


# The chip rig's fixtures (tests import them by these names): a bank host that requires IC data, the software
# security module with the shared test master key, and a signed-on client.
@pytest.fixture
def host(tmp_path):
    with BankHostSimulator(demo_accounts(), state_dir=tmp_path / "bank", clock=lambda: NOW, require_ic=True) as sim:
        yield sim


@pytest.fixture
def pad():
    return SoftwareSecurityModule(shared_master_key())


def new_client(host, pad, tmp_path) -> BankHostClient:
    client = BankHostClient(
        "127.0.0.1", host.port, BANK_TERMINAL, "898370153990001", 1.0, pad=pad,
        stan=StanCounter(tmp_path / "stan"), connect_timeout=1.0, clock=lambda: NOW,
    )  # fmt: skip
    client.sign_on()
    return client


@pytest.fixture
def client(host, pad, tmp_path):
    return new_client(host, pad, tmp_path)
