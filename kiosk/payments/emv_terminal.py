"""The kiosk's EMV terminal: the first GENERATE AC before the 0200, the issuer's answer and the second GENERATE AC
after it, and what the two sides' answers mean for the money (DESIGN.md §3.4).

    first GENERATE AC (ARQC asked: an online-only terminal's action analysis always goes online)
        AAC  → declined offline: nothing goes to the host
        ARQC → field 55 in the 0200
    0210 approved → 71 scripts → second GENERATE AC (8A, 91) → TC: approved, then 72 scripts
                                                            → AAC / card pulled / no answer: reversal, with why

The card's data and cryptograms never reach a log; the journal gets the reasons and the cryptogram types.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from drivers.bankcard import BankCardData, emv
from drivers.bankcard.errors import BankCardError
from drivers.base import QT_TRANSLATE_NOOP
from drivers.pcsc.errors import CARD_REMOVED

log = logging.getLogger(__name__)

# Why a reversal was sent when the card and the host disagreed (the journal's note says it in words too)
CARD_DECLINED = "card_declined"  # the host approved, the card answered AAC at the second GENERATE AC
ARPC_WRONG = "arpc_wrong"  # the card could not authenticate the issuer (its CVR says so) and answered AAC
CARD_REMOVED_BETWEEN = "card_removed"  # the card left between the two GENERATE ACs
CARD_SILENT = "card_error"  # the card broke off, or answered what a second GENERATE AC cannot be
REASON_WORDS = {
    CARD_DECLINED: "the host approved but the card declined (AAC at the second GENERATE AC)",
    ARPC_WRONG: "the card could not verify the host's ARPC (issuer authentication failed, AAC)",
    CARD_REMOVED_BETWEEN: "the card was pulled between the first and the second GENERATE AC",
    CARD_SILENT: "the card did not complete the second GENERATE AC",
}
REVERSAL_REASON_CODE = "06"  # field 39 of the 0400: error (the journal keeps the precise reason)

MSG_DECLINED_OFFLINE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "Your card declined this payment. No money was taken. Please use another card or pay by QR code."
)
MSG_CHIP_FAILED = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "The chip on this card could not complete the payment, and this kiosk cannot use the magnetic stripe. "
    "No money was taken. Please use another card or pay by Alipay or WeChat Pay.",
)
MSG_CARD_DECLINED_RETURNED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "Your card did not accept the bank's approval, so the payment was cancelled. No money was taken."
)
MSG_CARD_DECLINED_RETURNING = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "Your card did not accept the bank's approval, so the payment was cancelled. "
    "Your money is being returned to your card.",
)
MSG_REMOVED_RETURNED = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The card was taken out before the payment finished, so it was cancelled. No money was taken."
)
MSG_REMOVED_RETURNING = QT_TRANSLATE_NOOP(
    "DeviceMessage",
    "The card was taken out before the payment finished, so it was cancelled. "
    "Your money is being returned to your card.",
)


class ChipCard(Protocol):
    """What the terminal needs of the card in the slot (drivers.bankcard.chip.ChipSession)."""

    card: BankCardData

    def first_ac(self, values: Mapping[int, bytes]) -> emv.AcResponse: ...

    def second_ac(self, p1: int, values: Mapping[int, bytes]) -> emv.AcResponse: ...

    def script(self, command: bytes) -> int: ...


@dataclass
class ChipTransaction:
    """One purchase on the chip: the terminal's data and the card's cryptograms."""

    values: dict[int, bytes]
    first: emv.AcResponse
    second: emv.AcResponse | None = None
    scripts: list[tuple[str, int]] = field(default_factory=list)  # ("71"/"72", status word)

    @property
    def request_field55(self) -> bytes:
        """Field 55 of the 0200: the ARQC and what it was computed over."""
        return emv.field55({**self.values, **self.first.values()})

    def final_field55(self) -> bytes:
        """Field 55 of a reversal or TC upload: the card's last cryptogram (empty when it never answered)."""
        if self.second is None:
            return b""
        return emv.field55({**self.values, **self.second.values()}, emv.FINAL_AC_TAGS)

    def tc_field55(self) -> bytes:
        """Field 55 of the TC's upload (0320): the TC and the data it was computed over (empty without a second
        answer). The settlement keeps it for the batch upload (kiosk/payments/settlement.py)."""
        if self.second is None:
            return b""
        return emv.field55({**self.values, **self.second.values()}, emv.TC_UPLOAD_TAGS)


