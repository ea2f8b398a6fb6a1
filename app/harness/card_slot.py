"""A simulated card slot: a virtual card inserted into (or pulled from) one of pcscd's vpcd readers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.pcsc.vpcd import VPCD_PORT, VirtualCardClient
from drivers.sscard import VirtualSsCard


class VirtualCardSlot:
    """A simulated card slot: a virtual card inserted into (or pulled from) one of pcscd's vpcd readers.

    ``card_factory`` turns what is inserted (a social security card's data, a bank account) into the card. A card
    stays in the slot while its reader loses power (``detach``: pcscd restarts, the reader is unplugged) and
    answers again on ``attach``, as a card left in a real reader does."""

    def __init__(
        self,
        port: int = VPCD_PORT,
        card_factory: Callable[[Any], Any] = VirtualSsCard,
        on_message: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self.port = port
        self.card_factory = card_factory
        self.on_message = on_message  # every vpcd message, for the simulator panel's traffic log
        self.client: VirtualCardClient | None = None
        self.powered = True

    def insert(self, data: Any) -> None:
        self.remove()
        self.client = VirtualCardClient(self.card_factory(data), port=self.port, on_message=self.on_message)
        if self.powered:
            self.client.insert()

    def remove(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def detach(self) -> None:
        """The reader goes dark: the card's link ends, the card stays in the slot."""
        self.powered = False
        if self.client is not None:
            self.client.close()

    def attach(self) -> None:
        """The reader is back: a card left in the slot is seen again."""
        self.powered = True
        if self.client is not None and not self.client.inserted:
            self.client.insert()

    def stop(self) -> None:
        self.remove()
