"""The bank IC card (PBOC / EMV contact) over PC/SC: TLV parser, card data, reader driver, the virtual card."""

from drivers.bankcard.data import (
    PPSE_NAME,
    UNIONPAY_AIDS,
    UNIONPAY_CREDIT,
    UNIONPAY_DEBIT,
    BankCardData,
    luhn_complete,
    luhn_ok,
    mask_pan,
)
from drivers.bankcard.errors import BankCardError, BankCardFormatError, TlvError
from drivers.bankcard.reader import DEFAULT_READER, PcscBankCardReader, ReadStats
from drivers.bankcard.tlv import Tlv
from drivers.bankcard.virtual_card import CardFaults, CardProfile, VirtualPbocCard

__all__ = [
    "DEFAULT_READER",
    "PPSE_NAME",
    "UNIONPAY_AIDS",
    "UNIONPAY_CREDIT",
    "UNIONPAY_DEBIT",
    "BankCardData",
    "BankCardError",
    "BankCardFormatError",
    "CardFaults",
    "CardProfile",
    "PcscBankCardReader",
    "ReadStats",
    "Tlv",
    "TlvError",
    "VirtualPbocCard",
    "luhn_complete",
    "luhn_ok",
    "mask_pan",
]
