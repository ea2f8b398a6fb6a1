"""The stylesheet, scaled from the 1920x1080 design size to the window."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DESIGN_WIDTH, DESIGN_HEIGHT = 1920, 1080
QSS_FILE = Path(__file__).with_name("kiosk.qss")


def scale_for(width: int, height: int, font_scale: float = 1.0) -> float:
    return min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT) * font_scale


@cache
def _template() -> str:
    return QSS_FILE.read_text(encoding="utf-8")


def stylesheet(scale: float) -> str:
    """Every ``NNpx`` of the design stylesheet multiplied by ``scale`` (at least 1 px)."""
    return re.sub(r"(\d+)px", lambda m: f"{max(1, round(int(m.group(1)) * scale))}px", _template())


def px(value: int, scale: float) -> int:
    return max(1, round(value * scale))
