"""The 256-byte text block: four layouts, padding, 长期, the code tables, and encoding back."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.idcard.codes import NATION_NAMES, Sex, nation_code, nation_name
from drivers.idcard.errors import IdCardDataError, UnsupportedCardError
from drivers.idcard.simulator import demo_card, demo_photo
from drivers.idcard.text import (
    TEXT_BLOCK_LENGTH,
    CardType,
    encode_text_block,
    parse_text_block,
)
from idcard_fixtures import card_of, date, resident_card


def ucs2(text: str) -> bytes:
    return text.encode("utf-16-le")


def put(block: bytearray, offset: int, text: str) -> None:
    raw = ucs2(text)
    block[offset : offset + len(raw)] = raw


def blank_block() -> bytearray:
    return bytearray(ucs2(" " * 128))


def hand_made_resident_block() -> bytearray:
    """A block written offset by offset from DESIGN.md §3.1, independent of encode_text_block."""
    block = blank_block()
    put(block, 0, "王 小明")
    put(block, 30, "2")
    put(block, 32, "03")
    put(block, 36, "19850615")
    put(block, 52, "山东省烟台市芝罘区")
    put(block, 122, "370602198506150026")
    put(block, 158, "烟台市公安局芝罘分局")
    put(block, 188, "20150101")
    put(block, 204, "20350101")
    return block


def test_resident_block_decodes_by_the_documented_offsets() -> None:
    card = parse_text_block(bytes(hand_made_resident_block()), b"\x01" * 1024)
    assert card.card_type is CardType.RESIDENT
    assert card.name == "王 小明"  # inner space kept, trailing padding gone
    assert card.sex is Sex.FEMALE
    assert (card.nation, card.nation_name) == ("03", "回族")
    assert card.birth_date == dt.date(1985, 6, 15)
    assert card.address == "山东省烟台市芝罘区"
    assert card.id_number == "370602198506150026"
    assert card.issuer == "烟台市公安局芝罘分局"
    assert (card.valid_from, card.valid_to) == (dt.date(2015, 1, 1), dt.date(2035, 1, 1))
    assert card.photo == b"\x01" * 1024
    assert card.pass_number is None and card.english_name is None


def test_long_term_card_has_no_end_date() -> None:
    block = hand_made_resident_block()
    put(block, 204, "长期      ")
    card = parse_text_block(bytes(block))
    assert card.valid_to is None
    assert card.valid_to_text == "长期"
    assert not card.is_expired(dt.date(2099, 1, 1))


def test_permit_block_has_pass_number_and_issue_count_and_no_nation() -> None:
    block = hand_made_resident_block()
    put(block, 32, "  ")
    put(block, 220, "H98765432")
    put(block, 238, "03")
    put(block, 248, "J")
    card = parse_text_block(bytes(block))
    assert card.card_type is CardType.HK_MO_TW_PERMIT
    assert (card.nation, card.nation_name) == ("", "")
    assert (card.pass_number, card.issue_count) == ("H98765432", 3)


def test_foreign_2023_block_joins_the_english_name_across_its_two_fields() -> None:
    block = blank_block()
    put(block, 0, "史密斯")
    put(block, 30, "1")
    put(block, 32, "01")
    put(block, 36, "19800704")
    put(block, 52, "SMITH JOHN WILLIAM ALEXANDER BARTHO")  # 35 characters: the field is full
    put(block, 122, "936137198007040015")
    put(block, 188, "20231201")
    put(block, 204, "20331201")
    put(block, 220, "LOMEW JR")
    put(block, 242, "GBR")
    put(block, 248, "Y")
    card = parse_text_block(bytes(block))
    assert card.card_type is CardType.FOREIGN_PERMANENT
    assert card.english_name == "SMITH JOHN WILLIAM ALEXANDER BARTHOLOMEW JR"
    assert (card.name, card.nationality, card.renewal_count) == ("史密斯", "GBR", 1)
    assert card.birth_date == dt.date(1980, 7, 4)
    assert (card.nation, card.address) == ("", "")


def test_foreign_old_block_uses_its_own_offsets() -> None:
    block = blank_block()
    put(block, 0, "DOE, JANE MARY")
    put(block, 120, "2")
    put(block, 122, "USA370075022810")
    put(block, 152, "USA")
    put(block, 158, "简")
    put(block, 188, "20150601")
    put(block, 204, "20250601")
    put(block, 220, "19750228")
    put(block, 236, "10")
    put(block, 240, "1500")
    put(block, 248, "I")
    card = parse_text_block(bytes(block))
    assert card.card_type is CardType.FOREIGN_PERMANENT_OLD
    assert (card.english_name, card.name, card.sex) == ("DOE, JANE MARY", "简", Sex.FEMALE)
    assert (card.id_number, card.nationality, card.issuer) == ("USA370075022810", "USA", "1500")
    assert card.birth_date == dt.date(1975, 2, 28)
    assert card.card_version == "10"


@pytest.mark.parametrize("card_type", list(CardType))
def test_encoding_then_parsing_gives_the_card_back(card_type: CardType) -> None:
    card = card_of(card_type)
    block = encode_text_block(card)
    assert len(block) == TEXT_BLOCK_LENGTH
    assert parse_text_block(block, card.photo) == card


def test_encoder_writes_the_resident_layout_byte_for_byte() -> None:
    card = parse_text_block(bytes(hand_made_resident_block()))
    assert encode_text_block(card) == bytes(hand_made_resident_block())


def test_unknown_type_flag_is_unsupported() -> None:
    block = hand_made_resident_block()
    put(block, 248, "Z")
    with pytest.raises(UnsupportedCardError) as caught:
        parse_text_block(bytes(block))
    assert caught.value.category == "unsupported_card"


@pytest.mark.parametrize(
    ("offset", "text"),
    [(30, "5"), (36, "19851332"), (36, "1985061 "), (188, "ABCDEFGH"), (204, "永久    "), (122, " " * 18)],
)
def test_bad_content_raises_card_data_error(offset: int, text: str) -> None:
    block = hand_made_resident_block()
    put(block, offset, text)
    with pytest.raises(IdCardDataError):
        parse_text_block(bytes(block))


def test_wrong_block_length_and_broken_ucs2_raise_card_data_error() -> None:
    with pytest.raises(IdCardDataError):
        parse_text_block(bytes(100))
    block = hand_made_resident_block()
    block[0:2] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(IdCardDataError):
        parse_text_block(bytes(block))


def test_nation_table_has_56_nations_and_the_two_special_codes() -> None:
    assert [f"{n:02d}" for n in range(1, 57)] == [code for code in NATION_NAMES if code < "57"]
    assert len(NATION_NAMES) == 58
    assert nation_name("97") == "其他"
    assert nation_name("98") == "外国血统中国籍人士"
    assert nation_name("56") == "基诺族"
    assert nation_name("") == "" and nation_name("77") == ""
    assert nation_code("汉") == nation_code("汉族") == nation_code("1") == "01"


def test_sex_codes_follow_gb_t_2261() -> None:
    assert [Sex.from_code(code) for code in "0129"] == [Sex.UNKNOWN, Sex.MALE, Sex.FEMALE, Sex.UNSTATED]
    assert Sex.from_code("3") is None


def test_demo_card_fills_sex_and_birth_from_the_id_number_and_makes_a_stable_photo() -> None:
    card = demo_card({"name": "李四", "id_number": "370102199003071234"})
    assert card.sex is Sex.MALE  # 17th digit 3 is odd
    assert card.birth_date == dt.date(1990, 3, 7)
    assert card.photo == demo_photo("370102199003071234") and len(card.photo) == 1024
    assert demo_card({"name": "李四", "id_number": "370102199003071234"}) == card


def test_demo_card_refuses_a_field_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="name"):
        demo_card({"name": "一" * 16, "id_number": "370102199003071234"})


def test_repr_never_shows_personal_data() -> None:
    card = resident_card()
    text = repr(card)
    assert card.id_number not in text and card.name not in text and card.address not in text
    assert card.masked_id_number == "1101**********002X"
    assert card.valid_from == date("2016-05-01")
