"""The card's 256-byte text block (UCS-2 little-endian, U+0020-padded) in its four layouts, both ways.

Layouts: GA 467 / DESIGN.md §3.1; offsets and lengths below are in bytes. The card type flag is at offset 248:
blank for the resident ID card, ``J`` for the Hong Kong/Macau/Taiwan residence permit, ``Y`` for the 2023
foreigner permanent residence card, ``I`` for the older foreigner card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from drivers.idcard.codes import Sex, nation_name
from drivers.idcard.errors import idcard_error

TEXT_BLOCK_LENGTH = 256
TYPE_FLAG_OFFSET = 248
PAD = " "  # U+0020: the only padding character; inner spaces belong to the text (foreign names)
LONG_TERM = "长期"  # valid_to of a card without an end date; IdCardData.valid_to is None then
_ENCODING = "utf-16-le"


class CardType(StrEnum):
    RESIDENT = "resident"
    HK_MO_TW_PERMIT = "hk_mo_tw_permit"  # 港澳台居民居住证, flag J
    FOREIGN_PERMANENT = "foreign_permanent"  # 外国人永久居留身份证 (2023), flag Y
    FOREIGN_PERMANENT_OLD = "foreign_permanent_old"  # 外国人永久居留证 (2017 and before), flag I


TYPE_FLAGS: dict[CardType, str] = {
    CardType.RESIDENT: PAD,
    CardType.HK_MO_TW_PERMIT: "J",
    CardType.FOREIGN_PERMANENT: "Y",
    CardType.FOREIGN_PERMANENT_OLD: "I",
}


@dataclass(frozen=True)
class IdCardData:
    """What a card holds. Personal fields stay out of repr(): never log them (DESIGN.md §8)."""

    card_type: CardType
    name: str = field(repr=False)  # the Chinese name field ("" on a foreigner card without one)
    sex: Sex
    nation: str  # GB/T 3304 two-digit code; "" where the card has none (J, Y, I)
    birth_date: dt.date = field(repr=False)
    address: str = field(repr=False)  # "" on foreigner cards
    id_number: str = field(repr=False)
    issuer: str
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期 (no end date)
    photo: bytes = field(default=b"", repr=False)  # WLT, vendor-encrypted: kept as bytes
    pass_number: str | None = field(default=None, repr=False)  # J: 港澳台居民来往内地通行证 number
    issue_count: int | None = None  # J: how many times the permit was issued
    english_name: str | None = field(default=None, repr=False)  # Y, I
    nationality: str | None = None  # Y, I: ISO 3166-1 alpha-3 code
    renewal_count: int | None = None  # Y: 换证次数
    card_version: str | None = None  # I: version field

    @property
    def nation_name(self) -> str:
        return nation_name(self.nation)

    @property
    def display_name(self) -> str:
        """The name to greet the person with: the Chinese name, else the English one."""
        return self.name or (self.english_name or "")

    @property
    def valid_to_text(self) -> str:
        return LONG_TERM if self.valid_to is None else self.valid_to.isoformat()

    @property
    def masked_id_number(self) -> str:
        """3701**********1234 style (DESIGN.md §6): the form to show or log."""
        keep = 4 if len(self.id_number) >= 12 else 1
        return self.id_number[:keep] + "*" * max(0, len(self.id_number) - 2 * keep) + self.id_number[-keep:]

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < today


# --- decoding -----------------------------------------------------------------------------------


def _field(block: bytes, offset: int, length: int) -> str:
    try:
        return block[offset : offset + length].decode(_ENCODING).rstrip(PAD)
    except UnicodeDecodeError as exc:
        what = f"bytes {offset}..{offset + length} are not UCS-2 text: {exc.reason}"
        raise idcard_error("invalid_card_data", what) from None


def _date(text: str, what: str) -> dt.date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise idcard_error("invalid_card_data", f"{what} {text!r} is not YYYYMMDD")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise idcard_error("invalid_card_data", f"{what} {text!r} is not a calendar date") from None


def _end_date(text: str) -> dt.date | None:
    return None if text == LONG_TERM else _date(text, "valid to")


def _sex(text: str) -> Sex:
    sex = Sex.from_code(text)
    if sex is None:
        raise idcard_error("invalid_card_data", f"sex code {text!r} is not a GB/T 2261.1 code (0, 1, 2, 9)")
    return sex


def _count(text: str, what: str) -> int | None:
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise idcard_error("invalid_card_data", f"{what} {text!r} is not a number")
    return int(text)


def _nation(text: str) -> str:
    if text and not (len(text) == 2 and text.isascii() and text.isdigit()):
        raise idcard_error("invalid_card_data", f"nation {text!r} is not a two-digit GB/T 3304 code")
    return text


def _required(text: str, what: str) -> str:
    if not text:
        raise idcard_error("invalid_card_data", f"{what} is empty")
    return text


def card_type_of(block: bytes) -> CardType:
    """The card type by the flag at offset 248; UnsupportedCardError for any other flag."""
    if len(block) != TEXT_BLOCK_LENGTH:
        raise idcard_error("invalid_card_data", f"text block of {len(block)} bytes, expected {TEXT_BLOCK_LENGTH}")
    raw = block[TYPE_FLAG_OFFSET : TYPE_FLAG_OFFSET + 2]
    for card_type, flag in TYPE_FLAGS.items():
        if raw == flag.encode(_ENCODING):
            return card_type
    if raw == b"\x00\x00":  # some modules leave the reserved area zeroed on resident cards
        return CardType.RESIDENT
    flag = raw.hex(" ").upper()
    raise idcard_error("unsupported_card", f"card type flag {flag} at offset 248 is not blank, J, Y or I")


def parse_text_block(block: bytes, photo: bytes = b"") -> IdCardData:
    """Decode a text block. Raises UnsupportedCardError (unknown flag) or IdCardDataError (bad content)."""
    card_type = card_type_of(block)
    if card_type in (CardType.RESIDENT, CardType.HK_MO_TW_PERMIT):
        is_permit = card_type is CardType.HK_MO_TW_PERMIT
        return IdCardData(
            card_type=card_type,
            name=_required(_field(block, 0, 30), "name"),
            sex=_sex(_field(block, 30, 2)),
            nation="" if is_permit else _nation(_field(block, 32, 4)),
            birth_date=_date(_field(block, 36, 16), "birth date"),
            address=_field(block, 52, 70),
            id_number=_required(_field(block, 122, 36), "ID number"),
            issuer=_field(block, 158, 30),
            valid_from=_date(_field(block, 188, 16), "valid from"),
            valid_to=_end_date(_field(block, 204, 16)),
            photo=photo,
            pass_number=(_field(block, 220, 18) or None) if is_permit else None,
            issue_count=_count(_field(block, 238, 4), "issue count") if is_permit else None,
        )
    if card_type is CardType.FOREIGN_PERMANENT:
        # The English name runs over 52/70 and continues at 220/22: join before stripping the padding.
        english = _field(block[52:122] + block[220:242], 0, 92)
        return IdCardData(
            card_type=card_type,
            name=_field(block, 0, 30),
            sex=_sex(_field(block, 30, 2)),
            nation="",
            birth_date=_date(_field(block, 36, 16), "birth date"),
            address="",
            id_number=_required(_field(block, 122, 36), "ID number"),
            issuer=_field(block, 158, 30),  # 签发机关 of the 2023 layout (158/30)
            valid_from=_date(_field(block, 188, 16), "valid from"),
            valid_to=_end_date(_field(block, 204, 16)),
            photo=photo,
            english_name=english,
            nationality=_field(block, 242, 6),
            renewal_count=_count(_field(block, 32, 4), "renewal count"),
        )
    return IdCardData(
        card_type=card_type,
        name=_field(block, 158, 30),
        sex=_sex(_field(block, 120, 2)),
        nation="",
        birth_date=_date(_field(block, 220, 16), "birth date"),
        address="",
        id_number=_required(_field(block, 122, 30), "card number"),
        issuer=_field(block, 240, 8),  # authority code
        valid_from=_date(_field(block, 188, 16), "valid from"),
        valid_to=_end_date(_field(block, 204, 16)),
        photo=photo,
        english_name=_field(block, 0, 120),
        nationality=_field(block, 152, 6),
        card_version=_field(block, 236, 4) or None,
    )


# --- encoding (the simulator writes cards) ------------------------------------------------------


class _BlockWriter:
    def __init__(self) -> None:
        self.block = bytearray(PAD.encode(_ENCODING) * (TEXT_BLOCK_LENGTH // 2))

    def put(self, offset: int, length: int, text: str, what: str) -> None:
        raw = text.encode(_ENCODING)
        if len(raw) > length:
            raise ValueError(f"{what} {text!r} needs {len(raw)} bytes, the field holds {length}")
        self.block[offset : offset + len(raw)] = raw


def _ymd(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def _end_text(date: dt.date | None) -> str:
    return LONG_TERM if date is None else _ymd(date)


def _count_text(count: int | None, width: int) -> str:
    return "" if count is None else str(count).zfill(width)


def encode_text_block(data: IdCardData) -> bytes:
    """The 256-byte text block of ``data``; ValueError when a field does not fit its layout."""
    out = _BlockWriter()
    if data.card_type in (CardType.RESIDENT, CardType.HK_MO_TW_PERMIT):
        out.put(0, 30, data.name, "name")
        out.put(30, 2, data.sex.code, "sex")
        if data.card_type is CardType.RESIDENT:
            out.put(32, 4, data.nation, "nation")
        out.put(36, 16, _ymd(data.birth_date), "birth date")
        out.put(52, 70, data.address, "address")
        out.put(122, 36, data.id_number, "ID number")
        out.put(158, 30, data.issuer, "issuer")
        out.put(188, 16, _ymd(data.valid_from), "valid from")
        out.put(204, 16, _end_text(data.valid_to), "valid to")
        if data.card_type is CardType.HK_MO_TW_PERMIT:
            out.put(220, 18, data.pass_number or "", "pass number")
            out.put(238, 4, _count_text(data.issue_count, 2), "issue count")
    elif data.card_type is CardType.FOREIGN_PERMANENT:
        english = data.english_name or ""
        out.put(0, 30, data.name, "Chinese name")
        out.put(30, 2, data.sex.code, "sex")
        out.put(32, 4, _count_text(data.renewal_count, 2), "renewal count")
        out.put(36, 16, _ymd(data.birth_date), "birth date")
        out.put(52, 70, english[:35], "English name")
        out.put(220, 22, english[35:], "English name (continued)")
        out.put(122, 36, data.id_number, "ID number")
        out.put(158, 30, data.issuer, "issuer")
        out.put(188, 16, _ymd(data.valid_from), "valid from")
        out.put(204, 16, _end_text(data.valid_to), "valid to")
        out.put(242, 6, data.nationality or "", "nationality")
    else:
        out.put(0, 120, data.english_name or "", "English name")
        out.put(120, 2, data.sex.code, "sex")
        out.put(122, 30, data.id_number, "card number")
        out.put(152, 6, data.nationality or "", "nationality")
        out.put(158, 30, data.name, "Chinese name")
        out.put(188, 16, _ymd(data.valid_from), "valid from")
        out.put(204, 16, _end_text(data.valid_to), "valid to")
        out.put(220, 16, _ymd(data.birth_date), "birth date")
        out.put(236, 4, data.card_version or "", "version")
        out.put(240, 8, data.issuer, "authority")
    out.put(TYPE_FLAG_OFFSET, 2, TYPE_FLAGS[data.card_type], "type flag")
    return bytes(out.block)
