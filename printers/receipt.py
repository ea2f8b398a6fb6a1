"""The receipt (缴费小票) laid out as an ESC/POS byte stream (DESIGN.md §6). Pure: no I/O.

The kiosk passes text already formatted and masked; this module only lays it out for 58 mm (32 columns)
or 80 mm (48 columns) paper. Command bytes come from python-escpos (its Dummy printer collects them);
text goes out as FS & + GB18030 per line (printers.escpos.commands.chinese_text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from printers.escpos.commands import INITIALIZE, LF, chinese_text, columns_for, display_width

REPRINT_MARK = "** 补打 REPRINT **"
QR_MODULE_DOTS = {58: 5, 80: 6}  # dots per QR module: about 25 mm wide for a 45-character payload


SPECIMEN_MARK = "样张 · 演示终端 · 不作为缴费凭证"


@dataclass
class ReceiptDocument:
    title: str
    rows: list[tuple[str, str]]
    qr_payload: str | None = None
    qr_caption: str | None = None
    footer_lines: list[str] = field(default_factory=list)
    reprint: bool = False
    specimen: bool = False  # a demo kiosk's receipt (simulated parts): 样张, so that it cannot pass for a real one


def printable(text: str) -> str:
    """Control characters from outside data must not reach the printer as commands."""
    return "".join(" " if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Split ``text`` into lines of at most ``columns`` display columns (a Hanzi counts 2).

    Breaks at a space when an ASCII word would be cut and the line has a space to break at.
    """
    lines: list[str] = []
    line = ""
    width = 0
    for ch in text:
        ch_width = display_width(ch)
        if width + ch_width > columns and line:
            cut = line.rfind(" ")
            if ch != " " and ch.isascii() and line[-1:].isascii() and line[-1:] != " " and cut > 0:
                lines.append(line[:cut].rstrip())
                line = line[cut + 1 :]
            else:
                lines.append(line.rstrip())
                line = ""
            if ch == " " and not line:
                width = 0
                continue
            width = display_width(line)
        line += ch
        width += ch_width
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def row_lines(label: str, value: str, columns: int) -> list[str]:
    """A label/value row: on one line with the value right-aligned if it fits, else value indented below."""
    label_width, value_width = display_width(label), display_width(value)
    if label_width + 1 + value_width <= columns:
        return [label + " " * (columns - label_width - value_width) + value]
    return [*wrap(label, columns), *("  " + line for line in wrap(value, columns - 2))]


def render_receipt(doc: ReceiptDocument, paper_width_mm: int) -> bytes:
    columns = columns_for(paper_width_mm)
    # Imported here, not at the top: python-escpos costs about 50 ms to import, paid by the first receipt rather
    # than by the kiosk's start.
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    out = Dummy()
    out._raw(INITIALIZE)

    def lines(texts: list[str]) -> None:
        for text in texts:
            out._raw(chinese_text(text) + LF)

    out.set(align="center", bold=True, custom_size=True, width=2, height=2)
    lines(wrap(printable(doc.title), columns // 2))
    out.set(normal_textsize=True, bold=True, align="center")
    if doc.reprint:
        lines([REPRINT_MARK])
    if doc.specimen:
        lines(wrap(SPECIMEN_MARK, columns))
    out.set(bold=False, align="left")
    rule = ["-" * columns]
    lines(rule)
    for label, value in doc.rows:
        lines(row_lines(printable(label), printable(value), columns))
    lines(rule)
    out.set(align="center")
    if doc.qr_payload:
        out.qr(printable(doc.qr_payload), ec=QR_ECLEVEL_M, native=True, size=QR_MODULE_DOTS[paper_width_mm])
        if doc.qr_caption:
            lines(wrap(printable(doc.qr_caption), columns))
    for footer in doc.footer_lines:
        lines(wrap(printable(footer), columns))
    if doc.specimen:
        lines(wrap(SPECIMEN_MARK, columns))
    out.set(align="left")
    out.cut()  # ESC d 6 (feed past the cutter) then GS V 0 (full cut)
    return bytes(out.output)
