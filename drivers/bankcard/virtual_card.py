"""A simulated PBOC 3.0 (JR/T 0025) contact debit card for pcscd's vpcd reader, with fault injection.

One card per bank simulator account: give it the account (anything with ``pan`` and ``expiry``; optional
``pan_sequence``, ``name``, ``aid``, ``label``) or a CardProfile. It answers what the kiosk's reader sends:
SELECT PPSE / AID (`00 A4 04 00`), GET PROCESSING OPTIONS (`80 A8 00 00`, format 1 or 2), READ RECORD
(`00 B2 rec (SFI<<3)|4`), GET RESPONSE (`00 C0`), as a T=0 card: `6C xx` for a wrong Le, optionally `61 xx`.
GENERATE AC (`80 AE`): it holds its ICC master keys and an ATC and computes the ARQC, TC or AAC with pyemv
(drivers.bankcard.emv_crypto); at the second GENERATE AC it checks the issuer's ARPC, and it runs issuer script
commands (CLA 84) whose MAC checks. Offline data authentication is not simulated: the kiosk always goes online.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drivers.bankcard import emv, emv_crypto, tlv
from drivers.bankcard.data import PPSE_NAME, UNIONPAY_DEBIT, check_pan
from drivers.bankcard.emv_crypto import IccKeys
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
from drivers.pcsc.vpcd import CardPulled

# T=0, historical bytes "PBOC30" (ours): a real card's ATR names its chip and OS.
DEFAULT_ATR = bytes.fromhex("3B660000") + b"PBOC30"

# Data object list the card asks for in GET PROCESSING OPTIONS (PBOC cards ask for these four).
DEFAULT_PDOL = bytes.fromhex("9F7A019F02065F2A029A03")
AIP = bytes.fromhex("7C00")  # SDA, DDA, cardholder verification, terminal risk management supported
CVM_LIST = bytes.fromhex("000000000000000042031F00")  # online PIN if terminal supports, else no CVM
CDOL1 = bytes.fromhex("9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14")
# CDOL2: the authorisation response code, the issuer authentication data (ARPC ‖ ARC), and the terminal data again
CDOL2 = bytes.fromhex("8A02910A9F02069F03069F1A0295055F2A029A039C019F3704")
# 9F10 (PBOC, CVN 01): length 07, DKI 01, CVN 01, CVR (03 length, byte 2 = AC types and issuer auth, 2 more)
IAD_HEAD = bytes.fromhex("070101")
CVR_ISSUER_AUTH_FAILED = 0x08  # CVR byte 2 bit 4
CVR_AC_SECOND = {emv.AAC: 0x00, emv.TC: 0x40}  # CVR byte 2 bits 8-7
CVR_AC_FIRST = {emv.AAC: 0x00, emv.ARQC: 0x20}  # CVR byte 2 bits 6-5
SW_SM_WRONG = b"\x69\x88"  # secure messaging data object incorrect: the script MAC did not check
CID = {emv.AAC: 0x00, emv.TC: 0x40, emv.ARQC: 0x80}


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
    icc_keys: IccKeys | None = None  # None: a card that cannot compute cryptograms (it answers 6985)


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
        icc_keys=getattr(account, "icc_keys", None),
    )


@dataclass
class CardFaults(LinkFaults):
    """What goes wrong: the link's faults and the bank card's own."""

    records: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (SFI, record) -> raw record data
    no_ppse: bool = False  # the card has no PPSE: the reader must try the AIDs one by one
    gpo_answer: bytes | None = None  # raw GPO answer data (without status word) replacing the good one
    first_ac: str | None = None  # "AAC": the card declines offline at the first GENERATE AC
    second_ac: str | None = None  # "AAC": the card declines at the second GENERATE AC whatever the issuer said
    pull_at_second_ac: bool = False  # pulled out when the second GENERATE AC arrives (between the two)
    wrong_arqc: bool = False  # the ARQC is spoiled (a card with another key): the host cannot verify it


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
        tlv.encode(0x8D, CDOL2),
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
        super().__init__(faults=faults or CardFaults(), atr=atr, strict_le=strict_le, use_get_response=use_get_response)
        self.profile = profile_of(account)
        self.gpo_format = gpo_format
        self.pdol = pdol
        self.gpo_data: bytes | None = None  # what the terminal sent for the PDOL (tests look at it)
        self._records = build_records(self.profile)
        self.atc = 0  # application transaction counter: survives resets, as on a real card
        self.answers: list[str] = []  # the cryptogram types it returned (tests look at it)
        self.scripts: list[tuple[bytes, bool]] = []  # issuer script commands received and whether their MAC checked
        self._reset_state()

    def _reset_state(self) -> None:
        super()._reset_state()
        self._selected: bytes | None = None
        self._arqc: tuple[bytes, bytes] | None = None  # (ATC, ARQC) of the transaction under way
        self._issuer_auth_failed = False

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
        if (cla, ins) == (0x80, 0xAE):
            return self._generate_ac(apdu)
        if cla == 0x84:
            return self._issuer_script(apdu)
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
        self._arqc = None
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

    # -- cryptograms ------
    def _generate_ac(self, apdu: bytes) -> bytes:
        keys = self.profile.icc_keys
        body = self._body(apdu)
        if apdu[3] != 0x00 or body is None:
            return SW_WRONG_P1P2 if apdu[3] else SW_WRONG_LENGTH
        if self._selected is None or keys is None or self.gpo_data is None:
            return SW_CONDITIONS
        asked = apdu[2] & 0xC0
        if self._arqc is None:  # the first GENERATE AC of this transaction
            if len(body) != sum(length for _tag, length in tlv.parse_dol(CDOL1)):
                return SW_WRONG_LENGTH
            values = _dol_values(CDOL1, body)
            self.atc = (self.atc + 1) & 0xFFFF
            kind = emv.AAC if self.faults.first_ac == emv.AAC or asked == emv.P1_AAC else emv.ARQC
            iad = self._iad(first=kind, second=None)
            atc = self.atc.to_bytes(2, "big")
            cryptogram = emv_crypto.cryptogram(keys.ac, values, AIP, atc, iad)
            if self.faults.wrong_arqc:
                cryptogram = bytes([cryptogram[0] ^ 0x01]) + cryptogram[1:]
            self._arqc = (atc, cryptogram) if kind == emv.ARQC else None
            return self._ac_answer(kind, atc, cryptogram, iad)
        if self.faults.pull_at_second_ac:
            raise CardPulled
        if len(body) != sum(length for _tag, length in tlv.parse_dol(CDOL2)):
            return SW_WRONG_LENGTH
        values = _dol_values(CDOL2, body)
        atc, arqc = self._arqc
        auth = values[0x91]
        expected = emv_crypto.arpc(keys.ac, atc, arqc, auth[8:10])
        self._issuer_auth_failed = auth[:8] != expected or auth[8:10] != values[0x8A]
        approved = values[0x8A] == b"00" and asked == emv.P1_TC
        declined = self._issuer_auth_failed or self.faults.second_ac == emv.AAC or not approved
        kind = emv.AAC if declined else emv.TC
        iad = self._iad(first=emv.ARQC, second=kind)
        cryptogram = emv_crypto.cryptogram(keys.ac, values, AIP, atc, iad)
        self._arqc = None
        return self._ac_answer(kind, atc, cryptogram, iad)

    def _iad(self, *, first: str, second: str | None) -> bytes:
        byte2 = CVR_AC_FIRST.get(first, 0) | (CVR_AC_SECOND.get(second, 0) if second else 0)
        if self._issuer_auth_failed and second is not None:
            byte2 |= CVR_ISSUER_AUTH_FAILED
        return IAD_HEAD + bytes([0x03, byte2, 0x00, 0x00])

    def _ac_answer(self, kind: str, atc: bytes, cryptogram: bytes, iad: bytes) -> bytes:
        self.answers.append(kind)
        return self.case4_answer(tlv.encode(0x80, bytes([CID[kind]]) + atc + cryptogram + iad))

    # -- issuer scripts ------
    def _issuer_script(self, apdu: bytes) -> bytes:
        """A script command (PUT DATA, APPLICATION BLOCK, ...): accepted when its MAC (the last 4 data bytes) checks
        under the session key of the transaction's ATC."""
        keys = self.profile.icc_keys
        body = self._body(apdu)
        if keys is None or self._selected is None or body is None or len(body) < emv_crypto.SCRIPT_MAC_BYTES:
            return SW_CONDITIONS
        command = apdu[:5] + body[: -emv_crypto.SCRIPT_MAC_BYTES]
        atc = self.atc.to_bytes(2, "big")
        ok = emv_crypto.script_mac(keys.smi, atc, command) == body[-emv_crypto.SCRIPT_MAC_BYTES :]
        self.scripts.append((bytes(apdu), ok))
        return b"\x90\x00" if ok else SW_SM_WRONG


def _dol_values(dol: bytes, data: bytes) -> dict[int, bytes]:
    values: dict[int, bytes] = {}
    offset = 0
    for tag, length in tlv.parse_dol(dol):
        values[tag] = data[offset : offset + length]
        offset += length
    return values
