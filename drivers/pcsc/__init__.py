"""What every smart card on the kiosk shares: pcscd, the vpcd virtual reader, APDUs, reader discovery, monitor.

The social security card (drivers.sscard) and the bank card build on it. Plain Python, no Qt.
"""

from drivers.pcsc.apdu import Response, describe_status_word, split_response, transmit
from drivers.pcsc.connection import CardConnection, PcscContext
from drivers.pcsc.daemon import ensure_pcscd
from drivers.pcsc.errors import PcscError
from drivers.pcsc.monitor import CardEvent, CardMonitor
from drivers.pcsc.vpcd import CardPulled, VirtualCardClient

__all__ = [
    "CardConnection",
    "CardEvent",
    "CardMonitor",
    "CardPulled",
    "PcscContext",
    "PcscError",
    "Response",
    "VirtualCardClient",
    "describe_status_word",
    "ensure_pcscd",
    "split_response",
    "transmit",
]
