"""The terminal's chip logic with fixed vectors: CDOL1 data and TVR, field 55, the issuer's answer, the second
GENERATE AC decision; the cryptogram composition against pyemv's own functions."""

from __future__ import annotations

import datetime as dt

import pytest
from pyemv import ac, kd

from drivers.bankcard import emv, emv_crypto
from drivers.bankcard.errors import BankCardFormatError, bankcard_error
from drivers.bankcard.virtual_card import CDOL1
from kiosk.payments import emv_terminal

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")  # pyemv's use of cryptography's TripleDES

WHEN = dt.datetime(2026, 11, 27, 10, 0, 5)
UN = bytes.fromhex("11223344")


def values(tvr: bytes = bytes.fromhex("8000048000")) -> dict[int, bytes]:
    return emv.transaction_values(
        amount_fen=80000, when=WHEN, unpredictable=UN, tvr=tvr, sequence=123, terminal_id="SD370001",
        merchant_name=b"SIFEE KIOSK",
    )  # fmt: skip


def test_tvr_of_a_kiosk_purchase() -> None:
    # ODA not performed (B1b8), online PIN entered (B3b3), floor limit exceeded (B4b8)
    assert emv.purchase_tvr(WHEN.date(), dt.date(2031, 6, 30)).hex().upper() == "8000048000"
    # and an expired card (B2b7)
    assert emv.purchase_tvr(WHEN.date(), dt.date(2024, 3, 31)).hex().upper() == "8040048000"
    assert emv.with_bits(bytes(5), emv.TVR_ISSUER_AUTH_FAILED).hex() == "0000000040"


def test_cdol1_data_of_the_virtual_card() -> None:
    data = emv.dol_data(CDOL1, values())
    assert data.hex().upper() == (
        "000000080000"  # 9F02 amount
        "000000000000"  # 9F03 other amount
        "0156"  # 9F1A country
        "8000048000"  # 95 TVR
        "0156"  # 5F2A currency
        "261127"  # 9A date
        "00"  # 9C type
        "11223344"  # 9F37 unpredictable number
        "100005"  # 9F21 time
        + b"SIFEE KIOSK".ljust(20).hex().upper()  # 9F4E merchant name
    )


def test_unknown_tags_are_zeros_and_numbers_keep_their_right_end() -> None:
    dol = bytes.fromhex("9F02049F5C039F3501")  # amount in 4 bytes, a tag the kiosk does not know, terminal type
    assert emv.dol_data(dol, values()).hex().upper() == "00080000" + "000000" + "24"


def test_generate_ac_commands() -> None:
    assert emv.generate_ac_apdu(emv.P1_ARQC, b"\x01\x02").hex().upper() == "80AE8000020102" + "00"
    assert emv.generate_ac_apdu(emv.P1_TC, b"\x01").hex().upper() == "80AE40000101" + "00"


def test_field55_of_the_0200_in_order() -> None:
    first = emv.AcResponse(0x80, b"\x00\x07", bytes.fromhex("0102030405060708"), bytes.fromhex("07010103200000"))
    all_values = {**values(), 0x82: bytes.fromhex("7C00"), 0x84: bytes.fromhex("A000000333010101"), **first.values()}
    field = emv.field55(all_values)
    assert field.hex().upper() == (
        "9F26080102030405060708" "9F270180" "9F100707010103200000" "9F370411223344" "9F36020007"
        "95058000048000" "9A03261127" "9C0100" "9F0206000000080000" "5F2A020156" "82027C00" "9F1A020156"
        "9F0306000000000000" "9F3303204000" "9F3403420300" "9F350124" "9F1E085344333730303031"
        "8408A000000333010101" "9F09020030" "9F410400000123"
    )  # fmt: skip
    assert [tag for tag in emv.field55_values(field)] == list(emv.FIELD55_TAGS)


def test_card_answers_in_both_formats() -> None:
    one = emv.parse_ac_response(bytes.fromhex("8012" "40" "0007" "0102030405060708" "07010103600000"))
    assert (one.kind, one.atc.hex(), one.cryptogram.hex()) == ("TC", "0007", "0102030405060708")
    two = emv.parse_ac_response(bytes.fromhex("7714" "9F270100" "9F36020009" "9F26081122334455667788"))
    assert (two.kind, two.atc.hex(), two.iad) == ("AAC", "0009", b"")
    with pytest.raises(BankCardFormatError):
        emv.parse_ac_response(bytes.fromhex("8003400001"))


def test_issuer_answer_round_trip() -> None:
    scripts = [[bytes.fromhex("84DA9F790A0000000000000A0B0C0D")]]
    raw = emv.issuer_response(bytes.fromhex("0102030405060708") + b"00", scripts, [])
    assert raw.hex().upper().startswith("910A01020304050607083030" "7111" "860F")
    parsed = emv.parse_issuer_response(raw)
    assert parsed.auth_data and parsed.auth_data[8:] == b"00"
    assert parsed.scripts_before == scripts and parsed.scripts_after == []


def test_only_a_tc_approves_and_each_disagreement_has_its_reason() -> None:
    tc = emv.AcResponse(0x40, b"\x00\x01", bytes(8), bytes.fromhex("07010103600000"))
    aac = emv.AcResponse(0x00, b"\x00\x01", bytes(8), bytes.fromhex("07010103200000"))
    aac_issuer_failed = emv.AcResponse(0x00, b"\x00\x01", bytes(8), bytes.fromhex("07010103280000"))
    arqc_again = emv.AcResponse(0x80, b"\x00\x01", bytes(8), b"")
    assert emv_terminal.decide(tc) == emv_terminal.Decision(True)
    assert emv_terminal.decide(aac).reason == emv_terminal.CARD_DECLINED
    assert emv_terminal.decide(aac_issuer_failed).reason == emv_terminal.ARPC_WRONG
    assert emv_terminal.decide(arqc_again).reason == emv_terminal.CARD_SILENT
    pulled = bankcard_error("card_removed", "gone")
    assert emv_terminal.decide(None, pulled).reason == emv_terminal.CARD_REMOVED_BETWEEN
    assert emv_terminal.decide(None, bankcard_error("card_error", "mute")).reason == emv_terminal.CARD_SILENT


def test_composition_is_pyemvs_option_a_common_session_key_and_arpc_method_1() -> None:
    imk = bytes.fromhex("9E15204313F7318ACB79B90BD986AD29")
    keys = emv_crypto.icc_keys(imk, imk, "6230606601007726888", 1)
    assert keys.ac == kd.derive_icc_mk_a(imk, "6230606601007726888", "01")
    atc, iad, aip = b"\x00\x05", bytes.fromhex("07010103200000"), bytes.fromhex("7C00")
    data = values()
    expected_input = (
        bytes.fromhex("000000080000" "000000000000" "0156" "8000048000" "0156" "261127" "00" "11223344")
        + aip + atc + bytes.fromhex("03200000")
    )  # fmt: skip
    assert emv_crypto.ac_input(data, aip, atc, iad) == expected_input
    session = kd.derive_common_sk(keys.ac, atc + bytes(6))
    arqc = emv_crypto.cryptogram(keys.ac, data, aip, atc, iad)
    assert arqc == ac.generate_ac(session, expected_input, ac.PaddingType.EMV)
    assert emv_crypto.arpc(keys.ac, atc, arqc, b"00") == ac.generate_arpc_1(session, arqc, b"00")
