"""Property-based fuzzing: the frame decoder and the text parser only ever raise the driver's typed errors.

"Never hang" is bounded by input size (hypothesis caps the byte strings) and by the per-example deadline.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard.codes import Sex
from drivers.idcard.errors import IdCardError
from drivers.idcard.protocol import PREAMBLE, Response, ResponseDecoder, build_response
from drivers.idcard.reader import split_read_answer
from drivers.idcard.simulator import read_answer_data
from drivers.idcard.text import TYPE_FLAG_OFFSET, CardType, IdCardData, encode_text_block, parse_text_block
from idcard_fixtures import PEOPLE, card_of

FUZZ = settings(max_examples=150, deadline=1000)


def read_answer(card_type: CardType) -> bytes:
    return build_response(0x90, read_answer_data(card_of(card_type)))


VALID_FRAMES = [read_answer(card_type) for card_type in PEOPLE] + [build_response(0x9F, bytes(4))]


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut % (len(data) + 1) for cut in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


def decode_everything(pieces: list[bytes]) -> list[Response | IdCardError]:
    """Feed pieces, and go through what the driver would do with each answer; typed errors are results."""
    decoder = ResponseDecoder()
    results: list[Response | IdCardError] = []
    for piece in pieces:
        for item in decoder.feed(piece):
            results.append(item)
            if isinstance(item, Response):
                try:
                    item.raise_for_status((0x90, 0x9F))
                    if len(item.data) > 4:
                        text, photo = split_read_answer(item.data)
                        parse_text_block(text, photo)
                except IdCardError as error:
                    results.append(error)
    return results


@FUZZ
@given(st.binary(max_size=4000), st.lists(st.integers(0, 4000), max_size=20))
def test_random_bytes_give_only_frames_or_typed_errors(data: bytes, cuts: list[int]) -> None:
    for item in decode_everything(chunks(data, cuts)):
        assert isinstance(item, Response | IdCardError)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1400), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, 1400), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, 1400), st.integers(1, 8)),
    st.tuples(st.just("truncate"), st.integers(0, 1400), st.just(0)),
)


def mutate(frame: bytes, mutations: list[tuple]) -> bytes:
    data = bytearray(frame)
    for kind, position, arg in mutations:
        at = position % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data[at] ^= arg
        elif kind == "insert":
            data[at:at] = arg
        elif kind == "delete":
            del data[at : at + arg]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@FUZZ
@given(
    st.sampled_from(VALID_FRAMES),
    st.lists(mutation, min_size=1, max_size=6),
    st.lists(st.integers(0, 1400), max_size=10),
    st.binary(max_size=20),
)
def test_mutated_valid_frames_give_only_frames_or_typed_errors(
    frame: bytes, mutations: list[tuple], cuts: list[int], noise: bytes
) -> None:
    for item in decode_everything(chunks(noise + mutate(frame, mutations), cuts)):
        assert isinstance(item, Response | IdCardError)


@FUZZ
@given(
    st.sampled_from(VALID_FRAMES),
    st.binary(max_size=30).filter(lambda noise: PREAMBLE[:1] not in noise),
    st.lists(st.integers(0, 1400), max_size=30),
)
def test_a_valid_frame_after_noise_in_any_pieces_decodes_exactly(
    frame: bytes, noise: bytes, cuts: list[int]
) -> None:
    results = decode_everything(chunks(noise + frame, cuts))
    assert len(results) == 1 and isinstance(results[0], Response)
    assert results[0] == ResponseDecoder().feed(frame)[0]


@FUZZ
@given(st.binary(min_size=256, max_size=256), st.sampled_from(["  ", "J", "Y", "I", "  "]))
def test_random_text_blocks_parse_or_raise_typed_errors(block: bytes, flag: str) -> None:
    # Force a known flag most of the time so the layout parsers themselves are exercised.
    mutable = bytearray(block)
    mutable[TYPE_FLAG_OFFSET : TYPE_FLAG_OFFSET + 2] = flag[:1].encode("utf-16-le")
    for candidate in (block, bytes(mutable)):
        try:
            card = parse_text_block(candidate)
        except IdCardError:
            continue
        assert isinstance(card, IdCardData)


@FUZZ
@given(st.binary(max_size=600))
def test_text_blocks_of_any_length_raise_typed_errors(block: bytes) -> None:
    try:
        card = parse_text_block(block)
    except IdCardError as error:
        assert error.code in ("invalid_card_data", "unsupported_card")
    else:
        assert len(block) == 256 and isinstance(card, IdCardData)


# Round trip: any card whose fields fit its layout comes back unchanged.
def _text(max_chars: int) -> st.SearchStrategy[str]:
    alphabet = st.sampled_from("张王李赵山东济南市区路号 ABCXYZ-,.0123456789")
    return st.text(alphabet, max_size=max_chars).map(lambda text: text.rstrip(" "))


_dates = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))


@FUZZ
@given(
    name=_text(15).filter(bool),
    sex=st.sampled_from(list(Sex)),
    nation=st.sampled_from(["01", "03", "56", "97", "98"]),
    birth=_dates,
    address=_text(35),
    id_number=st.text("0123456789X", min_size=1, max_size=18),
    issuer=_text(15),
    valid_from=_dates,
    valid_to=st.one_of(st.none(), _dates),
)
def test_resident_cards_round_trip(
    name: str, sex: Sex, nation: str, birth: dt.date, address: str, id_number: str, issuer: str,
    valid_from: dt.date, valid_to: dt.date | None,
) -> None:
    card = IdCardData(CardType.RESIDENT, name, sex, nation, birth, address, id_number, issuer, valid_from, valid_to)
    assert parse_text_block(encode_text_block(card)) == card
