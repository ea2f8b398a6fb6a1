"""Certificates from the fee system's records: the documents' display strings (DESIGN.md §6).

The fee system numbers certificates (年度字别 + 号码) and counts prints, so that printing the same records again
is a reprint (补打, the print count in 备注); this module turns records and that numbering into the document models
printers/certificates renders. Official documents are Chinese whatever the screen language.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import logging
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from drivers.base import DeviceError
from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.domain.periods import Period
from kiosk.feesystem.api import (
    CertificateIssue,
    CertificateKind,
    FeeSystem,
    FeeSystemError,
    PaymentRecord,
    UnknownRecord,
)
from kiosk.query import PayStatus, QueryFilter, QueryRow, query_list
from kiosk.verification import verification_url
from printers.a4.cups import CupsA4Printer
from printers.certificates.models import (
    SMALLEST_TABLE_TEXT_PT,
    PaymentCertificate,
    PaymentDetailRow,
    PaymentForm,
    PaymentSummaryRow,
    QueryList,
    TaxCertificate,
    TaxRow,
)

# 税种 of the tax certificate per insured item (品目名称 is the item's official name).
TAX_TYPES = {
    "flexible_pension": "基本养老保险费",
    "flexible_medical": "基本医疗保险费",
    "resident_pension": "基本养老保险费",
    "resident_medical": "基本医疗保险费",
    "special": "社会保险费",
}
CATEGORY_NAMES = {"flexible": "灵活就业人员", "resident": "城乡居民"}
# The kinds a citizen reprints from the list of issued certificates (the query list is printed from the query).
CERTIFICATE_KINDS = (CertificateKind.TAX, CertificateKind.PAYMENT_SUMMARY, CertificateKind.PAYMENT_DETAIL)
# The documents' smallest table text in points: the preview on screen scales the pages from it.
DOCUMENT_TABLE_TEXT_PT = SMALLEST_TABLE_TEXT_PT
log = logging.getLogger(__name__)


class CertificateContext:
    """What every certificate of this kiosk shares: the bureau's verification page (``page_url``: the QR codes
    lead there), the issuing authority, the terminal, the date. No key: the fee system signs the codes."""

    def __init__(self, page_url: str, authority: str, terminal_id: str, issue_date: dt.date) -> None:
        self.page_url, self.authority, self.terminal_id, self.issue_date = page_url, authority, terminal_id, issue_date

    def url_of(self, code: str) -> str:
        return verification_url(self.page_url, code) if code else ""

    @property
    def issue_date_text(self) -> str:
        return f"{self.issue_date.year}年{self.issue_date.month:02d}月{self.issue_date.day:02d}日"


def tax_authority_of(hall_name: str) -> str:
    """``国家税务总局济南市历下区税务局第一税务分局办税服务厅`` → ``国家税务总局济南市历下区税务局``."""
    match = re.match(r"^(.*?税务局)", hall_name)
    return match.group(1) if match else hall_name


def _month_text(year_month) -> str:
    return f"{year_month.year}年{year_month.month:02d}月"


def _period_text(period) -> str:
    if period.start == period.end:
        return _month_text(period.start)
    return f"{_month_text(period.start)}至{_month_text(period.end)}"


def _tax_period_text(period) -> str:
    """税款所属时期 as the tax documents print it: first day to last day."""

    last_day = calendar.monthrange(period.end.year, period.end.month)[1]
    return f"{period.start}-01至{period.end}-{last_day:02d}"


def tax_certificate(
    context: CertificateContext,
    number: str,
    name: str,
    id_number: str,
    records: Sequence[PaymentRecord],
    verification_code: str,
    print_count: int = 1,
    sample: bool = False,
) -> TaxCertificate:
    """``verification_code``: the fee system's, signed when it numbered the certificate."""

    total = sum(record.amount_fen for record in records)
    rows = [
        TaxRow(
            voucher_number=record.payment_no,
            tax_type=TAX_TYPES.get(record.item.value, "社会保险费"),
            item_name=record.item.official_name,
            tax_period=_tax_period_text(record.period),
            entry_date=f"{record.paid_at:%Y-%m-%d}",
            amount=format_fen(record.amount_fen, symbol=False),
        )
        for record in records
    ]
    return TaxCertificate(
        number=number,
        issue_date=context.issue_date_text,
        tax_authority=context.authority,
        taxpayer_id=id_number,
        taxpayer_name=name,
        rows=rows,
        total_uppercase=fen_to_chinese_uppercase(total, prefix=True),
        total_figures=format_fen(total),
        issuer=f"自助终端{context.terminal_id}",
        verification_code=verification_code,
        verification_url=context.url_of(verification_code),
        remarks="样张：仅供打印机测试，不作为完税凭证" if sample else "",
        print_count=print_count,
        sample=sample,
    )


