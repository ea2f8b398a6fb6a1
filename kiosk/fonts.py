"""A CJK font must be there before the first screen: tofu boxes on a tax-hall screen are a bug."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

PREFERRED_FAMILY = "WenQuanYi Zen Hei"
SAMPLE = "社保费自助缴费终端灵活就业城乡居民"


class MissingCjkFont(RuntimeError):
    pass


def check_cjk_font() -> str:
    """The family the kiosk will use; raises MissingCjkFont (naming the Debian package) when none can draw Hanzi."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    candidates = ([PREFERRED_FAMILY] if PREFERRED_FAMILY in families else []) + list(families)
    for family in candidates:
        metrics = QFontMetrics(QFont(family))
        if all(metrics.inFontUcs4(ord(char)) for char in SAMPLE):
            return family
    raise MissingCjkFont(
        "No font that can show Chinese is installed: install the Debian package fonts-wqy-zenhei (make setup)."
    )
