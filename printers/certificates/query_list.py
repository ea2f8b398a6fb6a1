"""社会保险费缴费记录查询结果 (the kiosk's 查询导出) on A4.

Title, number, the person and the conditions chosen, a ruled table of every row found (header repeated on each
page), the count and total of the paid ones, then the verification QR code of the fee system's number.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from printers.certificates.layout import (
    CONTENT_WIDTH,
    build_pdf,
    form_table,
    labelled,
    para,
    plain_table,
    remarks_text,
    styles,
    verification_block,
)
from printers.certificates.models import QueryList

COLUMNS = ("序号", "费款所属期", "险种", "缴费金额（元）", "基数/档次", "缴费方式", "缴费人", "状态", "缴费日期")
WIDTHS = (9 * mm, 21 * mm, 42 * mm, 17 * mm, 17 * mm, 14 * mm, 15 * mm, 13 * mm, 32 * mm)  # 180 mm
VERIFY_NOTE = (
    "本查询结果仅供参考，不作为缴费证明。\n"
    "真伪核验：用手机扫描右侧二维码，打开税务机关的核验页面；或凭二维码下方的核验码查验。"
)


def render_query_list(doc: QueryList, path: Path | str | None = None) -> bytes:
    """The list as PDF bytes; also written to ``path`` when given."""
    return build_pdf(
        _story(doc),
        title=f"缴费记录查询结果 {doc.number}",
        footer_left=f"编号 {doc.number}",
        sample=doc.sample,
        specimen=doc.specimen,
        path=path,
    )


def _story(doc: QueryList) -> list[Flowable]:
    s = styles()
    header = plain_table(
        [
            [labelled("姓名", doc.person_name, s["body"]), labelled("公民身份号码", doc.id_number, s["body"])],
            [labelled("查询条件", doc.conditions, s["body"]), labelled("打印日期", doc.print_date, s["body"])],
        ],
        [CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4],
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    remarks = remarks_text("", doc.print_count)
    return [
        Paragraph("社会保险费缴费记录查询结果", s["title"]),
        Spacer(1, 1 * mm),
        para(f"编号：{doc.number}", s["right"]),
        Spacer(1, 2 * mm),
        header,
        Spacer(1, 2 * mm),
        _table(doc),
        Spacer(1, 2 * mm),
        para(f"已缴费 {doc.paid_count} 笔，合计 {doc.total_figures}。打印终端：{doc.issuer}", s["body"]),
        *([para(remarks, s["body"])] if remarks else []),
        Spacer(1, 4 * mm),
        verification_block(doc.verification_code, VERIFY_NOTE, doc.verification_url),
    ]


def _table(doc: QueryList) -> Table:
    s = styles()
    head = [para(label, s["head"]) for label in COLUMNS]
    body = [
        [
            para(str(index), s["cell_center"]),
            para(row.period, s["cell_center"]),
            para(row.item, s["cell"]),
            para(row.amount, s["cell_right"]),
            para(row.base_or_grade, s["cell_center"]),
            para(row.pay_method, s["cell_center"]),
            para(row.payer, s["cell_center"]),
            para(row.status, s["cell_center"]),
            para(row.paid_date, s["cell_center"]),
        ]
        for index, row in enumerate(doc.rows, start=1)
    ]
    commands = [("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.94, 0.94, 0.94))]
    return form_table([head, *body], WIDTHS, commands, repeat=1)
