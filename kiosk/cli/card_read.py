"""The read shared by the smart-card diag commands (`kiosk diag sscard read`, `kiosk diag bank card`)."""

from __future__ import annotations

import time

from drivers.base import DeviceError
from drivers.pcsc.reader import PcscCardReader
from kiosk.cli.output import print_error, print_json

EXIT_FAILURE = 1
# pcscd notices a freshly inserted card within a few hundred ms: wait at most this long for one to appear.
CARD_SETTLE_SECONDS = 1.5


def read_and_print(reader_class: type[PcscCardReader], reader_name: str, timeout: float) -> int:
    """Read the card in the reader and print it as JSON (the card's own to_json, masked where it must be);
    on failure print ``{"error", "message"}`` and return non-zero."""
    if not timeout > 0:
        print_error("card_error", "--timeout must be a positive number of seconds")
        return EXIT_FAILURE
    reader = reader_class(reader_name, timeout)
    try:
        deadline = time.monotonic() + min(timeout, CARD_SETTLE_SECONDS)
        while not reader.card_present() and time.monotonic() < deadline:
            time.sleep(0.05)
        card = reader.read_card()
    except DeviceError as error:
        print_error(error.code, error.detail)
        return EXIT_FAILURE
    finally:
        reader.close()
    print_json(card.to_json())
    return 0
