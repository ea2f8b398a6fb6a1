"""What a social security card says about its holder and itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields

from drivers.sscard.errors import SsCardFormatError
from drivers.sscard.records import EF05_FIELDS, EF06_FIELDS, FIELDS, decode_field, encode_field

SEX_NAMES = {"0": "unknown", "1": "male", "2": "female", "9": "unstated"}  # GB/T 2261.1


@dataclass(frozen=True)
class SsCardData:
    card_number: str  # 社会保障卡卡号, 9 ASCII characters
    id_number: str  # 社会保障号码 = resident ID number (GB 11643)
    name: str
    sex: str  # GB/T 2261.1 code as on the card: "1" male, "2" female
    nation: str  # GB/T 3304 two-digit code, "01" Han
    birthplace: str  # six-digit administrative region code (GB/T 2260)
    birth_date: dt.date
    issue_date: dt.date
    expiry_date: dt.date
    spec_version: str  # "1.00", "2.00", "3.00"
    card_id_code: bytes  # 卡识别码, 16 bytes, the first three BCD region digits
    issuer_org: bytes  # 发卡机构, 12 bytes
    card_category: str  # 卡的类别, one ASCII character

    @property
    def sex_name(self) -> str:
        return SEX_NAMES.get(self.sex, "unknown")

    def to_json(self) -> dict[str, str]:
        """The fields of `kiosk diag sscard read` (dates ISO, binary fields hex)."""
        return {
            "card_number": self.card_number,
            "id_number": self.id_number,
            "name": self.name,
            "sex": self.sex_name,
            "nation": self.nation,
            "birthplace": self.birthplace,
            "birth_date": self.birth_date.isoformat(),
            "issue_date": self.issue_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat(),
            "spec_version": self.spec_version,
            "card_id_code": self.card_id_code.hex().upper(),
            "issuer_org": self.issuer_org.hex().upper(),
        }

    def __repr__(self) -> str:  # keep the ID number out of logs and tracebacks (DESIGN.md §8)
        masked = self.id_number[:4] + "*" * 10 + self.id_number[-4:] if len(self.id_number) >= 8 else "*"
        return f"SsCardData(card_number={self.card_number!r}, id_number={masked!r}, ...)"


def data_from_records(records: Mapping[int, bytes]) -> SsCardData:
    """Build SsCardData from raw records keyed by tag (01-0D); typed error when one is missing or malformed."""
    values: dict[str, object] = {}
    for field in EF05_FIELDS + EF06_FIELDS:
        if field.tag not in records:
            raise SsCardFormatError(f"record {field.tag:02X} ({field.name}) missing")
        values[field.name] = decode_field(field.tag, records[field.tag])
    return SsCardData(**values)  # type: ignore[arg-type]


def records_from_data(data: SsCardData) -> dict[int, bytes]:
    """The inverse of data_from_records, for the simulator."""
    by_name = {f.name: getattr(data, f.name) for f in fields(data)}
    return {
        tag: encode_field(tag, int(by_name[f.name]) if f.name == "nation" else by_name[f.name])
        for tag, f in FIELDS.items()
    }