def payment_certificate(
    context: CertificateContext,
    form: PaymentForm,
    number: str,
    name: str,
    id_number: str,
    category: str,
    records: Sequence[PaymentRecord],
    verification_code: str,
    print_count: int = 1,
    sample: bool = False,
) -> PaymentCertificate:

    total = sum(record.amount_fen for record in records)
    months = {month for record in records for month in _months(record.period)}
    first, last = min(months), max(months)
    rows = _summary_rows(records) if form is PaymentForm.SUMMARY else _detail_rows(records)
    return PaymentCertificate(
        form=form,
        number=number,
        issue_date=context.issue_date_text,
        issuing_office=context.authority,
        person_name=name,
        id_number=id_number,
        period=_period_text(Period(first, last)),
        rows=rows,
        total_months=str(len(months)),
        total_uppercase=fen_to_chinese_uppercase(total, prefix=True),
        total_figures=format_fen(total),
        verification_code=verification_code,
        verification_url=context.url_of(verification_code),
        category=category,
        remarks="样张：仅供打印机测试，不作为缴费证明" if sample else "",
        print_count=print_count,
        sample=sample,
    )


def _months(period) -> list:
    return [period.start.plus(offset) for offset in range(period.end.index - period.start.index + 1)]


def _summary_rows(records: Sequence[PaymentRecord]) -> list:
    """One row per insured item and run of consecutive months at the same base."""

    groups: list[dict] = []
    for record in sorted(records, key=lambda r: (r.item.value, r.period.start)):
        current = groups[-1] if groups else None
        if (
            current
            and current["item"] is record.item
            and current["base"] == record.base_fen
            and current["end"].plus(1) == record.period.start
        ):
            current["end"] = record.period.end
            current["months"] += record.months
            current["amount"] += record.amount_fen
        else:
            groups.append(
                {
                    "item": record.item,
                    "base": record.base_fen,
                    "start": record.period.start,
                    "end": record.period.end,
                    "months": record.months,
                    "amount": record.amount_fen,
                }
            )
    return [
        PaymentSummaryRow(
            item=group["item"].official_name,
            period=_period_text(Period(group["start"], group["end"])),
            months=str(group["months"]),
            base=format_fen(group["base"], symbol=False) if group["base"] is not None else "—",
            amount=format_fen(group["amount"], symbol=False),
        )
        for group in groups
    ]


def _detail_rows(records: Sequence[PaymentRecord]) -> list:
    """One row per month and item; a record of several months is spread over them (remainder on the last)."""

    rows = []
    for record in sorted(records, key=lambda r: (r.period.start, r.item.value)):
        months = _months(record.period)
        share, remainder = divmod(record.amount_fen, len(months))
        for index, month in enumerate(months):
            amount = share + (remainder if index == len(months) - 1 else 0)
            rows.append(
                PaymentDetailRow(
                    month=_month_text(month),
                    item=record.item.official_name,
                    base=format_fen(record.base_fen, symbol=False) if record.base_fen is not None else "—",
                    amount=format_fen(amount, symbol=False),
                    paid_date=f"{record.paid_at:%Y-%m-%d}",
                )
            )
    return rows


Document = TaxCertificate | PaymentCertificate | QueryList


def download_url(page_url: str, number: str, token: str) -> str:
    """``<page_url>/documents/<number>.pdf?t=<token>``, the number percent-encoded (it has Hanzi and a space)."""
    return f"{page_url.rstrip('/')}/documents/{quote(number, safe='()')}.pdf?t={token}"


def render_certificate(document: Document, output: Path | None = None) -> bytes:
    """The certificate as PDF bytes; also written to ``output`` (its folder made) when given. For the kiosk's
    certificates and for the technician's sample (`kiosk cert sample`, maintenance mode's A4 test page)."""
    # Imported here, not at the top: reportlab costs about 80 ms to import, paid by the first certificate (its
    # preview shows progress) rather than by the kiosk's start.
    from printers.certificates.payment import render_payment_certificate
    from printers.certificates.query_list import render_query_list
    from printers.certificates.tax import render_tax_certificate

    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(document, TaxCertificate):
        return render_tax_certificate(document, output)
    if isinstance(document, QueryList):
        return render_query_list(document, output)
    return render_payment_certificate(document, output)


@dataclass(frozen=True)
class PreparedCertificate:
    issue: CertificateIssue
    document: Document
    pdf: bytes = b""  # rendered once: the preview, the printer and the electronic copy get the same bytes
    download_url: str = ""  # the electronic copy's (下载), when the fee system kept it

    @property
    def reprint(self) -> bool:
        return self.issue.printed > 0


