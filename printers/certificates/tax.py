"""税收完税证明 (文书式) on A4.

Layout after the printed 文书式 form: title, No. (年度字别 + 号码) at the top right, 填发日期 and 税务机关 above a
bordered table of taxpayer, per-voucher rows, 金额合计 in uppercase and figures, then the row of 税务机关（盖章）,
填票人 and 备注; the verification QR code sits at the bottom right of the last page. Identity and column header
rows repeat on every page; the totals come after the last row, so only on the last page.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from printers.certificates.layout import (
    CONTENT_WIDTH,
    Seal,
    build_pdf,
    form_table,
    labelled,
    para,
    plain_table,
    remarks_text,
    styles,
    verification_block,
)
from printers.certificates.models import TaxCertificate

COLUMNS = ("原凭证号", "税种", "品目名称", "税款所属时期", "入(退)库日期", "实缴(退)金额")
WIDTHS = (36 * mm, 26 * mm, 38 * mm, 32 * mm, 22 * mm, 26 * mm)  # 180 mm, the A4 content width
VERIFY_NOTE = (
    "妥善保管。本证明不作为纳税人记账、抵扣凭证。\n"
    "真伪核验：用手机扫描右下角二维码，打开税务机关的核验页面；或凭二维码下方的核验码查验。"
)


def render_tax_certificate(doc: TaxCertificate, path: Path | str | None = None) -> bytes:
    """The certificate as PDF bytes; also written to ``path`` when given."""
    return build_pdf(
        _story(doc),
        title=f"税收完税证明 {doc.number}",
        footer_left=f"No. {doc.number}",
        sample=doc.sample,
        specimen=doc.specimen,
        path=path,
    )


def _story(doc: TaxCertificate) -> list[Flowable]:
    s = styles()
    header = plain_table(
        [[labelled("填发日期", doc.issue_date, s["body"]), labelled("税务机关", doc.tax_authority, s["body"])]],
        [CONTENT_WIDTH * 0.38, CONTENT_WIDTH * 0.62],
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    return [
        Paragraph("中华人民共和国", s["subtitle"]),
        Paragraph("税 收 完 税 证 明", s["title"]),
        Spacer(1, 1 * mm),
        para(f"No. {doc.number}", s["right"]),
        Spacer(1, 2 * mm),
        header,
        Spacer(1, 1.5 * mm),
        _form(doc),
        Spacer(1, 4 * mm),
        verification_block(doc.verification_code, VERIFY_NOTE, doc.verification_url),
    ]


def _form(doc: TaxCertificate) -> Table:
    s = styles()
    identity = [
        para("纳税人识别号", s["head"]),
        para(doc.taxpayer_id, s["cell"]),
        "",
        para("纳税人名称", s["head"]),
        para(doc.taxpayer_name, s["cell"]),
        "",
    ]
    head = [para(label, s["head"]) for label in COLUMNS]
    body = [
        [
            para(row.voucher_number, s["number"]),
            para(row.tax_type, s["cell_center"]),
            para(row.item_name, s["cell"]),
            para(row.tax_period, s["cell_center"]),
            para(row.entry_date, s["cell_center"]),
            para(row.amount, s["cell_right"]),
        ]
        for row in doc.rows
    ]
    total = [
        para("金额合计", s["head"]),
        para(f"（大写）{doc.total_uppercase}", s["cell"]),
        "",
        "",
        "",
        para(doc.total_figures, s["cell_right"]),
    ]
    seal = Seal(doc.seal_text or doc.tax_authority)
    seal.hAlign = "CENTER"
    signatures = [
        [para("税务机关（盖章）", s["cell"]), seal],
        "",
        [para("填票人", s["cell"]), Spacer(1, 3 * mm), para(doc.issuer, s["cell_center"])],
        [para("备注", s["cell"]), Spacer(1, 1 * mm), para(remarks_text(doc.remarks, doc.print_count), s["cell"])],
        "",
        "",
    ]
    last = len(body) + 2
    commands = [
        ("SPAN", (1, 0), (2, 0)),
        ("SPAN", (4, 0), (5, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.94, 0.94, 0.94)),
        ("SPAN", (1, last), (4, last)),
        ("SPAN", (0, last + 1), (1, last + 1)),
        ("SPAN", (3, last + 1), (5, last + 1)),
        ("VALIGN", (0, last + 1), (-1, last + 1), "TOP"),
        ("LINEABOVE", (0, last), (-1, last), 1.0, colors.black),
        # The totals and the seal row stay with the last voucher row, never alone under a repeated header.
        ("NOSPLIT", (0, max(last - 1, 2)), (-1, last + 1)),
    ]
    return form_table([identity, head, *body, total, signatures], WIDTHS, commands, repeat=2)
