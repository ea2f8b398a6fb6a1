"""A simulated PBOC 3.0 (JR/T 0025) contact debit card for pcscd's vpcd reader, with fault injection.

One card per bank simulator account: give it the account (anything with ``pan`` and ``expiry``; optional
``pan_sequence``, ``name``, ``aid``, ``label``) or a CardProfile. It answers what the kiosk's reader sends:
SELECT PPSE / AID (`00 A4 04 00`), GET PROCESSING OPTIONS (`80 A8 00 00`, format 1 or 2), READ RECORD
(`00 B2 rec (SFI<<3)|4`), GET RESPONSE (`00 C0`), as a T=0 card: `6C xx` for a wrong Le, optionally `61 xx`.
Cryptograms and offline data authentication are not simulated: the kiosk goes online with the track-2
equivalent data and a PIN verified by the host (docs/bank.md says why).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drivers.bankcard import tlv
from drivers.bankcard.data import PPSE_NAME, UNIONPAY_DEBIT, check_pan
from drivers.pcsc.virtual_card import (
    SW_CLA_UNKNOWN,
    SW_CONDITIONS,
    SW_INS_UNKNOWN,
    SW_NOT_FOUND,
    SW_RECORD_NOT_FOUND,
    SW_WRONG_LENGTH,
    SW_WRONG_P1P2,
    LinkFaults,
    VirtualT0Card,
)

# T=0, historical bytes "PBOC30" (ours): a real card's ATR names its chip and OS.
DEFAULT_ATR = bytes.fromhex("3B660000") + b"PBOC30"

# Data object list the card asks for in GET PROCESSING OPTIONS (PBOC cards ask for these four).
DEFAULT_PDOL = bytes.fromhex("9F7A019F02065F2A029A03")
AIP = bytes.fromhex("7C00")  # SDA, DDA, cardholder verification, terminal risk management supported
CVM_LIST = bytes.fromhex("000000000000000042031F00")  # online PIN if terminal supports, else no CVM
CDOL1 = bytes.fromhex("9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14")


@dataclass(frozen=True)
class CardProfile:
    pan: str
    expiry: dt.date
    pan_sequence: int = 1
    aid: bytes = UNIONPAY_DEBIT
    label: str = "UnionPay Debit"
    name: str = ""
    service_code: str = "220"  # 2: international card with chip; 2: issuer authorisation; 0: PIN required
    effective: dt.date = dt.date(2020, 1, 1)


def profile_of(account: object) -> CardProfile:
    if isinstance(account, CardProfile):
        return account
    expiry = account.expiry  # type: ignore[attr-defined]
    if isinstance(expiry, str):
        expiry = dt.date.fromisoformat(expiry)
    return CardProfile(
        pan=str(account.pan),  # type: ignore[attr-defined]
        expiry=expiry,
        pan_sequence=int(getattr(account, "pan_sequence", 1) or 0),
        aid=bytes(getattr(account, "aid", UNIONPAY_DEBIT) or UNIONPAY_DEBIT),
        label=str(getattr(account, "label", "") or "UnionPay Debit"),
        name=str(getattr(account, "name", "") or ""),
    )


@dataclass
class CardFaults(LinkFaults):
    """What goes wrong: the link's faults and the bank card's own."""

    records: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (SFI, record) -> raw record data
    no_ppse: bool = False  # the card has no PPSE: the reader must try the AIDs one by one
    gpo_answer: bytes | None = None  # raw GPO answer data (without status word) replacing the good one


def _bcd(digits: str) -> bytes:
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex(digits)


def _yymmdd(date: dt.date) -> bytes:
    return bytes.fromhex(date.strftime("%y%m%d"))


def build_records(profile: CardProfile) -> dict[tuple[int, int], bytes]:
    """The card's records (SFI, record) -> `70` template, in the layout of a PBOC debit card."""
    check_pan(profile.pan)
    track2 = f"{profile.pan}D{profile.expiry:%y%m}{profile.service_code}{'0' * 10}"
    name = (profile.name or "CARDHOLDER").encode("ascii", "replace")[:26]
    sfi1 = tlv.encode_constructed(
        0x70,
        tlv.encode(0x57, _bcd(track2)),
        tlv.encode(0x5F20, name),
        tlv.encode(0x9F1F, b"0000000000"),
    )
    sfi2 = tlv.encode_constructed(
        0x70,
        tlv.encode(0x5A, _bcd(profile.pan)),
        tlv.encode(0x5F24, _yymmdd(profile.expiry)),
        tlv.encode(0x5F25, _yymmdd(profile.effective)),
        tlv.encode(0x5F28, bytes.fromhex("0156")),
        tlv.encode(0x5F34, bytes.fromhex(f"{profile.pan_sequence % 100:02d}")),
        tlv.encode(0x9F07, bytes.fromhex("FF00")),
        tlv.encode(0x8E, CVM_LIST),
        tlv.encode(0x8C, CDOL1),
        tlv.encode(0x9F0D, bytes.fromhex("D860AC8800")),
        tlv.encode(0x9F0E, bytes(5)),
        tlv.encode(0x9F0F, bytes.fromhex("D868BC9800")),
    )
    # Issuer public key certificate: 176 bytes, so the template needs the long length form (70 81 xx).
    sfi3 = tlv.encode_constructed(
        0x70,
        tlv.encode(0x8F, b"\x80"),
        tlv.encode(0x90, bytes((i * 7 + 3) & 0xFF for i in range(176))),
        tlv.encode(0x9F32, b"\x03"),
    )
    return {(1, 1): sfi1, (2, 1): sfi2, (3, 1): sfi3}