class CertificateService:
    """Numbers (through the fee system), lays out and renders certificates; records each finished print.

    The print count in 备注 is the fee system's count plus one: a second print of the same records says 补打.
    """

    def __init__(self, fee_system: FeeSystem, context: Callable[[], CertificateContext]) -> None:
        self.fee_system = fee_system
        self.context = context  # called per certificate: the issue date is the day it is printed
        self.specimen = False  # a demo kiosk (simulated parts or the embedded fee system): every page says 样张

    def prepare(
        self,
        kind: CertificateKind,
        name: str,
        id_number: str,
        records: Sequence[PaymentRecord],
        category: str = "",
    ) -> PreparedCertificate:
        issue = self.fee_system.issue_certificate(kind, id_number, tuple(r.payment_no for r in records))
        print_count = issue.printed + 1
        context = self.context()
        document: TaxCertificate | PaymentCertificate
        code = issue.verification_code
        if kind is CertificateKind.TAX:
            document = tax_certificate(context, issue.number, name, id_number, records, code, print_count=print_count)
        else:
            form = PaymentForm.SUMMARY if kind is CertificateKind.PAYMENT_SUMMARY else PaymentForm.DETAIL
            document = payment_certificate(
                context, form, issue.number, name, id_number, category, records, code, print_count=print_count
            )
        return PreparedCertificate(issue, document)

    def issued(self, id_number: str) -> list[CertificateIssue]:
        """The person's certificates, newest first (the query lists left out)."""
        return [issue for issue in self.fee_system.issued_certificates(id_number) if issue.kind in CERTIFICATE_KINDS]

    def prepare_reprint(self, issue: CertificateIssue, name: str, category: str = "") -> PreparedCertificate:
        """An issued certificate again: the same records, so the fee system gives the same number (补打)."""
        wanted = set(issue.payment_nos)
        records = [r for r in self.fee_system.payment_records(issue.id_number) if r.payment_no in wanted]
        if len(records) != len(wanted):
            raise UnknownRecord(f"certificate {issue.number}: {len(wanted) - len(records)} records not found")
        records.sort(key=lambda r: (r.period.start, r.item.value))
        return self.prepare(issue.kind, name, issue.id_number, records, category=category)

    def prepare_query_list(
        self, name: str, id_number: str, wanted: QueryFilter, rows: Sequence[QueryRow]
    ) -> PreparedCertificate:
        """The query's answer on A4, numbered by the fee system for its paid records (at least one is needed)."""
        paid = tuple(row.record.payment_no for row in rows if row.status is PayStatus.PAID and row.record)
        issue = self.fee_system.issue_certificate(CertificateKind.QUERY_LIST, id_number, paid)
        context = self.context()
        document = query_list(
            issue.number,
            issue.verification_code,
            context.terminal_id,
            context.issue_date,
            name,
            id_number,
            wanted,
            rows,
            print_count=issue.printed + 1,
        )
        document = replace(document, verification_url=context.url_of(issue.verification_code))
        return PreparedCertificate(issue, document)

    def render(self, prepared: PreparedCertificate) -> bytes:
        document = replace(prepared.document, specimen=True) if self.specimen else prepared.document
        return render_certificate(document)

    def publish_copy(self, prepared: PreparedCertificate, pdf: bytes) -> str:
        """Hand the fee system the PDF the citizen sees and prints (the electronic copy, 下载); the URL a phone
        fetches it from: ``<page_url>/documents/<number>.pdf?t=<token>``, short-lived. Raises FeeSystemError."""
        number = prepared.issue.number
        token = self.fee_system.keep_document_copy(number, base64.b64encode(pdf).decode("ascii"))
        return download_url(self.context().page_url, number, token)

    def rendered(self, prepared: PreparedCertificate) -> PreparedCertificate:
        """Render the certificate once and hand the fee system its electronic copy: the preview, the printer and
        the phone get these bytes. Without the copy (the fee system refused or is unreachable) the certificate
        still prints; only the download QR code is missing."""
        pdf = self.render(prepared)
        try:
            url = self.publish_copy(prepared, pdf)
        except FeeSystemError as error:
            log.warning("electronic copy of %s not kept: %s", prepared.issue.number, error.code)
            url = ""
        return replace(prepared, pdf=pdf, download_url=url)

    def printed(self, prepared: PreparedCertificate) -> CertificateIssue:
        """The page came out of the printer: the next print of these records is a reprint."""
        return self.fee_system.record_certificate_print(prepared.issue.number)

    def print_on(self, prepared: PreparedCertificate, printer: CupsA4Printer, spool_dir: Path, timeout: float) -> None:
        """Send the certificate to the A4 printer, wait until CUPS has printed it, then count the print.

        Raises the printer's DeviceError (nothing is counted: the next attempt is not a reprint, and the fee
        system gives these records the same number again). A job the printer holds (paper out, jam, unplugged) is
        canceled: it must not come out later for nobody, uncounted. The PDF is written 0600 for CUPS and removed
        afterwards: it names the person.
        """
        spool_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, name = tempfile.mkstemp(prefix="certificate-", suffix=".pdf", dir=spool_dir)
        path = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(prepared.pdf or self.render(prepared))
            job = printer.print_pdf(path, title=prepared.issue.number)
            try:
                printer.wait_for_job(job, timeout)
            except DeviceError:
                _cancel_quietly(printer, job)
                raise
        finally:
            path.unlink(missing_ok=True)
        self.printed(prepared)


def _cancel_quietly(printer: CupsA4Printer, job: str) -> None:
    try:
        printer.cancel(job)
    except DeviceError as error:  # the printer's own error is what the citizen must hear, not this one
        log.warning("could not cancel certificate job %s: %s", job, error)
