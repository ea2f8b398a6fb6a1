"""A simulated social security card for pcscd's vpcd reader (see drivers.pcsc.vpcd), with fault injection.

It behaves like a T=0 card of the national specification (DESIGN.md §3.2): SELECT by AID of the SSSE application,
SELECT EF05/EF06 by file identifier, READ RECORD `00 B2 rec 04 Le` answering `6C xx` when Le is not the record
length (ISO/IEC 7816-4 §5.1.3), and optionally `61 xx` so that the reader must send GET RESPONSE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from drivers.pcsc.virtual_card import (
    SW_CLA_UNKNOWN,
    SW_INS_UNKNOWN,
    SW_NO_CURRENT_EF,
    SW_NOT_FOUND,
    SW_OK,
    SW_RECORD_NOT_FOUND,
    SW_WRONG_LENGTH,
    SW_WRONG_P1P2,
    LinkFaults,
    VirtualT0Card,
)
from drivers.sscard.data import SsCardData, records_from_data
from drivers.sscard.records import EF05, EF05_FIELDS, EF06, EF06_FIELDS

# "sx1.sh.社会保障" in GBK (DESIGN.md §3.2)
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
# T=0 card, TB1/TC1 = 00, eight historical bytes (our own: "SSCARD30"), no checksum byte for T=0 only.
DEFAULT_ATR = bytes.fromhex("3B680000") + b"SSCARD30"

@dataclass
class CardFaults(LinkFaults):
    """What goes wrong: the link's faults and the social security card's own."""

    records: dict[int, bytes] = field(default_factory=dict)  # tag -> raw record replacing the good one


class VirtualSsCard(VirtualT0Card):
    """The card. Thread-safe enough for one vpcd client thread plus a test thread changing faults."""

    faults: CardFaults

    def __init__(
        self,
        data: SsCardData,
        *,
        strict_le: bool = True,
        use_get_response: bool = False,
        faults: CardFaults | None = None,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        super().__init__(
            faults=faults or CardFaults(), atr=atr, strict_le=strict_le, use_get_response=use_get_response
        )
        self.data = data
        self._records: dict[int, dict[int, bytes]] = {EF05: {}, EF06: {}}
        good = records_from_data(data)
        for file_id, fields_of_file in ((EF05, EF05_FIELDS), (EF06, EF06_FIELDS)):
            for f in fields_of_file:
                self._records[file_id][f.tag] = good[f.tag]
        self._reset_state()

    def _reset_state(self) -> None:
        super()._reset_state()
        self._app_selected = False
        self._current_ef: int | None = None

    def answer(self, cla: int, ins: int, apdu: bytes) -> bytes:
        if cla != 0x00:
            return SW_CLA_UNKNOWN
        handler = {0xA4: self._select, 0xB2: self._read_record}.get(ins)
        return handler(apdu) if handler else SW_INS_UNKNOWN

    # -- commands ------
    def _select(self, apdu: bytes) -> bytes:
        p1, lc = apdu[2], apdu[4] if len(apdu) > 4 else 0
        body = apdu[5 : 5 + lc]
        if len(body) != lc or lc == 0:
            return SW_WRONG_LENGTH
        if p1 == 0x04:  # by DF name
            if body != SSSE_AID:
                return SW_NOT_FOUND
            self._app_selected, self._current_ef = True, None
            fci = bytes([0x6F, len(SSSE_AID) + 2, 0x84, len(SSSE_AID)]) + SSSE_AID
            return self.announce(fci) if self.use_get_response else SW_OK
        if p1 == 0x02:  # EF under the current DF, by file identifier
            file_id = int.from_bytes(body, "big")
            if not self._app_selected or file_id not in self._records:
                return SW_NOT_FOUND
            self._current_ef = file_id
            return SW_OK
        return SW_WRONG_P1P2

    def _read_record(self, apdu: bytes) -> bytes:
        record_number, p2 = apdu[2], apdu[3]
        if p2 != 0x04:  # only "record number in P1" is implemented, as the readers use it
            return SW_WRONG_P1P2
        if self._current_ef is None:
            return SW_NO_CURRENT_EF
        record = self.faults.records.get(record_number, self._records[self._current_ef].get(record_number))
        if record_number not in self._records[self._current_ef] or record is None:
            return SW_RECORD_NOT_FOUND
        return self.case2_answer(record, apdu)


# -- demo cards ------
def demo_sscard(person: Mapping[str, object]) -> SsCardData:
    """A card for a demo person given as a plain dict.

    Needs ``name`` and ``id_number``; optional ``sex`` ("1"/"2"/"male"/"female", default from the ID number),
    ``nation`` (code, default "01"), ``birth_date`` (date or "YYYY-MM-DD", default from the ID number),
    ``birthplace`` (default the ID's region), ``card_number``, ``issue_date``, ``expiry_date`` (default issue +
    10 years), ``spec_version`` ("3.00"), ``card_category`` ("1").
    """
    id_number = str(person["id_number"]).upper()
    digest = hashlib.sha256(id_number.encode()).digest()
    sex = str(person.get("sex") or ("1" if int(id_number[16]) % 2 else "2"))
    sex = {"male": "1", "female": "2", "unknown": "0", "unstated": "9"}.get(sex, sex)
    region = str(person.get("birthplace") or id_number[:6])
    issue_date = _date(person.get("issue_date")) or dt.date(2021, 3, 1)
    expiry_date = _date(person.get("expiry_date")) or issue_date.replace(year=issue_date.year + 10)
    card_number = str(person.get("card_number") or "A" + str(int.from_bytes(digest[:4], "big") % 10**8).zfill(8))
    return SsCardData(
        card_number=card_number,
        id_number=id_number,
        name=str(person["name"]),
        sex=sex,
        nation=f"{int(str(person.get('nation') or '01')):02d}",
        birthplace=region,
        birth_date=_date(person.get("birth_date"))
        or dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
        issue_date=issue_date,
        expiry_date=expiry_date,
        spec_version=str(person.get("spec_version") or "3.00"),
        card_id_code=bytes.fromhex(region) + digest[4:17],
        issuer_org=bytes.fromhex(region) + bytes(9),
        card_category=str(person.get("card_category") or "1"),
    )


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
