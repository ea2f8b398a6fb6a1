"""The chip session: the connection to a bank card kept open after its read, for the two GENERATE ACs and the
issuer's script commands of the purchase (EMV Book 3 §9.3 and §10.10). The card stays selected between the read
and the PIN; a second purchase on the same card (after a wrong PIN) restarts the application first (SELECT, GPO),
as a card finishes its transaction at the second GENERATE AC.

Every command runs on a worker thread with the reader's timeout (SCardTransmit has none): a silent card is a
card_error with completion TIMEOUT, a pulled one card_removed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TypeVar

from drivers.bankcard import emv
from drivers.bankcard.data import BankCardData
from drivers.bankcard.errors import BankCardError, bankcard_error, from_pcsc
from drivers.base import Completion
from drivers.pcsc.apdu import Response, describe_status_word
from drivers.pcsc.connection import CardConnection
from drivers.pcsc.errors import CARD_ERROR, CARD_REMOVED, PcscError

T = TypeVar("T")
Transmit = Callable[[CardConnection, bytes, str], Response]
Restart = Callable[[CardConnection], None]


class ChipSession:
    def __init__(
        self,
        connection: CardConnection,
        card: BankCardData,
        transmit: Transmit,
        timeout: float,
        restart: Restart | None = None,
    ) -> None:
        self.connection = connection
        self.card = card
        self._transmit = transmit
        self.timeout = timeout
        self._restart = restart
        self._lock = threading.Lock()
        self._in_transaction = False  # a first GENERATE AC answered, the second not yet sent
        self._finished = False  # a transaction ended on this selection: the next one restarts the application
        self._broken: BankCardError | None = None

    def first_ac(self, values: Mapping[int, bytes]) -> emv.AcResponse:
        """GENERATE AC asking for an ARQC (`80 AE 80 00`) with the CDOL1 data built from ``values``."""
        if not self.card.cdol1:
            raise bankcard_error(CARD_ERROR, "the card has no CDOL1 (8C): it cannot go online as a chip card")
        data = emv.dol_data(self.card.cdol1, values)

        def work() -> emv.AcResponse:
            if self._finished or self._in_transaction:
                if self._restart is None:
                    raise bankcard_error(CARD_ERROR, "a second transaction needs the application restarted")
                self._restart(self.connection)
            self._in_transaction, self._finished = True, False
            return self._generate_ac(emv.P1_ARQC, data, "first GENERATE AC")

        return self._run(work)

    def second_ac(self, p1: int, values: Mapping[int, bytes]) -> emv.AcResponse:
        """GENERATE AC asking for a TC (`80 AE 40 00`) or an AAC (`80 AE 00 00`) with the CDOL2 data."""
        if not self.card.cdol2:
            raise bankcard_error(CARD_ERROR, "the card has no CDOL2 (8D)")
        data = emv.dol_data(self.card.cdol2, values)

        def work() -> emv.AcResponse:
            self._in_transaction, self._finished = False, True
            return self._generate_ac(p1, data, "second GENERATE AC")

        return self._run(work)

    def script(self, command: bytes) -> int:
        """One issuer script command as the issuer sent it; the card's status word (9000, 6985, 6988, ...)."""
        return self._run(lambda: self._transmit(self.connection, command, "issuer script").sw)

    def close(self) -> None:
        with self._lock:
            self.connection.disconnect()

    # -- below ------
    def _generate_ac(self, p1: int, data: bytes, what: str) -> emv.AcResponse:
        response = self._transmit(self.connection, emv.generate_ac_apdu(p1, data), what)
        if not response.ok:
            raise bankcard_error(CARD_ERROR, f"{what}: card answered {describe_status_word(response.sw)}")
        return emv.parse_ac_response(response.data)

    def _run(self, work: Callable[[], T]) -> T:
        if self._broken is not None:
            raise self._broken
        outcome: list[T | BaseException] = []

        def run() -> None:
            with self._lock:
                try:
                    outcome.append(work())
                except BaseException as exc:
                    outcome.append(exc)

        worker = threading.Thread(target=run, name="bankcard-chip", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            self._broken = bankcard_error(
                CARD_ERROR, f"no answer from the card within {self.timeout:.1f} s", Completion.TIMEOUT
            )
            raise self._broken
        result = outcome[0]
        if isinstance(result, PcscError) and not isinstance(result, BankCardError):
            result = from_pcsc(result)
        if isinstance(result, BankCardError) and result.code == CARD_REMOVED:
            self._broken = result
        if isinstance(result, BaseException):
            raise result
        return result
