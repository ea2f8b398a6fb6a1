"""The A4 certificates as rendered: text (pdftotext), QR code (pdftoppm + zbarimg), pagination, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cert_fixtures import (
    AUTHORITY,
    ID_NUMBER,
    KEY,
    PAYMENT_NUMBER,
    TAX_NUMBER,
    decode_qr,
    figures_to_fen,
    is_refused,
    page_count,
    payment_certificate,
    pdf_text,
    tax_certificate,
    write_pdf,
)
from kiosk.domain.money import fen_to_chinese_uppercase
from kiosk.verification import make_code, verify_code
from printers.certificates import fonts
from printers.certificates.models import PaymentForm, PaymentSummaryRow, QueryList, QueryListRow
from printers.certificates.payment import render_payment_certificate
from printers.certificates.query_list import render_query_list
from printers.certificates.tax import render_tax_certificate

TAX_LABELS = [
    "中华人民共和国", "税收完税证明", "填发日期", "税务机关", "纳税人识别号", "纳税人名称", "原凭证号", "税种",
    "品目名称", "税款所属时期", "入(退)库日期", "实缴(退)金额", "金额合计", "（大写）", "填票人", "备注",
    "税务机关（盖章）", "(电子印章区)",
]


def _total_pair(text: str) -> tuple[str, str]:
    """(uppercase, figures) of the 金额合计 as printed."""
    uppercase = re.search(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+", text).group(0)
    figures = re.findall(r"¥[\d,]+\.\d\d", text)[-1]
    return uppercase, figures


def test_tax_certificate_prints_every_label_and_value(tmp_path: Path) -> None:
    doc = tax_certificate()
    text = pdf_text(write_pdf(render_tax_certificate(doc), tmp_path))
    for label in TAX_LABELS:
        assert label in text, label
    for value in (TAX_NUMBER.replace(" ", ""), "2026年05月12日", AUTHORITY, ID_NUMBER, "赵敏", "854.40", "396.48",
                  "2025-01-01至2025-01-31", "自助终端SD370102-ZZ01"):
        assert value in text, value
    assert "补打" not in text


def test_tax_uppercase_total_matches_the_figures(tmp_path: Path) -> None:
    doc = tax_certificate([140950, 600714, 100])
    text = pdf_text(write_pdf(render_tax_certificate(doc), tmp_path))
    uppercase, figures = _total_pair(text)
    assert figures == "¥7,417.64"
    assert uppercase == fen_to_chinese_uppercase(figures_to_fen(figures), prefix=True)


def test_reprint_says_so_in_the_remarks(tmp_path: Path) -> None:
    text = pdf_text(write_pdf(render_tax_certificate(tax_certificate(print_count=2)), tmp_path))
    assert "补打（第2次打印）" in text


def test_qr_code_decodes_to_a_code_that_verifies(tmp_path: Path) -> None:
    doc = tax_certificate()
    path = write_pdf(render_tax_certificate(doc), tmp_path)
    codes = decode_qr(path, 1)
    assert codes == [doc.verification_code]
    document = verify_code(KEY, codes[0])
    assert document is not None and document.number == TAX_NUMBER and document.masked_name == "赵*"
    assert document.total_figures == _total_pair(pdf_text(path))[1]
    tampered = codes[0][:-1] + ("A" if codes[0][-1] != "A" else "B")
    assert is_refused(KEY, tampered)


def test_markup_in_outside_text_prints_literally(tmp_path: Path) -> None:
    name = "<b>张&amp;三</b>"
    authority = "国家税务总局<i>某局</i> & Co"
    text = pdf_text(write_pdf(render_tax_certificate(tax_certificate(name=name, authority=authority)), tmp_path))
    assert "<b>张&amp;三</b>" in text
    assert "国家税务总局<i>某局</i>&Co" in text


def test_long_names_wrap_inside_their_cell(tmp_path: Path) -> None:
    name = "阿卜杜热合曼·艾合买提江·买买提依明·司马义·吐尔逊·阿不都克力木"
    text = pdf_text(write_pdf(render_tax_certificate(tax_certificate(name=name)), tmp_path))
    assert name in text  # nothing cut off


def test_many_rows_paginate_with_page_numbers_and_totals_on_the_last_page(tmp_path: Path) -> None:
    path = write_pdf(render_tax_certificate(tax_certificate([85440] * 50)), tmp_path)
    pages = page_count(path)
    assert pages == 3
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        assert f"第{page}页共{pages}页" in text
        assert "原凭证号" in text and "纳税人识别号" in text  # header repeated
        assert ("金额合计" in text) == (page == pages)
    assert decode_qr(path, pages) and not decode_qr(path, 1)


@pytest.mark.parametrize("form", [PaymentForm.SUMMARY, PaymentForm.DETAIL])
def test_payment_certificate_labels_values_and_qr(tmp_path: Path, form: PaymentForm) -> None:
    doc = payment_certificate(form)
    path = write_pdf(render_payment_certificate(doc), tmp_path)
    text = pdf_text(path)
    title = "（汇总）" if form is PaymentForm.SUMMARY else "（明细）"
    for label in ("社会保险费缴费证明", title, "证明编号", "姓名", "公民身份号码", "参保身份", "证明期间", "险种",
                  "费款所属期", "缴费基数", "缴费金额", "合计", "金额合计（大写）", "开具单位", "开具日期", "特此证明"):
        assert label in text, label
    for value in (PAYMENT_NUMBER.replace(" ", ""), "赵敏", ID_NUMBER, "灵活就业人员", "2025年01月至2025年03月",
                  "4,272.00", "3个月"):
        assert value in text, value
    if form is PaymentForm.DETAIL:
        assert "2025年02月" in text and "2025-01-15" in text
    uppercase, figures = _total_pair(text)
    assert figures == "¥2,563.20"
    assert uppercase == fen_to_chinese_uppercase(figures_to_fen(figures), prefix=True)
    assert decode_qr(path, page_count(path)) == [doc.verification_code]


def test_payment_detail_paginates(tmp_path: Path) -> None:
    path = write_pdf(render_payment_certificate(payment_certificate(PaymentForm.DETAIL, months=60)), tmp_path)
    pages = page_count(path)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        assert f"第{page}页共{pages}页" in text and "费款所属期" in text
        assert ("金额合计（大写）" in text) == (page == pages)


def test_rows_of_the_wrong_form_are_refused() -> None:
    doc = payment_certificate(PaymentForm.DETAIL)
    with pytest.raises(TypeError):
        payment_certificate(PaymentForm.DETAIL).__class__(**{**doc.__dict__, "form": PaymentForm.SUMMARY})
    assert isinstance(payment_certificate(PaymentForm.SUMMARY).rows[0], PaymentSummaryRow)


def test_sample_certificates_are_watermarked(tmp_path: Path) -> None:
    import dataclasses

    doc = dataclasses.replace(tax_certificate(), sample=True)
    assert "样张" in pdf_text(write_pdf(render_tax_certificate(doc), tmp_path))
    assert "样张" not in pdf_text(write_pdf(render_tax_certificate(tax_certificate()), tmp_path, "real.pdf"))


def test_the_font_is_embedded_as_a_subset(tmp_path: Path) -> None:
    import subprocess

    path = write_pdf(render_tax_certificate(tax_certificate()), tmp_path)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    font_lines = [line for line in listing.splitlines()[2:] if line.strip()]
    assert font_lines and all(" yes " in line for line in font_lines)  # emb, sub
    assert all(re.match(r"[A-Z]{6}\+", line) for line in font_lines)


def test_a_missing_font_names_the_debian_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_registered", None)
    with pytest.raises(fonts.FontMissingError, match="fonts-wqy-zenhei"):
        fonts.register_fonts(tmp_path / "missing.ttc")


def query_list_doc(rows: int) -> QueryList:
    number = "(2026)鲁社查 00000007"
    item = "企业职工基本养老保险费（灵活就业）"
    row = QueryListRow("2025年3月", item, "882.60", "4,413.00", "银行卡", "代缴：张*丰", "已缴费", "2025年3月15日")
    return QueryList(
        number=number,
        print_date="2026年11月27日",
        person_name="赵*",
        id_number="3701**********0625",
        conditions="2025年1月至2025年12月，全部险种，全部状态",
        rows=[row] * rows,
        paid_count=str(rows),
        total_figures="¥52,956.00",
        verification_code=make_code(KEY, number, ID_NUMBER, "赵敏", 5295600),
        issuer="自助终端T-01",
    )


def test_the_query_list_paginates_with_its_header_and_masks_the_person(tmp_path: Path) -> None:
    path = write_pdf(render_query_list(query_list_doc(60)), tmp_path)
    pages = page_count(path)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        assert f"第{page}页共{pages}页" in text and "费款所属期" in text and "缴费人" in text  # header repeated
        assert ("已缴费60笔，合计¥52,956.00" in text) == (page == pages)
    first = pdf_text(path, 1)
    assert "社会保险费缴费记录查询结果" in first and "(2026)鲁社查00000007" in first and "代缴：张*丰" in first
    assert "3701**********0625" in first and "赵*" in first
    assert decode_qr(path, pages)  # the verification QR on the last page
