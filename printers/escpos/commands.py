"""ESC/POS byte sequences the kiosk sends, and the text encoding it uses.

Source for every command: Epson "ESC/POS Command Reference for TM printers"
(https://download4.epson.biz/sec_pubs/pos/reference_en/escpos/), sections named next to each constant.
"""

from __future__ import annotations

ESC = b"\x1b"
FS = b"\x1c"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INITIALIZE = ESC + b"@"  # ESC @  Initialize printer
CHINESE_MODE_ON = FS + b"&"  # FS &  Select Kanji (here: GB18030 Chinese) character mode
CHINESE_MODE_OFF = FS + b"."  # FS .  Cancel Kanji character mode

# DLE EOT n  Transmit real-time status: n=1 printer, n=2 offline cause, n=4 roll paper sensor.
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_PAPER = 4
STATUS_KINDS = (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER)


def status_query(kind: int) -> bytes:
    """DLE EOT n (10 04 n)."""
    return DLE + EOT + bytes([kind])


def chinese_text(text: str) -> bytes:
    """Text for a printer in Chinese mode: FS & then GB18030.

    We encode every chunk ourselves: python-escpos's magic encoder only switches to a CJK code page for chunks
    holding a Hanzi, so punctuation-only chunks such as "、" or "（）" would print as "?".
    """
    return CHINESE_MODE_ON + text.encode("gb18030")


def display_width(text: str) -> int:
    """Columns the text takes on the printer: ASCII 1, everything else 2.

    In Chinese mode every multi-byte GB18030 character prints with the full-width (24-dot) Chinese font,
    punctuation and ¥ included; single bytes below 0x80 print with the half-width ANK font.
    """
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


# Columns of ASCII-width characters at Font A (12x24 dots): 58 mm paper prints 384 dots, 80 mm prints 576.
COLUMNS_BY_PAPER_MM = {58: 32, 80: 48}


def columns_for(paper_width_mm: int) -> int:
    try:
        return COLUMNS_BY_PAPER_MM[paper_width_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, not {paper_width_mm}") from None
