"""ID numbers (GB 11643), the permits that share their checksum, masking of numbers and names, periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.idnumber import (
    IdKind,
    InvalidIdNumber,
    check_character,
    is_valid_prefix,
    mask_id_number,
    parse_id_number,
)
from kiosk.domain.names import mask_name
from kiosk.domain.periods import Period, YearMonth


def test_design_example_is_valid():
    number = parse_id_number("11010519491231002X")
    assert number.birth_date == dt.date(1949, 12, 31)
    assert number.sex == "female"  # sequence 002: even
    assert number.kind is IdKind.RESIDENT
    assert number.masked() == "1101**********002X"


def test_lower_case_x_accepted():
    assert parse_id_number("11010519491231002x").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("11010519491231002", "length"),
        ("110105194912310021", "checksum"),
        ("1101051949123100XX", "format"),
        ("110105194913310027", "birth_date"),  # month 13
        ("110105203001010012", "birth_date"),  # born in the future
    ],
)
def test_invalid_numbers_say_why(text, reason):
    with pytest.raises(InvalidIdNumber) as error:
        parse_id_number(text, today=dt.date(2026, 11, 27))
    assert error.value.reason == reason


def test_permits_and_foreigner_cards_share_the_checksum():
    permit = parse_id_number("810000198808080013")
    assert permit.kind is IdKind.HK_MO_TW_PERMIT
    assert permit.birth_date == dt.date(1988, 8, 8)
    foreigner = parse_id_number("911840198205120011")
    assert foreigner.kind is IdKind.FOREIGN_PERMANENT
    assert foreigner.sex == "male"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_body_with_its_check_character_passes_the_checksum(body):
    number = body + check_character(body)
    try:
        parse_id_number(number, today=dt.date(2026, 11, 27))
    except InvalidIdNumber as error:
        assert error.reason == "birth_date"  # random digits rarely form a date; the checksum always holds


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_a_wrong_check_character_is_refused(body, last):
    if last == check_character(body):
        return
    with pytest.raises(InvalidIdNumber):
        parse_id_number(body + last)


def test_prefix_validation_while_typing():
    assert is_valid_prefix("")
    assert is_valid_prefix("1101051949")
    assert not is_valid_prefix("1101X")  # X only in the last place
    assert is_valid_prefix("11010519491231002X")
    assert not is_valid_prefix("110105194912310021")
    assert not is_valid_prefix("1" * 19)


def test_masking():
    assert mask_id_number("370102198507152318") == "3701**********2318"
    assert mask_id_number("12345") == "*****"
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小雪") == "欧**雪"
    assert mask_name("李") == "李"
    assert repr(parse_id_number("11010519491231002X")) == "IdNumber('1101**********002X')"


def test_periods():
    start, end = YearMonth.parse("2026-11"), YearMonth.parse("202702")
    period = Period(start, end)
    assert period.months == 4
    assert [str(m) for m in period] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert YearMonth(2027, 1) in period and YearMonth(2027, 3) not in period
    assert str(Period.year(2026)) == "2026-01 至 2026-12"
    assert str(Period(start, start)) == "2026-11"
    assert start.plus(-11) == YearMonth(2025, 12)
    with pytest.raises(ValueError):
        Period(end, start)
    with pytest.raises(ValueError):
        YearMonth(2026, 13)
