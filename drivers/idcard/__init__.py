"""ID card reader (二代证 SAM module, SAM_V protocol of GA 467): driver, text parser, simulator.

See docs/idcard.md and DESIGN.md §3.1.
"""

from drivers.idcard.codes import NATION_NAMES, Sex, nation_name
from drivers.idcard.errors import (
    IdCardChecksumError,
    IdCardDataError,
    IdCardError,
    IdCardFrameError,
    IdCardNoDevice,
    IdCardTimeout,
    NoCardError,
    SamStatusError,
    UnsupportedCardError,
)
from drivers.idcard.reader import SerialIdCardReader
from drivers.idcard.text import LONG_TERM, CardType, IdCardData, encode_text_block, parse_text_block

__all__ = [
    "LONG_TERM",
    "NATION_NAMES",
    "CardType",
    "IdCardChecksumError",
    "IdCardData",
    "IdCardDataError",
    "IdCardError",
    "IdCardFrameError",
    "IdCardNoDevice",
    "IdCardTimeout",
    "NoCardError",
    "SamStatusError",
    "SerialIdCardReader",
    "Sex",
    "UnsupportedCardError",
    "encode_text_block",
    "nation_name",
    "parse_text_block",
]
