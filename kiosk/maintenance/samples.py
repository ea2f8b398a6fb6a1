"""What a technician prints to test the printers: the receipt printer's test receipt (打印测试) and the sample
A4 certificate (样张).

Shared by the maintenance screen's device tests (devices.py) and the command line (`kiosk diag printer test`,
`kiosk cert sample`). The sample is 赵敏 (demo person "history") and her seeded history (the two years before this
one) of monthly flexible pension and medical payments, read from the simulated world's fee system (kiosk/simulated.py;
an in-memory database seeded as of today from the configuration's demo people and policy files, so nothing is
written). The simulator numbers a sample with a number that says 样张 (never stored) and signs its code, and every
page is watermarked 样张: a sample can never pass as a real certificate.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from printers.certificates.models import PaymentCertificate, TaxCertificate

SAMPLE_KINDS = ("tax", "payment-summary", "payment-detail")
SAMPLE_PERSON_KEY = "history"


def diagnostic_receipt(terminal_id: str, paper_width_mm: int) -> bytes:
    """The Chinese test receipt: terminal id, date, the punctuation a receipt uses, a QR code to scan."""
    from printers.receipt import ReceiptDocument, render_receipt

    now = dt.datetime.now()
    doc = ReceiptDocument(
        title="打印测试",
        rows=[
            ("终端号：", terminal_id),
            ("日期：", now.strftime("%Y-%m-%d %H:%M:%S")),
            ("字符：", "、，。：；（）¥￥"),
        ],
        qr_payload=f"TEST/{terminal_id}/{now:%Y%m%d%H%M%S}",
        qr_caption="扫描二维码检查打印质量",
        footer_lines=["社保费自助缴费终端 打印测试"],
    )
    return render_receipt(doc, paper_width_mm)


def sample_document(config: KioskConfig, kind: str, today: dt.date) -> TaxCertificate | PaymentCertificate:
    """The sample certificate of ``kind`` for the demo person, from the simulator's records."""
    from kiosk.certificates import (
        CATEGORY_NAMES,
        CertificateContext,
        payment_certificate,
        tax_authority_of,
        tax_certificate,
    )
    from kiosk.demo import load_people
    from kiosk.feesystem.api import CertificateKind
    from kiosk.simulated import simulated_world
    from printers.certificates.models import PaymentForm

    people_file = config.config_path(config["fee_system.people"])
    person = next(p for p in load_people(people_file) if p["key"] == SAMPLE_PERSON_KEY)
    # Seeded as of ``today``: the history's relative years (demo_dates) are counted back from it.
    seeded_at = dt.datetime.combine(today, dt.time(10, 0))
    fee_system = simulated_world().fee_system(config, lambda: seeded_at, database=":memory:")
    certificate_kind = {
        "tax": CertificateKind.TAX,
        "payment-summary": CertificateKind.PAYMENT_SUMMARY,
        "payment-detail": CertificateKind.PAYMENT_DETAIL,
    }[kind]
    try:
        records = fee_system.payment_records(person["id_number"])  # a fresh database: the seeded history only
        if not records:
            raise LookupError(f"the demo person {SAMPLE_PERSON_KEY!r} has no payment records")
        # The simulator numbers and signs the sample (样张 in its number): the kiosk holds no signing key.
        specimen = fee_system.number_specimen(  # type: ignore[attr-defined]
            certificate_kind, person["id_number"], tuple(r.payment_no for r in records)
        )
    finally:
        fee_system.close()
    context = CertificateContext(
        page_url=config["verification.page_url"],
        authority=tax_authority_of(config["terminal.hall_name"]),
        terminal_id=config["terminal.id"],
        issue_date=today,
    )
    name, id_number = person["name"], person["id_number"]
    category = CATEGORY_NAMES.get(person.get("category", ""), "")
    code = specimen.verification_code
    if kind == "tax":
        return tax_certificate(context, specimen.number, name, id_number, records, code, sample=True)
    form = PaymentForm.SUMMARY if kind == "payment-summary" else PaymentForm.DETAIL
    return payment_certificate(context, form, specimen.number, name, id_number, category, records, code, sample=True)
