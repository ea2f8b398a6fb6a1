"""Shared data and helpers of the certificate tests (imported by tests/test_cert_*.py).

The PDFs are read back the way a person would: text through pdftotext (poppler-utils), the QR code through
pdftoppm and zbarimg (zbar-tools).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.verification import MalformedCodeError, make_code, verify_code
from printers.certificates.models import (
    PaymentCertificate,
    PaymentDetailRow,
    PaymentForm,
    PaymentSummaryRow,
    TaxCertificate,
    TaxRow,
)

KEY = "test-key-7d1f0a9c3b5e"
NAME = "赵敏"
ID_NUMBER = "370102199002140625"
AUTHORITY = "国家税务总局济南市历下区税务局"
TAX_NUMBER = "(2026)鲁税证 00012345"
PAYMENT_NUMBER = "(2026)鲁社证 00004321"
PENSION = "企业职工基本养老保险费（灵活就业）"


def tax_certificate(
    amounts_fen: list[int] | None = None, name: str = NAME, authority: str = AUTHORITY, print_count: int = 1
) -> TaxCertificate:
    amounts = amounts_fen if amounts_fen is not None else [85440, 39648, 85440]
    total = sum(amounts)
    rows = [
        TaxRow(
            voucher_number=f"3137010240{index:08d}",
            tax_type="基本养老保险费",
            item_name=PENSION,
            tax_period="2025-01-01至2025-01-31",
            entry_date="2025-01-15",
            amount=format_fen(amount, symbol=False),
        )
        for index, amount in enumerate(amounts, start=1)
    ]
    return TaxCertificate(
        number=TAX_NUMBER,
        issue_date="2026年05月12日",
        tax_authority=authority,
        taxpayer_id=ID_NUMBER,
        taxpayer_name=name,
        rows=rows,
        total_uppercase=fen_to_chinese_uppercase(total, prefix=True),
        total_figures=format_fen(total),
        issuer="自助终端SD370102-ZZ01",
        verification_code=make_code(KEY, TAX_NUMBER, ID_NUMBER, name, total),
        print_count=print_count,
    )


def payment_certificate(form: PaymentForm, months: int = 3, name: str = NAME) -> PaymentCertificate:
    monthly = 85440
    total = monthly * months
    if form is PaymentForm.SUMMARY:
        rows: list = [PaymentSummaryRow(PENSION, f"2025年01月至2025年{months:02d}月", str(months), "4,272.00",
                                        format_fen(total, symbol=False))]
    else:
        rows = [
            PaymentDetailRow(f"{2025 + m // 12}年{m % 12 + 1:02d}月", PENSION, "4,272.00",
                             format_fen(monthly, symbol=False), "2025-01-15")
            for m in range(months)
        ]
    return PaymentCertificate(
        form=form,
        number=PAYMENT_NUMBER,
        issue_date="2026年05月12日",
        issuing_office=AUTHORITY,
        person_name=name,
        id_number=ID_NUMBER,
        period="2025年01月至2025年03月",
        rows=rows,
        total_months=str(months),
        total_uppercase=fen_to_chinese_uppercase(total, prefix=True),
        total_figures=format_fen(total),
        verification_code=make_code(KEY, PAYMENT_NUMBER, ID_NUMBER, name, total),
        category="灵活就业人员",
    )


def write_pdf(data: bytes, directory: Path, name: str = "doc.pdf") -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def pdf_text(path: Path, page: int | None = None) -> str:
    """The text of the PDF (or one page) with all whitespace removed: CJK spacing differs between tools."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def decode_qr(path: Path, page: int) -> list[str]:
    """Every QR code zbarimg finds on one page rendered at 150 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), "-singlefile", str(path),
             f"{tmp}/page"],
            check=True,
        )
        result = subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", f"{tmp}/page.png"],
            capture_output=True, text=True,
        )
    return [line for line in result.stdout.splitlines() if line.strip()]


def figures_to_fen(text: str) -> int:
    """``¥1,409.50`` → 140950."""
    yuan, cents = text.replace("¥", "").replace(",", "").split(".")
    return int(yuan) * 100 + int(cents)


def is_refused(key: str, code: str) -> bool:
    """Not genuine: either malformed or with a tag that does not match."""
    try:
        return verify_code(key, code) is None
    except MalformedCodeError:
        return True
