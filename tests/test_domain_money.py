"""Money in fen: figures and Chinese uppercase by DESIGN.md §6 (every example there is a test)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import DIGITS, fen_to_chinese_uppercase, format_fen

DESIGN_EXAMPLES = [
    (140950, "壹仟肆佰零玖元伍角"),
    (600714, "陆仟零柒元壹角肆分"),
    (168032, "壹仟陆佰捌拾元叁角贰分"),
    (10700053, "壹拾万零柒仟元伍角叁分"),
    (1640902, "壹万陆仟肆佰零玖元零贰分"),
    (32504, "叁佰贰拾伍元零肆分"),
    (10000, "壹佰元整"),
    (50, "伍角"),
    (1000, "壹拾元整"),
]


@pytest.mark.parametrize(("fen", "expected"), DESIGN_EXAMPLES)
def test_design_examples(fen, expected):
    assert fen_to_chinese_uppercase(fen) == expected


@pytest.mark.parametrize(
    ("fen", "expected"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (10000000, "壹拾万元整"),
        (100050000, "壹佰万零伍佰元整"),
        (10000000100, "壹亿零壹元整"),
        (100000000000, "壹拾亿元整"),
        (101000000, "壹佰零壹万元整"),
        (1000000500, "壹仟万零伍元整"),
        (80000, "捌佰元整"),
    ],
)
def test_zeros_across_sections(fen, expected):
    assert fen_to_chinese_uppercase(fen) == expected


def test_prefix_and_figures():
    assert fen_to_chinese_uppercase(140950, prefix=True) == "人民币壹仟肆佰零玖元伍角"
    assert format_fen(123450) == "¥1,234.50"
    assert format_fen(5) == "¥0.05"
    assert format_fen(-200) == "-¥2.00"
    assert format_fen(100000000, symbol=False) == "1,000,000.00"


def test_floats_and_out_of_range_refused():
    with pytest.raises(TypeError):
        fen_to_chinese_uppercase(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_fen(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fen_to_chinese_uppercase(-1)


UNITS = {"拾": 10, "佰": 100, "仟": 1000}
SECTIONS = {"万": 10**4, "亿": 10**8}


def parse_uppercase(text: str) -> int:
    """An independent reader of the uppercase form: a property test checks the writer against it."""
    integer, _, rest = text.partition("元")
    if not _:
        integer, rest = "", text
    total = section = digit = 0
    for char in integer:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in UNITS:
            section += digit * UNITS[char]
            digit = 0
        elif char in SECTIONS:
            total = (total + section + digit) * SECTIONS[char] if char == "亿" else total + (section + digit) * 10**4
            section = digit = 0
    total += section + digit
    fen = total * 100
    jiao = rest.find("角")
    if jiao > 0:
        fen += DIGITS.index(rest[jiao - 1]) * 10
    cent = rest.find("分")
    if cent > 0:
        fen += DIGITS.index(rest[cent - 1])
    return fen


@given(st.integers(min_value=0, max_value=10**12))
def test_uppercase_reads_back(fen):
    assert parse_uppercase(fen_to_chinese_uppercase(fen)) == fen


@given(st.integers(min_value=1, max_value=10**12))
def test_uppercase_zero_rules(fen):
    text = fen_to_chinese_uppercase(fen)
    assert "零零" not in text  # one 零 per run of zeros
    assert not text.startswith("零")
    assert "零元" not in text and "零万" not in text and "零亿" not in text
    assert text.endswith(("整", "角", "分"))
    assert text.endswith("整") == (fen % 100 == 0)
