"""The record codec, the APDU helpers and demo cards, without pcscd; hypothesis fuzzing of the parser."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.pcsc.apdu import transmit, with_le
from drivers.pcsc.errors import PcscError
from drivers.sscard import SsCardFormatError, data_from_records, demo_sscard, records_from_data
from drivers.sscard.records import FIELDS, decode_bcd, decode_field, encode_bcd, encode_field
from sscard_fixtures import DEMO_PERSON


def test_demo_card_round_trips_through_records() -> None:
    data = demo_sscard(DEMO_PERSON)
    assert data_from_records(records_from_data(data)) == data
    assert data.sex == "2" and data.birth_date == dt.date(1980, 1, 1) and data.birthplace == "370102"
    assert data.expiry_date == dt.date(2030, 5, 1)


def test_records_have_the_spec_layout() -> None:
    records = records_from_data(demo_sscard(DEMO_PERSON))
    # DESIGN.md §3.2: name 30 bytes GBK 00-padded, birth date BCD, nation binary, birthplace F-padded BCD
    assert records[0x09][:2] == bytes([0x09, 30]) and records[0x09][2:10] == "欧阳娜娜".encode("gbk")
    assert records[0x09][10:] == bytes(22)
    assert records[0x0D] == bytes.fromhex("0D0419800101")
    assert records[0x0B] == bytes([0x0B, 1, 3])
    assert records[0x03] == b"\x03\x043.00"
    assert encode_field(0x0C, "3701") == bytes.fromhex("0C033701FF")


def test_bcd_padding_rules() -> None:
    assert decode_bcd(bytes.fromhex("3701FF"), 0x0C) == "3701"
    assert encode_bcd("12345", 3) == bytes.fromhex("12345F")
    for bad in ("37F1FF", "3A01FF"):
        with pytest.raises(SsCardFormatError):
            decode_bcd(bytes.fromhex(bad), 0x0C)


@pytest.mark.parametrize(
    ("tag", "record", "reason"),
    [
        (0x0D, bytes.fromhex("0D0419801301"), "no such date"),
        (0x0D, bytes.fromhex("0E0419800101"), "tag 0E"),
        (0x0D, bytes.fromhex("0D0519800101"), "length byte"),
        (0x0B, bytes([0x0B, 1, 77]), "GB/T 3304"),
        (0x0A, b"\x0a\x013", "GB/T 2261.1"),
        (0x08, b"\x08\x12" + b"1234567890123456XX", "check character"),
        (0x09, b"\x09\x04\xff\xff\x00\x00", "GBK"),
        (0x09, b"\x09\x04\xd5\xc5\x00\x41", "NUL"),
        (0x01, b"\x01\x02\x00\x00", "expected 16"),
    ],
)
def test_malformed_records_raise_format_errors(tag: int, record: bytes, reason: str) -> None:
    with pytest.raises(SsCardFormatError, match=reason) as caught:
        decode_field(tag, record)
    assert caught.value.code == "card_error"


def test_missing_record_is_a_format_error() -> None:
    records = records_from_data(demo_sscard(DEMO_PERSON))
    del records[0x07]
    with pytest.raises(SsCardFormatError, match="07"):
        data_from_records(records)


def test_repr_masks_the_id_number() -> None:
    assert "37010219800101002X" not in repr(demo_sscard(DEMO_PERSON))


# -- APDU helpers -----------------------------------------------------------------------------------------------


class ScriptedCard:
    """Answers C-APDUs from a script and records what it was sent."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = [bytes.fromhex(a) for a in answers]
        self.sent: list[bytes] = []

    def __call__(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.answers.pop(0)


def test_transmit_resends_with_le_on_6c() -> None:
    card = ScriptedCard(["6C04", "0D02AABB9000"])
    response = transmit(card, bytes.fromhex("00B20D0400"))
    assert card.sent == [bytes.fromhex("00B20D0400"), bytes.fromhex("00B20D0404")]
    assert response.ok and response.data == bytes.fromhex("0D02AABB")


def test_transmit_follows_61_with_get_response_repeatedly() -> None:
    card = ScriptedCard(["6102", "AABB6103", "CCDDEE9000"])
    response = transmit(card, bytes.fromhex("00A4040002AABB"))
    assert card.sent[1:] == [bytes.fromhex("00C0000002"), bytes.fromhex("00C0000003")]
    assert response.data == bytes.fromhex("AABBCCDDEE") and response.sw == 0x9000


def test_transmit_returns_error_status_words_and_rejects_short_answers() -> None:
    assert transmit(ScriptedCard(["6A83"]), bytes(5)).sw == 0x6A83
    with pytest.raises(PcscError, match="too short"):
        transmit(ScriptedCard(["90"]), bytes(5))


def test_endless_61_chain_is_a_card_error() -> None:
    with pytest.raises(PcscError, match="GET RESPONSE"):
        transmit(ScriptedCard(["6101"] * 40), bytes(5))


def test_with_le_replaces_or_appends_le() -> None:
    assert with_le(bytes.fromhex("00B2010400"), 0x12) == bytes.fromhex("00B2010412")
    assert with_le(bytes.fromhex("00A4020002EF05"), 0x10) == bytes.fromhex("00A4020002EF0510")


# -- fuzzing --------------------------------------------------------------------------------------------------

TAGS = st.sampled_from(sorted(FIELDS))


@settings(max_examples=400, deadline=None)
@given(tag=TAGS, record=st.binary(max_size=40))
def test_random_records_raise_only_format_errors(tag: int, record: bytes) -> None:
    with contextlib.suppress(SsCardFormatError):  # anything else fails the test
        decode_field(tag, record)


@settings(max_examples=400, deadline=None)
@given(tag=TAGS, data=st.data())
def test_mutated_records_raise_only_format_errors(tag: int, data: st.DataObject) -> None:
    good = bytearray(records_from_data(demo_sscard(DEMO_PERSON))[tag])
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "truncate", "extend"]))
        if action == "flip" and good:
            good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
        elif action == "truncate":
            del good[data.draw(st.integers(0, len(good))) :]
        else:
            good += data.draw(st.binary(min_size=1, max_size=4))
    with contextlib.suppress(SsCardFormatError):
        decode_field(tag, bytes(good))


@settings(max_examples=200, deadline=None)
@given(records=st.dictionaries(TAGS, st.binary(max_size=34), max_size=13))
def test_random_record_sets_raise_only_format_errors(records: dict[int, bytes]) -> None:
    with contextlib.suppress(SsCardFormatError):
        data_from_records(records)
