"""Verification codes: round trip, tampering, wrong key, ID binding, malformed input."""

from __future__ import annotations

import pytest

from cert_fixtures import ID_NUMBER, KEY, TAX_NUMBER, is_refused
from kiosk.verification import MalformedCodeError, make_code, normalize_code, verify_code

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_a_code_verifies_and_shows_number_masked_name_and_total() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "欧阳小雪", 140950)
    document = verify_code(KEY, code)
    assert document is not None
    assert document.number == TAX_NUMBER
    assert document.masked_name == "欧**雪"
    assert document.total_fen == 140950
    assert document.total_figures == "¥1,409.50"
    assert document.total_uppercase == "人民币壹仟肆佰零玖元伍角"


def test_the_code_never_carries_the_full_name_or_id() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 100)
    raw = normalize_code(code)
    import base64

    data = base64.b32decode(raw + "=" * (-len(raw) % 8))
    assert "赵敏".encode() not in data
    assert ID_NUMBER.encode() not in data
    assert "赵*".encode() in data


def test_code_alphabet_and_grouping() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 4925280)
    groups = code.split("-")
    assert all(len(group) == 4 for group in groups[:-1]) and 1 <= len(groups[-1]) <= 4
    assert set("".join(groups)) <= set(ALPHABET)


def test_typing_variants_are_accepted() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 4925280)
    assert verify_code(KEY, code.lower()) is not None
    assert verify_code(KEY, code.replace("-", " ")) is not None
    assert verify_code(KEY, code.replace("-", "")) is not None


def test_changing_any_character_fails() -> None:
    compact = normalize_code(make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 4925280))
    for index, char in enumerate(compact):
        for other in ALPHABET:
            if other == char:
                continue
            tampered = compact[:index] + other + compact[index + 1 :]
            assert is_refused(KEY, tampered), f"tampered at {index} ({char}→{other}) still verifies"


def test_dropped_or_added_characters_fail() -> None:
    compact = normalize_code(make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 4925280))
    for tampered in (compact[:-1], compact[1:], compact + "A", "A" + compact):
        assert is_refused(KEY, tampered)


def test_another_key_does_not_verify() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 100)
    assert verify_code("another-key", code) is None


def test_code_binds_the_id_number() -> None:
    code = make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", 100)
    assert verify_code(KEY, code, id_number=ID_NUMBER) is not None
    assert verify_code(KEY, code, id_number="11010519491231002X") is None


@pytest.mark.parametrize("text", ["", "ABC1", "ÄBCD", "A", "AAAA-AAAA-0"])
def test_malformed_text_raises_a_typed_error(text: str) -> None:
    with pytest.raises(MalformedCodeError):
        verify_code(KEY, text)


def test_invalid_inputs_are_refused_when_making_a_code() -> None:
    with pytest.raises(ValueError):
        make_code(KEY, TAX_NUMBER, ID_NUMBER, "赵敏", -1)
    with pytest.raises(ValueError):
        make_code("", TAX_NUMBER, ID_NUMBER, "赵敏", 1)
    with pytest.raises(ValueError):
        make_code(KEY, "", ID_NUMBER, "赵敏", 1)
