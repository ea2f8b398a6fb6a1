"""Certificates numbered by the fee system: the same records again are a reprint (补打) with the print count."""

from __future__ import annotations

import datetime as dt

from cert_fixtures import pdf_text
from kiosk.certificates import CertificateContext, CertificateService
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateKind

HISTORY = "370102199002140625"  # 赵敏


def service(fee_system) -> CertificateService:
    context = CertificateContext("test-key", "国家税务总局济南市历下区税务局", "T-01", dt.date(2026, 11, 27))
    return CertificateService(fee_system, lambda: context)


def test_first_print_then_reprint(fee_system, tmp_path):
    certificates = service(fee_system)
    records = fee_system.payment_records(HISTORY, Period.year(2025))
    first = certificates.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    assert not first.reprint and first.document.number == "(2026)鲁税证 00000001"
    path = tmp_path / "first.pdf"
    path.write_bytes(certificates.render(first))
    assert "补打" not in pdf_text(path) and "(2026)鲁税证00000001" in pdf_text(path)
    certificates.printed(first)

    again = certificates.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    assert again.reprint and again.document.number == first.document.number and again.document.print_count == 2
    path = tmp_path / "again.pdf"
    path.write_bytes(certificates.render(again))
    assert "补打" in pdf_text(path)


def test_payment_certificate_forms_have_their_own_numbers(fee_system, tmp_path):
    certificates = service(fee_system)
    records = fee_system.payment_records(HISTORY, Period.year(2024))
    summary = certificates.prepare(CertificateKind.PAYMENT_SUMMARY, "赵敏", HISTORY, records, category="灵活就业人员")
    detail = certificates.prepare(CertificateKind.PAYMENT_DETAIL, "赵敏", HISTORY, records, category="灵活就业人员")
    assert summary.document.number != detail.document.number
    path = tmp_path / "detail.pdf"
    path.write_bytes(certificates.render(detail))
    assert "赵敏" in pdf_text(path)
