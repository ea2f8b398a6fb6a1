"""SAM_V framing: requests, the incremental decoder, the SW3 table."""

from __future__ import annotations

import pytest

from drivers.base import Completion, DeviceError
from drivers.idcard import errors
from drivers.idcard.protocol import (
    MAX_LEN,
    PREAMBLE,
    READ_ANSWER_FRAME_LENGTH,
    Command,
    FrameDecoder,
    Response,
    ResponseDecoder,
    build_request,
    build_response,
    xor_checksum,
)

FIND_ANSWER = build_response(0x9F, bytes(4))


def test_find_card_request_is_the_documented_bytes() -> None:
    assert build_request(Command.FIND_CARD) == bytes.fromhex("AAAAAA9669000320 0122".replace(" ", ""))


def test_every_request_checksum_is_the_xor_from_len_to_before_chk() -> None:
    for command in Command:
        frame = build_request(command)
        assert frame[:5] == PREAMBLE
        assert int.from_bytes(frame[5:7], "big") == len(frame) - 7
        assert frame[-1] == xor_checksum(frame[5:-1])
        assert frame[7:9] == bytes([command.cmd, command.para])


def test_read_answer_frame_is_1295_bytes() -> None:
    frame = build_response(0x90, bytes(4 + 256 + 1024))
    assert len(frame) == READ_ANSWER_FRAME_LENGTH == 1295
    assert frame[5:7] == bytes.fromhex("0508")


def test_decoder_returns_a_whole_answer() -> None:
    [response] = ResponseDecoder().feed(FIND_ANSWER)
    assert response == Response(0, 0, 0x9F, bytes(4))


def test_decoder_skips_garbage_and_false_preamble_starts() -> None:
    noise = bytes.fromhex("00 FF AA AA 96 AA AA AA 96 13 55".replace(" ", ""))
    decoder = ResponseDecoder()
    [response] = decoder.feed(noise + FIND_ANSWER)
    assert response.sw3 == 0x9F


def test_decoder_assembles_an_answer_fed_one_byte_at_a_time() -> None:
    decoder = ResponseDecoder()
    frame = build_response(0x90, bytes(range(200)))
    results = [item for byte in frame for item in decoder.feed(bytes([byte]))]
    assert results == [Response(0, 0, 0x90, bytes(range(200)))]
    assert decoder.pending == 0


def test_decoder_keeps_a_preamble_split_across_reads() -> None:
    decoder = ResponseDecoder()
    assert decoder.feed(b"\x01\x02" + FIND_ANSWER[:3]) == []
    [response] = decoder.feed(FIND_ANSWER[3:])
    assert response.sw3 == 0x9F


def test_decoder_reports_a_bad_checksum_as_a_typed_error_then_decodes_on() -> None:
    corrupted = FIND_ANSWER[:-1] + bytes([FIND_ANSWER[-1] ^ 0x01])
    first, second = ResponseDecoder().feed(corrupted + FIND_ANSWER)
    assert isinstance(first, errors.IdCardChecksumError)
    assert first.category == "checksum"
    assert isinstance(second, Response)


@pytest.mark.parametrize("length", [0, 1, 3, MAX_LEN + 1, 0xFFFF])
def test_decoder_rejects_len_out_of_bounds_and_resynchronises(length: int) -> None:
    false_frame = PREAMBLE + length.to_bytes(2, "big")
    results = ResponseDecoder().feed(false_frame + FIND_ANSWER)
    assert isinstance(results[0], errors.IdCardFrameError)
    assert results[-1] == Response(0, 0, 0x9F, bytes(4))


def test_request_decoder_accepts_the_shortest_request() -> None:
    [body] = FrameDecoder(min_len=3).feed(build_request(Command.SAM_STATUS))
    assert body == bytes([0x11, 0xFF])


def test_decoder_holds_at_most_a_preamble_prefix_of_noise() -> None:
    decoder = FrameDecoder()
    decoder.feed(bytes(10_000) + b"\xaa\xaa")
    assert decoder.pending == 2


# Every SW3 of DESIGN.md §3.1 other than success: its class, fine code and diag category.
SW3_TABLE = {
    0x80: (errors.NoCardError, "no_card"),
    0x81: (errors.SelectCardFailed, "device_error"),
    0x41: (errors.ReadCardFailed, "device_error"),
    0x91: (errors.ItemEmpty, "device_error"),
    0x10: (errors.SamReceivedChecksumError, "checksum"),
    0x11: (errors.SamReceivedLengthError, "device_error"),
    0x21: (errors.SamCommandError, "device_error"),
    0x23: (errors.SamPrivilegeError, "device_error"),
    0x24: (errors.SamUnknownError, "device_error"),
    0x31: (errors.CardAuthenticatesSamFailed, "device_error"),
    0x32: (errors.SamAuthenticatesCardFailed, "device_error"),
    0x33: (errors.CardDataVerificationFailed, "device_error"),
    0x40: (errors.UnknownCardType, "unsupported_card"),
    0x47: (errors.RandomNumberFailed, "device_error"),
    0x60: (errors.SamSelfTestFailed, "device_error"),
    0x66: (errors.SamNotAuthorised, "device_error"),
}


@pytest.mark.parametrize("sw3", sorted(SW3_TABLE))
def test_every_failure_status_maps_to_its_typed_error(sw3: int) -> None:
    cls, category = SW3_TABLE[sw3]
    with pytest.raises(cls) as caught:
        Response(0, 0, sw3, b"").raise_for_status()
    error = caught.value
    assert isinstance(error, DeviceError)
    assert error.category == category
    assert isinstance(error.completion, Completion)
    assert f"SW3 {sw3:02X}" in error.detail and len(error.detail) > 20
    assert error.citizen_message and error.code


def test_fine_codes_are_unique() -> None:
    codes = [row.code or key for key, row in errors.IDCARD_ERRORS.items()]
    assert len(codes) == len(set(codes))


def test_unknown_status_byte_is_a_typed_error() -> None:
    with pytest.raises(errors.UnknownSamStatus) as caught:
        Response(0, 0, 0x55, b"").raise_for_status()
    assert "55" in caught.value.detail


def test_success_statuses_do_not_raise() -> None:
    Response(0, 0, 0x90, b"").raise_for_status()
    Response(0, 0, 0x9F, b"").raise_for_status((0x9F, 0x80))


def all_error_classes() -> list[type[errors.IdCardError]]:
    found, todo = [], [errors.IdCardError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_citizen_message_has_a_chinese_translation() -> None:
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ts = Path(__file__).resolve().parent.parent / "kiosk" / "i18n" / "idcard_zh_CN.ts"
    translations = {
        message.findtext("source"): message.find("translation")
        for context in ET.parse(ts).getroot().iter("context")
        if context.findtext("name") == "DeviceMessage"
        for message in context.iter("message")
    }
    for key, row in errors.IDCARD_ERRORS.items():
        translation = translations[row.citizen_message]
        assert translation.text and translation.get("type") is None, key
    raised = {row.error for row in errors.IDCARD_ERRORS.values()}
    assert set(all_error_classes()) - raised == {errors.IdCardError, errors.SamStatusError}  # every class has a row
