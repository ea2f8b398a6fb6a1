"""Amounts spoken by joining number clips, as bank queue systems do.

Mandarin follows the project's uppercase-amount rules (kiosk.domain.money, after the PBOC's rules) read aloud:
the uppercase digits and units become clips (壹仟肆佰零玖元伍角 → 一 千 四 百 零 九 元 五 角), 整 is not said
(八百元整 → 八百元) and a leading 壹拾 is said 十 (十五元), as people say it. English says the yuan in words and
the rest in fen ("one thousand four hundred nine yuan fifty fen").
"""

from __future__ import annotations

import re

from kiosk.domain.money import DIGITS, fen_to_chinese_uppercase

# The uppercase characters of fen_to_chinese_uppercase → the number clips of the pack (kiosk/voice_pack).
_UPPERCASE_CLIPS = {
    **{digit: f"num_{value}" for value, digit in enumerate(DIGITS)},
    "拾": "num_10",
    "佰": "num_100",
    "仟": "num_1000",
    "万": "num_10000",
    "亿": "num_100000000",
    "元": "unit_yuan",
    "角": "unit_jiao",
    "分": "unit_fen",
}
_SCALES: tuple[tuple[int, str], ...] = (
    (10**15, "num_1000000000000000"),
    (10**12, "num_1000000000000"),
    (10**9, "num_1000000000"),
    (10**6, "num_1000000"),
    (10**3, "num_1000"),
)
AMOUNT_PATTERN = re.compile(r"-?¥?\d{1,3}(?:,\d{3})*\.\d{2}")


def parse_amount(text: str) -> int:
    """``¥1,409.50`` (as format_fen writes it) → ``140950`` fen."""
    if not AMOUNT_PATTERN.fullmatch(text.strip()):
        raise ValueError(f"not an amount: {text!r}")
    digits = text.strip().lstrip("-").lstrip("¥").replace(",", "").replace(".", "")
    return -int(digits) if text.strip().startswith("-") else int(digits)


def amount_clips(fen: int, language: str) -> list[str]:
    """The clip ids that say ``fen`` in ``language`` (``zh_CN`` or ``en``)."""
    if not isinstance(fen, int):
        raise TypeError("amounts are integer fen")
    if fen < 0:
        raise ValueError("refunds are not spoken")
    return english_clips(fen) if language.startswith("en") else mandarin_clips(fen)


def count_clips(number: int, language: str) -> list[str]:
    """A count (seconds left), no unit: 20 → 二十 (num_2 num_10) or "twenty" (num_20)."""
    if number < 0:
        raise ValueError("counts are not negative")
    if language.startswith("en"):
        return _english_number(number)
    return mandarin_clips(number * 100)[:-1]  # read as whole yuan, without the 元


def mandarin_clips(fen: int) -> list[str]:
    uppercase = fen_to_chinese_uppercase(fen).removesuffix("整")
    if uppercase.startswith("壹拾"):
        uppercase = uppercase[1:]
    return [_UPPERCASE_CLIPS[char] for char in uppercase]


def english_clips(fen: int) -> list[str]:
    yuan, cents = divmod(fen, 100)
    clips: list[str] = []
    if yuan or not cents:
        clips += [*_english_number(yuan), "unit_yuan"]
    if cents:
        clips += [*_english_number(cents), "unit_fen"]
    return clips


def _english_number(number: int) -> list[str]:
    if number == 0:
        return ["num_0"]
    clips: list[str] = []
    for scale, clip in _SCALES:
        if number >= scale:
            clips += [*_english_number(number // scale), clip]
            number %= scale
    if number >= 100:
        clips += [f"num_{number // 100}", "num_100"]
        number %= 100
    if number >= 20:
        clips.append(f"num_{number // 10 * 10}")
        number %= 10
    if number:
        clips.append(f"num_{number}")
    return clips
