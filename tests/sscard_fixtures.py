"""PYTEST_DONT_REWRITE. Shared fixtures of the social security card tests: pcscd with vpcd, a demo card, a card.

Test modules load them with `pytest_plugins = ["sscard_fixtures"]` (tests/ is on sys.path: no __init__.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.pcsc import VirtualCardClient, ensure_pcscd
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.sscard import PcscSsCardReader, SsCardData, VirtualSsCard, demo_sscard

# Slot 1 of vpcd (the port after slot 0's) so that a kiosk on slot 0 is not disturbed.
READER = "Virtual PCD 00 01"
SLOT1_PORT = VPCD_PORT + 1

DEMO_PERSON = {
    "name": "欧阳娜娜",
    "id_number": "37010219800101002X",
    "nation": "03",
    "card_number": "N37000001",
    "issue_date": "2020-05-01",
}


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def card_presence(reader: Any, present: bool) -> Callable[[], bool]:
    """A condition for wait_for: ``reader`` (a PC/SC card reader driver) holds a card, or not."""

    def check() -> bool:
        try:
            return reader.card_present() == present
        except Exception:
            return False

    return check


def card_in_reader(present: bool) -> Callable[[], bool]:
    return card_presence(PcscSsCardReader(READER), present)


def card_inserter(
    port: int, presence: Callable[[bool], Callable[[], bool]], what: str
) -> Iterator[Callable[..., VirtualCardClient]]:
    """For a fixture: yields insert(card, wait=True), which connects a virtual card to the vpcd slot on ``port``
    and waits until pcscd sees it; afterwards every card is pulled and the slot seen empty."""
    clients: list[VirtualCardClient] = []

    def insert(card: Any, wait: bool = True) -> VirtualCardClient:
        client = VirtualCardClient(card, port=port)
        client.insert()
        clients.append(client)
        if wait:
            assert wait_for(presence(True)), f"pcscd did not see the {what}"
        return client

    yield insert
    for client in clients:
        client.close()
    wait_for(presence(False))


@pytest.fixture(scope="session")
def pcscd() -> str:
    """pcscd running with vpcd (started here when it is not: CI installs it without starting it)."""
    return ensure_pcscd(timeout=15.0)


@pytest.fixture
def demo_data() -> SsCardData:
    return demo_sscard(DEMO_PERSON)


@pytest.fixture
def insert_card(pcscd: str) -> Iterator[Callable[[VirtualSsCard], VirtualCardClient]]:
    """insert_card(card) connects the virtual card to vpcd slot 0 and waits until pcscd sees it."""
    yield from card_inserter(SLOT1_PORT, card_in_reader, "virtual card")


@pytest.fixture
def reader(pcscd: str) -> Iterator[PcscSsCardReader]:
    sscard_reader = PcscSsCardReader(READER, timeout=3.0)
    yield sscard_reader
    sscard_reader.close()
