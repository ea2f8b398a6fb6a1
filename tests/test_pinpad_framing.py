"""ZT588-family framing: hand-computed frames, the decoder's events, resynchronisation, fuzzing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.pinpad.errors import PinPadError, PinPadProtocolError
from drivers.pinpad.framing import Frame, FrameDecoder, Key, KeyEvent, StrayBytes, encode_frame
from drivers.pinpad.protocol import Response, parse_response


def test_frame_layout_by_hand() -> None:
    # "ST": length "002"; XOR 0x30^0x30^0x32^0x53^0x54^0x03 = 0x36
    assert encode_frame(b"ST") == b"\x02002ST\x0336"


def test_decoder_returns_frames_and_keys_in_order() -> None:
    decoder = FrameDecoder()
    data = b"**" + encode_frame(b"PE,00") + b"*\x08\x1b\r"
    assert decoder.feed(data) == [
        KeyEvent(Key.ASTERISK),
        KeyEvent(Key.ASTERISK),
        Frame(b"PE,00"),
        KeyEvent(Key.ASTERISK),
        KeyEvent(Key.CLEAR),
        KeyEvent(Key.CANCEL),
        KeyEvent(Key.ENTER),
    ]


def test_decoder_is_incremental_byte_by_byte() -> None:
    decoder = FrameDecoder()
    frame = encode_frame(b"KV,00,TMK=01020304")
    items = [item for byte in frame for item in decoder.feed(bytes([byte]))]
    assert items == [Frame(b"KV,00,TMK=01020304")]


def test_digits_outside_frames_never_come_out() -> None:
    # A pad in plain-text mode sends digits: the decoder keeps only their count.
    items = FrameDecoder().feed(b"123654")
    assert items == [StrayBytes(6)]
    assert not any("1" in repr(item) for item in items)


def test_bad_checksum_is_a_typed_error_and_the_next_frame_survives() -> None:
    broken = bytearray(encode_frame(b"ST,00"))
    broken[-1] ^= 0x01
    items = FrameDecoder().feed(bytes(broken) + encode_frame(b"RS,00"))
    assert isinstance(items[0], PinPadProtocolError) and items[0].code == "pinpad_frame_checksum"
    assert items[1:] == [Frame(b"RS,00")]


def test_truncated_frame_resyncs_on_next_stx() -> None:
    items = FrameDecoder().feed(b"\x0200" + encode_frame(b"ST,00"))
    assert isinstance(items[0], PinPadProtocolError) and items[0].code == "pinpad_bad_frame"
    assert items[1:] == [Frame(b"ST,00")]


def test_wrong_length_field_is_reported() -> None:
    items = FrameDecoder().feed(b"\x02003ST\x0306")  # says 3 bytes, carries 2
    assert any(isinstance(item, PinPadProtocolError) for item in items)
    assert not any(isinstance(item, Frame) for item in items)


def _decode_all(chunks: list[bytes]) -> list[object]:
    decoder = FrameDecoder()
    items: list[object] = []
    for chunk in chunks:
        items.extend(decoder.feed(chunk))
    return items


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_fuzz_random_bytes_give_only_known_items(chunks: list[bytes]) -> None:
    for item in _decode_all(chunks):
        assert isinstance(item, Frame | KeyEvent | StrayBytes | PinPadProtocolError)


payloads = st.binary(min_size=0, max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    payloads, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 255)), min_size=1, max_size=4), st.data()
)
def test_fuzz_mutated_frames(payload: bytes, mutations: list[tuple[int, int]], data: st.DataObject) -> None:
    frame = bytearray(encode_frame(payload))
    for position, value in mutations:
        frame[position % len(frame)] = value
    cut = data.draw(st.integers(0, len(frame)))
    decoder = FrameDecoder()
    items = decoder.feed(bytes(frame[:cut])) + decoder.feed(bytes(frame[cut:]))
    for item in items:
        assert isinstance(item, Frame | KeyEvent | StrayBytes | PinPadProtocolError)
    if bytes(frame) == encode_frame(payload):  # the mutations happened to change nothing
        assert Frame(payload) in items
    # A corrupted length can make the decoder wait for bytes that never come; the driver's deadline and its
    # reset() before each command end that wait. After reset() the next intact frame always decodes.
    decoder.reset()
    assert decoder.feed(encode_frame(b"ST,00")) == [Frame(b"ST,00")]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80))
def test_fuzz_answer_parser_raises_only_typed_errors(payload: bytes) -> None:
    try:
        response = parse_response(payload)
    except PinPadError as error:
        assert error.code == "pinpad_bad_response"
    else:
        assert isinstance(response, Response) and 0 <= response.status <= 255
