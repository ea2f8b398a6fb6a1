"""BER-TLV, DOLs, AFL, GPO answers, track 2 and the card data taken from records: unit tests and fuzzing."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bankcard import BankCardData, BankCardFormatError, TlvError, tlv
from drivers.bankcard.data import UNIONPAY_DEBIT, luhn_complete, luhn_ok, mask_pan, parse_track2
from drivers.bankcard.reader import (
    build_dol_data,
    card_data_from_records,
    directory_aids,
    parse_afl,
    parse_gpo_answer,
    terminal_data,
)
from drivers.bankcard.virtual_card import CardProfile, VirtualPbocCard, build_records

PAN = "6230606601007726888"
PROFILE = CardProfile(PAN, dt.date(2031, 6, 30), pan_sequence=1)


def test_nested_templates_and_multi_byte_tags() -> None:
    fci = VirtualPbocCard(PROFILE).ppse_fci()
    (top,) = tlv.parse(fci)
    assert top.tag == 0x6F and top.constructed
    entry = tlv.find([top], 0x61)
    assert entry is not None and entry.find(0x4F).value == UNIONPAY_DEBIT
    assert tlv.find([top], 0xBF0C) is not None  # a two-byte constructed tag
    assert "bytes" in repr(tlv.find([top], 0x4F)) and "A000" not in repr(top)  # values stay out of repr


def test_long_length_forms() -> None:
    value = bytes(300)
    encoded = tlv.encode(0x90, value)
    assert encoded[:4] == bytes.fromhex("9082012C")
    assert tlv.parse(encoded)[0].value == value
    assert tlv.parse(bytes.fromhex("5A8108") + bytes(8))[0].value == bytes(8)


def test_padding_between_objects_is_skipped() -> None:
    objects = tlv.parse(bytes.fromhex("00 5A 01 12 00 00 FF 5F24 03 311231 00"))
    assert [o.tag for o in objects] == [0x5A, 0x5F24]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("5A", "no length"),
        ("5A05 1234", "runs past the end"),
        ("9F", "cut short"),
        ("9F8181818101 00", "longer than"),
        ("5A80 00", "indefinite"),
        ("5A85 0000000001", "not allowed"),
        ("5A82 01", "cut short"),
        ("70 03 5A 05 12", "runs past the end"),
    ],
)
def test_malformed_tlv_is_a_typed_error(raw: str, message: str) -> None:
    with pytest.raises(TlvError, match=message) as caught:
        tlv.parse(bytes.fromhex(raw))
    assert caught.value.code == "card_error"


def test_nesting_is_bounded() -> None:
    data = b""
    for _ in range(20):
        data = tlv.encode(0x70, data)
    with pytest.raises(TlvError, match="nested deeper"):
        tlv.parse(data)


@st.composite
def tlv_trees(draw: st.DrawFn, depth: int = 0) -> bytes:
    constructed = depth < 3 and draw(st.booleans())
    tag = draw(st.sampled_from([0x70, 0x77, 0xA5, 0xBF0C, 0x61] if constructed else [0x5A, 0x57, 0x9F02, 0x5F24, 0x84]))
    if constructed:
        children = draw(st.lists(tlv_trees(depth + 1), max_size=3))
        return tlv.encode(tag, b"".join(children))
    return tlv.encode(tag, draw(st.binary(max_size=300)))


@given(st.lists(tlv_trees(), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_encoded_trees_parse_back(trees: list[bytes]) -> None:
    objects = tlv.parse(b"".join(trees))
    assert len(objects) == len(trees)
    assert [tlv.encode(o.tag, o.value) for o in objects] == trees


@given(st.binary(max_size=600))
@settings(max_examples=1500, deadline=None)
def test_fuzz_random_bytes_only_typed_errors(data: bytes) -> None:
    try:
        objects = tlv.parse(data)
    except TlvError:
        return
    list(tlv.primitives(objects))


@given(st.lists(tlv_trees(), min_size=1, max_size=3), st.data())
@settings(max_examples=600, deadline=None)
def test_fuzz_mutated_trees_only_typed_errors(trees: list[bytes], data: st.DataObject) -> None:
    raw = bytearray(b"".join(trees))
    for _ in range(data.draw(st.integers(1, 4))):
        if not raw:
            break
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    for candidate in (bytes(raw), bytes(raw[:cut])):
        with contextlib.suppress(TlvError):
            tlv.parse(candidate)
        with contextlib.suppress(BankCardFormatError):
            card_data_from_records([candidate], UNIONPAY_DEBIT)


def test_dol_data_is_fitted_to_each_length() -> None:
    dol = bytes.fromhex("9F7A01 9F0206 5F2A02 9A03 9F3704 DF0102")
    values = terminal_data(dt.date(2026, 11, 27), amount_fen=50000)
    data = build_dol_data(dol, values)
    assert len(data) == 1 + 6 + 2 + 3 + 4 + 2
    assert data[1:7] == bytes.fromhex("000000050000") and data[7:9] == bytes.fromhex("0156")
    assert data[9:12] == bytes.fromhex("261127") and data[-2:] == b"\x00\x00"  # unknown tag: zeros
    assert build_dol_data(bytes.fromhex("9F0203"), values) == bytes.fromhex("050000")  # numeric keeps the right end


def test_afl_rules() -> None:
    assert [(e.sfi, e.first, e.last) for e in parse_afl(bytes.fromhex("08010100 10010302"))] == [(1, 1, 1), (2, 1, 3)]
    for bad in ("", "080101", "08000100", "08020100", "00010100", "0F010100", "08010102"):
        with pytest.raises(BankCardFormatError):
            parse_afl(bytes.fromhex(bad))


def test_gpo_formats() -> None:
    afl = bytes.fromhex("08010100")
    assert parse_gpo_answer(tlv.encode(0x80, b"\x7c\x00" + afl)) == (b"\x7c\x00", afl)
    answer = tlv.encode(0x77, tlv.encode(0x82, b"\x7c\x00") + tlv.encode(0x94, afl))
    assert parse_gpo_answer(answer) == (b"\x7c\x00", afl)
    for bad in (tlv.encode(0x80, b"\x7c"), tlv.encode(0x77, tlv.encode(0x82, b"\x7c\x00")), tlv.encode(0x6F, b"")):
        with pytest.raises(BankCardFormatError):
            parse_gpo_answer(bad)


def test_directory_orders_unionpay_by_priority() -> None:
    def entry(aid: str, priority: int) -> bytes:
        return tlv.encode(0x61, tlv.encode(0x4F, bytes.fromhex(aid)) + tlv.encode(0x87, bytes([priority])))

    fci = tlv.encode(
        0x6F,
        tlv.encode(0x84, b"2PAY.SYS.DDF01")
        + tlv.encode(
            0xA5,
            tlv.encode(
                0xBF0C,
                entry("A000000333010102", 2) + entry("A0000000031010", 1) + entry("A000000333010101", 1),
            ),
        ),
    )
    assert directory_aids(fci) == [bytes.fromhex("A000000333010101"), bytes.fromhex("A000000333010102")]


def test_card_data_from_the_virtual_cards_records() -> None:
    records = list(build_records(PROFILE).values())
    data = card_data_from_records(records, UNIONPAY_DEBIT)
    assert data == BankCardData(PAN, f"{PAN}D31062200000000000", dt.date(2031, 6, 30), UNIONPAY_DEBIT, 1)
    assert data.kind == "debit" and data.expiry_yymm == "3106"


def test_card_data_checks() -> None:
    good = build_records(PROFILE)
    other_pan = luhn_complete("621700123456789")
    wrong_pan = tlv.encode(0x70, tlv.encode(0x5A, bytes.fromhex(other_pan)))
    with pytest.raises(BankCardFormatError, match="disagree"):
        card_data_from_records([good[(1, 1)], wrong_pan], UNIONPAY_DEBIT)
    with pytest.raises(BankCardFormatError, match="track-2"):
        card_data_from_records([good[(2, 1)]], UNIONPAY_DEBIT)
    bad_date = tlv.encode(0x70, tlv.encode(0x5F24, bytes.fromhex("311399")))
    with pytest.raises(BankCardFormatError, match="expiry"):
        card_data_from_records([good[(1, 1)], bad_date], UNIONPAY_DEBIT)
    with pytest.raises(BankCardFormatError, match="template"):
        card_data_from_records([tlv.encode(0x71, b"")], UNIONPAY_DEBIT)
    only_track2 = card_data_from_records([good[(1, 1)]], UNIONPAY_DEBIT)  # PAN and expiry from track 2
    assert only_track2.pan == PAN and only_track2.expiry == dt.date(2031, 6, 30)


def test_track2_and_pan_rules() -> None:
    track = parse_track2(f"{PAN}D3106220123F")
    assert (track.pan, track.expiry_yymm, track.service_code, track.discretionary) == (PAN, "3106", "220", "123")
    for bad in (PAN, f"{PAN}D31", f"{PAN}D3113220", "6230606601007726880D3106220", f"{PAN}D31062201234567890123"):
        with pytest.raises(BankCardFormatError):
            parse_track2(bad)
    assert luhn_ok(PAN) and not luhn_ok("6230606601007726880")
    assert mask_pan(PAN) == "623060*********6888"


def test_card_data_never_shows_the_pan() -> None:
    data = card_data_from_records(list(build_records(PROFILE).values()), UNIONPAY_DEBIT)
    for text in (repr(data), str(data), str(data.to_json())):
        assert PAN not in text and "D3106" not in text
    assert data.to_json()["pan"] == "623060*********6888"
