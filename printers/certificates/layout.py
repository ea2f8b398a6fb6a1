"""What the certificates share: styles, escaped paragraphs, the seal, the QR block and the page frame.

Every string from outside (names, addresses, authority names) goes through :func:`para`, which escapes ``<``,
``>`` and ``&`` before reportlab's Paragraph markup sees them, so they print as themselves.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from printers.certificates.fonts import register_fonts
from printers.certificates.models import SMALLEST_TABLE_TEXT_PT

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
SEAL_RED = colors.Color(0.80, 0.08, 0.08)
LINE = 0.7  # table rules, points
BOX = 1.3  # outer frame of the form, points


def styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=22, leading=28, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=18, alignment=TA_CENTER),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=12.5),
        "cell_center": ParagraphStyle("cell_center", base, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=9.5, leading=12.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "left": ParagraphStyle("left", base, alignment=TA_LEFT),
        "number": ParagraphStyle("number", base, fontSize=SMALLEST_TABLE_TEXT_PT, leading=12.5, alignment=TA_CENTER),
        # A signed code is about 164 characters: 7 pt keeps it to six lines under the QR.
        "code": ParagraphStyle("code", base, fontSize=7, leading=8.5, alignment=TA_CENTER),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of outside text: escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def labelled(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    """``label：value`` where only the fixed label is ours and the value is escaped."""
    return Paragraph(f"{label}：{escape(value)}", style)


def remarks_text(remarks: str, print_count: int) -> str:
    """备注, with 补打 and the print count on a reprint."""
    parts = [f"补打（第{print_count}次打印）"] if print_count > 1 else []
    if remarks:
        parts.append(remarks)
    return "\n".join(parts)


def form_table(rows: list[list[Any]], widths: Sequence[float], commands: Sequence[tuple], repeat: int) -> Table:
    """A bordered table like the printed forms: thin rules, a heavier frame, the header repeated per page."""
    table = Table(rows, colWidths=list(widths), repeatRows=repeat)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("GRID", (0, 0), (-1, -1), LINE, colors.black),
                ("BOX", (0, 0), (-1, -1), BOX, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *commands,
            ]
        )
    )
    return table


def plain_table(rows: list[list[Any]], widths: Sequence[float], commands: Sequence[tuple]) -> Table:
    """A table without rules, for placing blocks side by side (in the CJK font: no stray Helvetica)."""
    table = Table(rows, colWidths=list(widths))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts()), *commands]))
    return table


class Seal(Flowable):
    """The seal area: a red circle with the authority's name along its upper arc, a star and "(电子印章区)".

    A placeholder where the electronic seal (电子印章) goes; it is drawn, not an image of a real seal.
    """

    def __init__(self, text: str, diameter: float = 38 * mm) -> None:
        super().__init__()
        self.text = text
        self.diameter = diameter
        self.width = self.height = diameter

    def draw(self) -> None:
        c = self.canv
        font = register_fonts()
        radius = self.diameter / 2
        cx = cy = radius
        c.saveState()
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(1.6)
        c.circle(cx, cy, radius - 1)
        self._arc_text(c, font, cx, cy, radius)
        self._star(c, cx, cy, radius * 0.22)
        c.setFont(font, 6.5)
        c.drawCentredString(cx, cy - radius * 0.45, "(电子印章区)")
        c.restoreState()

    def _arc_text(self, c: pdfcanvas.Canvas, font: str, cx: float, cy: float, radius: float) -> None:
        chars = list(self.text)[:24]
        if not chars:
            return
        size = min(8.5, max(5.0, radius * 3.6 / max(len(chars), 1)))
        span = min(250.0, 14.0 * len(chars) * size / 8.5)  # degrees of arc the text covers
        step = span / max(len(chars) - 1, 1)
        text_radius = radius - 2.5 - size
        c.setFont(font, size)
        for index, char in enumerate(chars):
            angle = 90 + span / 2 - index * step  # left to right over the top
            theta = math.radians(angle)
            c.saveState()
            c.translate(cx + text_radius * math.cos(theta), cy + text_radius * math.sin(theta))
            c.rotate(angle - 90)
            c.drawCentredString(0, 0, char)
            c.restoreState()

    @staticmethod
    def _star(c: pdfcanvas.Canvas, cx: float, cy: float, size: float) -> None:
        path = c.beginPath()
        for point in range(10):
            r = size if point % 2 == 0 else size * 0.4
            theta = math.radians(90 + point * 36)
            x, y = cx + r * math.cos(theta), cy + r * math.sin(theta)
            path.moveTo(x, y) if point == 0 else path.lineTo(x, y)
        path.close()
        c.drawPath(path, stroke=0, fill=1)


class QrCode(Flowable):
    """A QR code drawn as rectangles (qrcode computes the modules).

    Drawn directly rather than with reportlab's QR widget, whose renderer references an unembedded Helvetica.
    """

    QUIET_MODULES = 4  # the quiet zone the standard asks for, inside the flowable

    def __init__(self, value: str, size: float = 30 * mm) -> None:
        super().__init__()
        import qrcode

        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=self.QUIET_MODULES)
        code.add_data(value)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.width = self.height = size

    def draw(self) -> None:
        c = self.canv
        module = self.width / len(self.matrix)
        c.saveState()
        c.setFillColor(colors.black)
        for row_index, row in enumerate(self.matrix):
            y = self.height - (row_index + 1) * module
            column = 0
            while column < len(row):  # one rectangle per run of dark modules
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                c.rect(start * module, y, (column - start) * module, module, stroke=0, fill=1)
        c.restoreState()


def printed_code(code: str) -> str:
    """The verification code as printed under its QR: groups of four separated by spaces (easier to read)."""
    return code.replace("-", " ")


def verification_block(code: str, note: str, url: str = "") -> Table:
    """Bottom of the last page: how to verify (left), the QR code (the verification page's ``url``, else the code)
    with the code under it (right)."""
    s = styles()
    qr_column = [QrCode(url or code), para(printed_code(code), s["code"])]
    return plain_table(
        [[para(note, s["small"]), qr_column]],
        [CONTENT_WIDTH - 48 * mm, 48 * mm],
        [
            ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
            ("VALIGN", (1, 0), (1, 0), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )


SAMPLE_NOTE = "样张 · 仅供打印机测试 · 无效证明"
SPECIMEN_NOTE = "样张 · 演示终端 · 无效证明"


def _canvas_class(footer_left: str, sample: bool, specimen: bool = False) -> type[pdfcanvas.Canvas]:
    """A canvas that holds the pages back until the end, to print "第 x 页 共 y 页" on every one."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start every page in the CJK font: no unembedded Helvetica reference in the PDF.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or register_fonts()
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                if sample or specimen:
                    self._sample_mark(SAMPLE_NOTE if sample else SPECIMEN_NOTE)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            font = register_fonts()
            self.saveState()
            self.setFont(font, 8.5)
            self.drawString(MARGIN, 9 * mm, footer_left)
            self.drawCentredString(PAGE_WIDTH / 2, 9 * mm, f"第 {number} 页 共 {total} 页")
            self.restoreState()

        def _sample_mark(self, note: str) -> None:
            # Over the content, translucent: a sample must never pass as a real certificate.
            font = register_fonts()
            self.saveState()
            self.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.18))
            self.setFont(font, 110)
            for y in (PAGE_HEIGHT * 0.28, PAGE_HEIGHT * 0.68):
                self.saveState()
                self.translate(PAGE_WIDTH / 2, y)
                self.rotate(30)
                self.drawCentredString(0, -40, "样 张")
                self.restoreState()
            self.setFillColor(colors.Color(0.8, 0.1, 0.1))
            self.setFont(font, 9)
            self.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 9 * mm, note)
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    footer_left: str,
    sample: bool,
    specimen: bool = False,
    path: Path | str | None = None,
    on_page: Callable[[pdfcanvas.Canvas, Any], None] | None = None,
) -> bytes:
    """Lay out ``story`` on A4 pages, return the PDF (and write it to ``path`` when given)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="",
        creator="sifee-kiosk",
    )
    doc.build(
        story,
        onFirstPage=on_page or _nothing,
        onLaterPages=on_page or _nothing,
        canvasmaker=_canvas_class(footer_left, sample, specimen),
    )
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _nothing(canvas: pdfcanvas.Canvas, doc: Any) -> None:
    return None