def first_generate_ac(
    chip: ChipCard, amount_fen: int, when: dt.datetime, stan: str, terminal_id: str, merchant_name: bytes = b""
) -> ChipTransaction:
    """Terminal action analysis (always online) and the first GENERATE AC. Raises BankCardError."""
    card = chip.card
    values = emv.transaction_values(
        amount_fen=amount_fen,
        when=when,
        unpredictable=os.urandom(4),
        tvr=emv.purchase_tvr(when.date(), card.expiry),
        sequence=int(stan),
        terminal_id=terminal_id,
        merchant_name=merchant_name,
    )
    values[0x82] = card.aip
    values[0x84] = card.aid
    return ChipTransaction(values, chip.first_ac(values))


@dataclass(frozen=True)
class Decision:
    approve: bool
    reason: str | None = None  # one of REASON_WORDS when not approved

    @property
    def words(self) -> str:
        return REASON_WORDS.get(self.reason or "", "approved: the card gave a TC")


def decide(second: emv.AcResponse | None, error: BankCardError | None = None) -> Decision:
    """The second GENERATE AC's meaning after the host approved: only a TC approves."""
    if second is None:
        removed = error is not None and error.code == CARD_REMOVED
        return Decision(False, CARD_REMOVED_BETWEEN if removed else CARD_SILENT)
    if second.kind == emv.TC:
        return Decision(True)
    if second.kind == emv.AAC:
        return Decision(False, ARPC_WRONG if emv.issuer_auth_failed(second.iad) else CARD_DECLINED)
    return Decision(False, CARD_SILENT)


def complete(chip: ChipCard, tx: ChipTransaction, response_code: str, issuer_field55: bytes) -> Decision:
    """After the host approved: 71 scripts, the second GENERATE AC asking for a TC, then (on TC) 72 scripts."""
    try:
        issuer = emv.parse_issuer_response(issuer_field55)
    except BankCardError as error:  # an answer we cannot read gives the card no ARPC: it declines
        log.warning("issuer field 55 unreadable: %s", error.detail)
        issuer = emv.IssuerResponse()
    if _run_scripts(chip, tx, "71", issuer.scripts_before):
        tx.values[0x95] = emv.with_bits(tx.values[0x95], emv.TVR_SCRIPT_FAILED_BEFORE)
    arc = response_code.encode("ascii")
    values = {**tx.values, 0x8A: arc, 0x91: issuer.auth_data or bytes(10)}
    try:
        tx.second = chip.second_ac(emv.P1_TC, values)
    except BankCardError as error:
        log.warning("second GENERATE AC failed: %s", error.code)
        return decide(None, error)
    decision = decide(tx.second)
    if decision.approve:
        _run_scripts(chip, tx, "72", issuer.scripts_after)
    return decision


def decline(chip: ChipCard, tx: ChipTransaction, response_code: str, issuer_field55: bytes = b"") -> str | None:
    """The host declined: the second GENERATE AC asks for an AAC (EMV Book 3 §9.3: the transaction ends with the
    card's own answer, so its counters and logs agree with the issuer). The card's answer type, None when it gave
    none (the payment is declined all the same: no money moved)."""
    try:
        issuer = emv.parse_issuer_response(issuer_field55)
    except BankCardError:
        issuer = emv.IssuerResponse()
    values = {**tx.values, 0x8A: response_code.encode("ascii")[:2].ljust(2, b"0"), 0x91: issuer.auth_data or bytes(10)}
    try:
        tx.second = chip.second_ac(emv.P1_AAC, values)
    except BankCardError as error:
        log.info("second GENERATE AC after a decline: %s", error.code)
        return None
    return tx.second.kind


def _run_scripts(chip: ChipCard, tx: ChipTransaction, kind: str, scripts: list[list[bytes]]) -> bool:
    """Run each script's commands until one fails (EMV Book 3 §10.10); True when one failed."""
    failed = False
    for commands in scripts:
        for command in commands:
            try:
                sw = chip.script(command)
            except BankCardError as error:
                log.warning("issuer script %s: %s", kind, error.code)
                sw = 0x6F00
            tx.scripts.append((kind, sw))
            if sw != 0x9000:
                failed = True
                break
    return failed
