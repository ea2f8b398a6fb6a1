"""The JSON wire: every API value survives the round trip, and wrong shapes are refused with WireError."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.items import Category, InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    CertificateIssue,
    CertificateKind,
    Grade,
    NotAllowed,
    PaymentRecord,
    Quote,
    Registration,
    ResidentOffer,
    Unavailable,
)
from kiosk.feesystem.wire import WireError, decode, decode_error, dumps, encode, encode_error, loads

months = st.builds(YearMonth, st.integers(1990, 2099), st.integers(1, 12))
periods = st.tuples(months, st.integers(0, 36)).map(lambda pair: Period(pair[0], pair[0].plus(pair[1])))
texts = st.text(max_size=20)
fen = st.integers(0, 10**12)
grades = st.builds(Grade, texts, fen)


def through_the_wire(value, hint):
    return decode(loads(dumps(encode(value))), hint)


@given(
    st.builds(
        PaymentRecord,
        payment_no=texts,
        idempotency_key=texts,
        id_number=texts,
        payer_id_number=texts,
        item=st.sampled_from(InsuredItem),
        period=periods,
        amount_fen=fen,
        pay_method=st.sampled_from(PayMethod),
        channel_ref=texts,
        paid_at=st.datetimes(),
        base_fen=st.none() | fen,
        grade_code=st.none() | texts,
        months=st.integers(1, 36),
        extra=st.dictionaries(texts, texts, max_size=3),
    )
)
def test_payment_records_round_trip(record):
    assert through_the_wire(record, PaymentRecord) == record


@given(st.builds(Quote, texts, texts, st.sampled_from(InsuredItem), periods, fen, st.integers(1, 36),
                 st.none() | fen, st.none() | st.integers(0, 100), st.none() | grades, st.none() | texts))
def test_quotes_round_trip(quote):
    assert through_the_wire(quote, Quote) == quote


def test_nested_and_collection_values_round_trip():
    registration = Registration("x", "李秀英", None, frozenset({InsuredItem.RESIDENT_MEDICAL, InsuredItem.SPECIAL}))
    assert through_the_wire(registration, Registration) == registration
    offer = ResidentOffer(InsuredItem.RESIDENT_PENSION, 2026, (Grade("G01", 30000),), dt.date(2026, 1, 1),
                          dt.date(2026, 12, 25), True)
    assert through_the_wire([offer], list[ResidentOffer]) == [offer]
    issue = CertificateIssue("N1", CertificateKind.TAX, "x", ("a", "b"), 1, 0, dt.datetime(2026, 11, 27, 10))
    assert through_the_wire(issue, CertificateIssue) == issue
    assert through_the_wire(None, PaymentRecord | None) is None
    assert encode(Registration("x", "n", Category.RESIDENT, frozenset()))["category"] == "resident"


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (1.0, int),
        (True, int),
        ("1", int),
        (1, str),
        ({"code": "G01"}, Grade),
        ({"code": "G01", "amount_fen": 1, "more": 2}, Grade),
        ({"start": "2026-05", "end": "2026-01"}, Period),
        ("2026-13", YearMonth),
        ("nope", InsuredItem),
        ("2026-02-30", dt.date),
        ([1, "x"], tuple[int, ...]),
        ({"a": 1}, list[int]),
        (None, Grade),
    ],
)
def test_wrong_shapes_are_refused(data, hint):
    with pytest.raises(WireError):
        decode(data, hint)


def test_not_json_is_a_wire_error():
    with pytest.raises(WireError):
        loads(b"{")
    with pytest.raises(WireError):
        loads(b"\xff")


def test_errors_round_trip_with_their_class_and_citizen_message():
    refusal = NotAllowed("already paid", "This year has already been paid.")
    error = decode_error(json.loads(dumps(encode_error(refusal))))
    assert type(error) is NotAllowed and error.detail == "already paid"
    assert error.citizen_message == "This year has already been paid."
    plain = decode_error(encode_error(Unavailable("down")))
    assert type(plain) is Unavailable and plain.citizen_message == Unavailable.citizen_message
    assert decode_error({"error": {"code": "made_up"}}) is None
    assert decode_error([1]) is None


def test_values_the_wire_does_not_know_are_refused_when_encoding():
    with pytest.raises(TypeError):
        encode(object())