AFL = bytes.fromhex("080101001001010118010100")  # SFI 1 rec 1; SFI 2 rec 1 (signed); SFI 3 rec 1


class VirtualPbocCard(VirtualT0Card):
    """The card. Safe for one vpcd client thread plus a test thread changing faults."""

    faults: CardFaults

    def __init__(
        self,
        account: object,
        *,
        strict_le: bool = True,
        use_get_response: bool = False,
        gpo_format: int = 2,
        pdol: bytes | None = DEFAULT_PDOL,
        faults: CardFaults | None = None,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        super().__init__(
            faults=faults or CardFaults(), atr=atr, strict_le=strict_le, use_get_response=use_get_response
        )
        self.profile = profile_of(account)
        self.gpo_format = gpo_format
        self.pdol = pdol
        self.gpo_data: bytes | None = None  # what the terminal sent for the PDOL (tests look at it)
        self._records = build_records(self.profile)
        self._reset_state()

    def _reset_state(self) -> None:
        super()._reset_state()
        self._selected: bytes | None = None

    # -- what the card holds ------
    def ppse_fci(self) -> bytes:
        entry = tlv.encode_constructed(
            0x61,
            tlv.encode(0x4F, self.profile.aid),
            tlv.encode(0x50, self.profile.label.encode("ascii")),
            tlv.encode(0x87, b"\x01"),
        )
        return tlv.encode_constructed(
            0x6F,
            tlv.encode(0x84, PPSE_NAME),
            tlv.encode_constructed(0xA5, tlv.encode_constructed(0xBF0C, entry)),
        )

    def application_fci(self) -> bytes:
        proprietary = [
            tlv.encode(0x50, self.profile.label.encode("ascii")),
            tlv.encode(0x87, b"\x01"),
        ]
        if self.pdol is not None:
            proprietary.append(tlv.encode(0x9F38, self.pdol))
        proprietary += [
            tlv.encode(0x5F2D, b"zhen"),
            tlv.encode(0x9F11, b"\x01"),
            tlv.encode(0x9F12, "银联借记卡".encode("gbk")),  # preferred name in the issuer code table
            tlv.encode_constructed(0xBF0C, tlv.encode(0x9F4D, bytes.fromhex("0B0A"))),
        ]
        return tlv.encode_constructed(
            0x6F, tlv.encode(0x84, self.profile.aid), tlv.encode_constructed(0xA5, *proprietary)
        )

    def pdol_length(self) -> int:
        return sum(length for _tag, length in tlv.parse_dol(self.pdol or b""))

    # -- the APDU loop ------
    def answer(self, cla: int, ins: int, apdu: bytes) -> bytes:
        if (cla, ins) == (0x80, 0xA8):
            return self._gpo(apdu)
        if cla != 0x00:
            return SW_CLA_UNKNOWN
        handler = {0xA4: self._select, 0xB2: self._read_record}.get(ins)
        return handler(apdu) if handler else SW_INS_UNKNOWN

    @staticmethod
    def _body(apdu: bytes) -> bytes | None:
        if len(apdu) <= 5:
            return None
        lc = apdu[4]
        body = apdu[5 : 5 + lc]
        if len(body) != lc or len(apdu) not in (5 + lc, 6 + lc):
            return None
        return body

    def _select(self, apdu: bytes) -> bytes:
        if apdu[2:4] != b"\x04\x00":
            return SW_WRONG_P1P2
        name = self._body(apdu)
        if not name:
            return SW_WRONG_LENGTH
        if name == PPSE_NAME and not self.faults.no_ppse:
            self._selected = None
            return self.case4_answer(self.ppse_fci())
        if name == self.profile.aid:
            self._selected = name
            return self.case4_answer(self.application_fci())
        return SW_NOT_FOUND

    def _gpo(self, apdu: bytes) -> bytes:
        if apdu[2:4] != b"\x00\x00":
            return SW_WRONG_P1P2
        if self._selected is None:
            return SW_CONDITIONS
        body = self._body(apdu)
        if body is None or len(body) < 2 or body[0] != 0x83 or body[1] != len(body) - 2:
            return SW_WRONG_LENGTH
        if body[1] != self.pdol_length():
            return SW_WRONG_LENGTH
        self.gpo_data = body[2:]
        if self.faults.gpo_answer is not None:
            answer = self.faults.gpo_answer
        elif self.gpo_format == 1:
            answer = tlv.encode(0x80, AIP + AFL)
        else:
            answer = tlv.encode_constructed(0x77, tlv.encode(0x82, AIP), tlv.encode(0x94, AFL))
        return self.case4_answer(answer)

    def _read_record(self, apdu: bytes) -> bytes:
        record, p2 = apdu[2], apdu[3]
        if p2 & 0x07 != 0x04 or record == 0:
            return SW_WRONG_P1P2
        if self._selected is None:
            return SW_CONDITIONS
        key = (p2 >> 3, record)
        data = self.faults.records.get(key, self._records.get(key))
        if data is None:
            return SW_RECORD_NOT_FOUND
        return self.case2_answer(data, apdu)
