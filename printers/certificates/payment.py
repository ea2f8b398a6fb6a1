"""社会保险费缴费证明 on A4, summary (汇总: per insured item and period) or detail (明细: one row per month).

Layout: title and form, 证明编号 at the top right, a bordered block of the person (姓名, 公民身份号码, 参保身份,
证明期间), the bordered table of payments with its header repeated on every page and the totals after the last
row, then the attestation, the issuing office and date, the seal area and the verification QR code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from printers.certificates.layout import (
    CONTENT_WIDTH,
    QrCode,
    Seal,
    build_pdf,
    form_table,
    para,
    plain_table,
    printed_code,
    remarks_text,
    styles,
)
from printers.certificates.models import PaymentCertificate, PaymentDetailRow, PaymentForm, PaymentSummaryRow

SUMMARY_COLUMNS = ("序号", "险种", "费款所属期", "月数", "缴费基数（元/月）", "缴费金额（元）")
SUMMARY_WIDTHS = (10 * mm, 54 * mm, 48 * mm, 12 * mm, 30 * mm, 26 * mm)
DETAIL_COLUMNS = ("序号", "费款所属期", "险种", "缴费基数（元）", "缴费金额（元）", "缴费日期")
DETAIL_WIDTHS = (12 * mm, 24 * mm, 64 * mm, 26 * mm, 26 * mm, 28 * mm)
FORM_NAMES = {PaymentForm.SUMMARY: "汇总", PaymentForm.DETAIL: "明细"}
VERIFY_NOTE = "真伪核验：用手机扫描右侧二维码，打开税务机关的核验页面；或凭二维码下方的核验码查验。"


def render_payment_certificate(doc: PaymentCertificate, path: Path | str | None = None) -> bytes:
    """The certificate as PDF bytes; also written to ``path`` when given."""
    return build_pdf(
        _story(doc),
        title=f"社会保险费缴费证明 {doc.number}",
        footer_left=f"证明编号 {doc.number}",
        sample=doc.sample,
        specimen=doc.specimen,
        path=path,
    )


def _story(doc: PaymentCertificate) -> list[Flowable]:
    s = styles()
    return [
        Paragraph("社会保险费缴费证明", s["title"]),
        Paragraph(f"（{FORM_NAMES[doc.form]}）", s["subtitle"]),
        Spacer(1, 1 * mm),
        para(f"证明编号：{doc.number}", s["right"]),
        Spacer(1, 2 * mm),
        _person(doc),
        Spacer(1, 3 * mm),
        _payments(doc),
        Spacer(1, 4 * mm),
        KeepTogether([_attestation(doc), Spacer(1, 4 * mm), _signature(doc)]),
    ]


def _person(doc: PaymentCertificate) -> Table:
    s = styles()
    rows = [
        [
            para("姓名", s["head"]),
            para(doc.person_name, s["cell"]),
            para("公民身份号码", s["head"]),
            para(doc.id_number, s["cell"]),
        ],
        [
            para("参保身份", s["head"]),
            para(doc.category, s["cell"]),
            para("证明期间", s["head"]),
            para(doc.period, s["cell"]),
        ],
    ]
    widths = (26 * mm, 64 * mm, 30 * mm, 60 * mm)
    shade = [("BACKGROUND", (col, 0), (col, -1), colors.Color(0.94, 0.94, 0.94)) for col in (0, 2)]
    return form_table(rows, widths, shade, repeat=0)


def _payments(doc: PaymentCertificate) -> Table:
    s = styles()
    summary = doc.form is PaymentForm.SUMMARY
    columns, widths = (SUMMARY_COLUMNS, SUMMARY_WIDTHS) if summary else (DETAIL_COLUMNS, DETAIL_WIDTHS)
    head = [para(label, s["head"]) for label in columns]
    rows: Sequence[PaymentSummaryRow | PaymentDetailRow] = doc.rows
    body = [
        _summary_row(index, row) if isinstance(row, PaymentSummaryRow) else _detail_row(index, row)
        for index, row in enumerate(rows, start=1)
    ]
    months_column = 3 if summary else 1
    total = [para("合计", s["head"]), "", "", "", "", para(doc.total_figures, s["cell_right"])]
    total[months_column] = para(f"{doc.total_months}个月", s["cell_center"])
    uppercase = [para("金额合计（大写）", s["head"]), "", para(doc.total_uppercase, s["cell"]), "", "", ""]
    last = len(body) + 1
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.94, 0.94, 0.94)),
        ("LINEABOVE", (0, last), (-1, last), 1.0, colors.black),
        ("SPAN", (0, last + 1), (1, last + 1)),
        ("SPAN", (2, last + 1), (5, last + 1)),
        # The totals stay with the last payment row.
        ("NOSPLIT", (0, max(last - 1, 1)), (-1, last + 1)),
    ]
    if summary:
        commands += [("SPAN", (0, last), (2, last))]
    else:
        commands += [("SPAN", (2, last), (4, last))]
    return form_table([head, *body, total, uppercase], widths, commands, repeat=1)


def _summary_row(index: int, row: PaymentSummaryRow) -> list[Paragraph]:
    s = styles()
    return [
        para(str(index), s["cell_center"]),
        para(row.item, s["cell"]),
        para(row.period, s["cell_center"]),
        para(row.months, s["cell_center"]),
        para(row.base, s["cell_right"]),
        para(row.amount, s["cell_right"]),
    ]


def _detail_row(index: int, row: PaymentDetailRow) -> list[Paragraph]:
    s = styles()
    return [
        para(str(index), s["cell_center"]),
        para(row.month, s["cell_center"]),
        para(row.item, s["cell"]),
        para(row.base, s["cell_right"]),
        para(row.amount, s["cell_right"]),
        para(row.paid_date, s["cell_center"]),
    ]


def _attestation(doc: PaymentCertificate) -> Paragraph:
    s = styles()
    text = (
        f"兹证明 {doc.person_name}（公民身份号码 {doc.id_number}）在 {doc.period} 期间的社会保险费缴费情况如上表，"
        f"共缴费 {doc.total_months} 个月，金额合计 {doc.total_figures}（{doc.total_uppercase}）。特此证明。"
    )
    return para(text, s["body"])


def _signature(doc: PaymentCertificate) -> Table:
    """Issuing office, date and 备注 (left), the seal area (middle), the QR code with its code (right)."""
    s = styles()
    remarks = remarks_text(doc.remarks, doc.print_count)
    left = [
        para(f"开具单位：{doc.issuing_office}", s["body"]),
        Spacer(1, 2 * mm),
        para(f"开具日期：{doc.issue_date}", s["body"]),
    ]
    if remarks:
        left += [Spacer(1, 2 * mm), para(f"备注：{remarks}", s["body"])]
    left += [Spacer(1, 4 * mm), para(VERIFY_NOTE, s["small"])]
    seal = Seal(doc.seal_text or doc.issuing_office, diameter=36 * mm)
    seal.hAlign = "CENTER"
    qr = [QrCode(doc.verification_url or doc.verification_code), para(printed_code(doc.verification_code), s["code"])]
    return plain_table(
        [[left, seal, qr]],
        [CONTENT_WIDTH - 90 * mm, 42 * mm, 48 * mm],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (-1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ],
    )
