"""The CJK font of the certificates: WenQuanYi Zen Hei, TrueType, embedded and subset by reportlab.

reportlab cannot embed CFF-outline OpenType (Noto CJK), so the font is the TrueType WenQuanYi Zen Hei of the
Debian package fonts-wqy-zenhei. Registration parses a 10+ MB collection: it happens once per process, on the
first render, and is cached.
"""

from __future__ import annotations

import threading
from pathlib import Path

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WQYZenHei"
FONT_PACKAGE = "fonts-wqy-zenhei"

_lock = threading.Lock()
_registered: str | None = None


class FontMissingError(RuntimeError):
    """The CJK font file is not installed."""


def register_fonts(path: Path | str = FONT_PATH) -> str:
    """Register the CJK font with reportlab (once) and return its name for styles."""
    global _registered
    with _lock:
        if _registered:
            return _registered
        font_file = Path(path)
        if not font_file.is_file():
            raise FontMissingError(
                f"the CJK font {font_file} is missing: install the Debian package {FONT_PACKAGE} "
                f"(apt-get install {FONT_PACKAGE})"
            )
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        # subfontIndex 0 is "WenQuanYi Zen Hei" (1 is the Mono, 2 the Sharp variant).
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file), subfontIndex=0))
        _registered = FONT_NAME
        return FONT_NAME
