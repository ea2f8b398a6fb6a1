"""The social security card (社会保障卡) over PC/SC: data, record codec, reader driver and the virtual card."""

from drivers.sscard.data import SsCardData, data_from_records, records_from_data
from drivers.sscard.errors import SsCardError, SsCardFormatError
from drivers.sscard.reader import PcscSsCardReader, ReadStats
from drivers.sscard.virtual_card import CardFaults, VirtualSsCard, demo_sscard

__all__ = [
    "CardFaults",
    "PcscSsCardReader",
    "ReadStats",
    "SsCardData",
    "SsCardError",
    "SsCardFormatError",
    "VirtualSsCard",
    "data_from_records",
    "demo_sscard",
    "records_from_data",
]
