"""The stylesheet, scaled from the 1920x1080 design size to the window, with the large-text and high-contrast
choices a citizen can make on Home (DESIGN.md §7)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DESIGN_WIDTH, DESIGN_HEIGHT = 1920, 1080
QSS_FILE = Path(__file__).with_name("kiosk.qss")
HIGH_CONTRAST_QSS_FILE = Path(__file__).with_name("high_contrast.qss")
LARGE_TEXT_FACTOR = 1.25


def scale_for(width: int, height: int, font_scale: float = 1.0) -> float:
    return min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT) * font_scale


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


NOT_ENLARGED = r"\s*/\*\s*not enlarged\s*\*/"


def _scaled(text: str, scale: float, text_factor: float) -> str:
    """``font-size: NNpx`` × scale × text_factor (× scale only when marked ``/* not enlarged */``); every other
    ``NNpx`` × scale (at least 1 px)."""

    def font(match: re.Match[str]) -> str:
        factor = 1.0 if match.group(2) else text_factor
        return f"font-size: {max(1, round(int(match.group(1)) * scale * factor))}px"

    text = re.sub(rf"font-size:\s*(\d+)px({NOT_ENLARGED})?", font, text)
    return re.sub(r"(?<!font-size: )\b(\d+)px", lambda m: f"{max(1, round(int(m.group(1)) * scale))}px", text)


def stylesheet(scale: float, large_text: bool = False, high_contrast: bool = False) -> str:
    text_factor = LARGE_TEXT_FACTOR if large_text else 1.0
    sheet = _scaled(_read(QSS_FILE), scale, text_factor)
    if high_contrast:
        sheet += "\n" + _scaled(_read(HIGH_CONTRAST_QSS_FILE), scale, text_factor)
    return sheet


def px(value: int, scale: float) -> int:
    return max(1, round(value * scale))
