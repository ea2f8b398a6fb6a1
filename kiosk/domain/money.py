"""Money as integer fen (分): formatting in figures and in Chinese uppercase (大写).

The uppercase rules are those of DESIGN.md §6, after the People's Bank of China's
《正确填写票据和结算凭证的基本规定》: one 零 for each run of zeros between two non-zero digits of the
integer part (across 万 and 亿 too), 整 after 元 when there are no 角/分, no 零 between 元 and a non-zero 角,
零 between 元 and 分 when 角 is zero, and a leading ten written 壹拾.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
SECTION_UNITS = ("", "万", "亿", "万亿")
MAX_FEN = 10**18  # far beyond any fee; keeps the section table sufficient


def yuan_to_fen(yuan: int) -> int:
    """Whole yuan (as in policy tables) to fen."""
    return int(yuan) * 100


def format_fen(fen: int, symbol: bool = True) -> str:
    """``123450`` → ``¥1,234.50``; negative amounts (refunds) get a leading minus."""
    if not isinstance(fen, int):
        raise TypeError("amounts are integer fen")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def _integer_uppercase(number: int) -> str:
    digits = str(number)
    out: list[str] = []
    zero_pending = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zero_pending = bool(out)
        else:
            if zero_pending:
                out.append("零")
            out.append(DIGITS[digit] + SMALL_UNITS[position % 4])
            zero_pending = False
        if position % 4 == 0 and position > 0:
            section = digits[max(0, index - 3) : index + 1]
            if int(section):
                out.append(SECTION_UNITS[position // 4])
    return "".join(out)


def fen_to_chinese_uppercase(fen: int, prefix: bool = False) -> str:
    """``140950`` → ``壹仟肆佰零玖元伍角``; with ``prefix`` → ``人民币壹仟肆佰零玖元伍角``."""
    if not isinstance(fen, int):
        raise TypeError("amounts are integer fen")
    if fen < 0 or fen >= MAX_FEN:
        raise ValueError(f"amount out of range: {fen}")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    text = ""
    if yuan:
        text = _integer_uppercase(yuan) + "元"
    if not cents:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += DIGITS[jiao] + "角"
        elif yuan:
            text += "零"
        if fen_digit:
            text += DIGITS[fen_digit] + "分"
    return ("人民币" if prefix else "") + text
