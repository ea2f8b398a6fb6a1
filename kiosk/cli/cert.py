"""`kiosk cert sample --kind tax|payment-summary|payment-detail --output FILE.pdf [--config FILE]`.

Renders a certificate from the demo data so a technician can test the A4 printer: 赵敏 (demo person "history")
and her 2024–2025 monthly flexible pension and medical payments, read from the embedded fee-system simulator
(an in-memory database seeded from the configuration's demo people and policy files, so nothing is written).
The fee system does not number certificates yet, so samples carry a number of their own that says 样张, and
every page is watermarked 样张: a sample can never pass as a real certificate.
Prints JSON (output file, number, verification code); exit 0 on success, 1 when it cannot render, 3 on a bad
configuration.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import print_error, print_json

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.feesystem.api import PaymentRecord
    from printers.certificates.models import PaymentCertificate, PaymentForm, TaxCertificate

KINDS = ("tax", "payment-summary", "payment-detail")
SAMPLE_PERSON_KEY = "history"
SAMPLE_YEARS = (2024, 2025)
EXIT_FAILED = 1
EXIT_CONFIG = 3

# 税种 of the tax certificate per insured item (品目名称 is the item's official name).
TAX_TYPES = {
    "flexible_pension": "基本养老保险费",
    "flexible_medical": "基本医疗保险费",
    "resident_pension": "基本养老保险费",
    "resident_medical": "基本医疗保险费",
    "special": "社会保险费",
}
CATEGORY_NAMES = {"flexible": "灵活就业人员", "resident": "城乡居民"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("cert", help="A4 certificates: render a sample to test the A4 printer")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sample = actions.add_parser("sample", help="render a sample certificate (样张) from the demo data")
    sample.add_argument("--kind", choices=KINDS, required=True, help="which certificate")
    sample.add_argument("--output", metavar="FILE.pdf", required=True, help="where to write the PDF")
    sample.add_argument("--config", metavar="FILE", help="kiosk configuration (default: config/simulated.toml)")
    sample.set_defaults(func=run_sample)


def run_sample(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as error:
        print_error("config", str(error))
        return EXIT_CONFIG
    try:
        document = sample_document(config, args.kind, dt.date.today())
        _render(document, Path(args.output))
    except Exception as error:  # a technician command: say what failed, as JSON
        print_error("render", f"{type(error).__name__}: {error}")
        return EXIT_FAILED
    print_json(
        {
            "output": str(args.output),
            "kind": args.kind,
            "number": document.number,
            "verification_code": document.verification_code,
            "sample": True,
        }
    )
    return 0


def _render(document: TaxCertificate | PaymentCertificate, output: Path) -> None:
    from printers.certificates.models import TaxCertificate
    from printers.certificates.payment import render_payment_certificate
    from printers.certificates.tax import render_tax_certificate

    output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(document, TaxCertificate):
        render_tax_certificate(document, output)
    else:
        render_payment_certificate(document, output)


def sample_document(config: KioskConfig, kind: str, today: dt.date) -> TaxCertificate | PaymentCertificate:
    """The sample certificate of ``kind`` for the demo person, from the simulator's records."""
    from kiosk.feesystem.embedded import EmbeddedFeeSystem
    from kiosk.feesystem.seed import load_people
    from printers.certificates.models import PaymentForm

    people_file = config.config_path(config["fee_system.people"])
    person = next(p for p in load_people(people_file) if p["key"] == SAMPLE_PERSON_KEY)
    fee_system = EmbeddedFeeSystem(":memory:", config.config_path(config["fee_system.policy"]), people_file)
    try:
        records = _records_of_years(fee_system, person["id_number"], SAMPLE_YEARS)
    finally:
        fee_system.close()
    if not records:
        raise LookupError(f"the demo person {SAMPLE_PERSON_KEY!r} has no payment records")
    context = CertificateContext(
        key=config["verification.hmac_key"],
        authority=tax_authority_of(config["terminal.hall_name"]),
        terminal_id=config["terminal.id"],
        issue_date=today,
    )
    name, id_number = person["name"], person["id_number"]
    category = CATEGORY_NAMES.get(person.get("category", ""), "")
    if kind == "tax":
        number = f"({today.year})鲁税证 样张00000001"
        return tax_certificate(context, number, name, id_number, records, sample=True)
    form = PaymentForm.SUMMARY if kind == "payment-summary" else PaymentForm.DETAIL
    number = f"({today.year})鲁社证 样张00000001"
    return payment_certificate(context, form, number, name, id_number, category, records, sample=True)


def _records_of_years(fee_system, id_number: str, years: Sequence[int]) -> list[PaymentRecord]:
    from kiosk.domain.periods import Period, YearMonth

    period = Period(YearMonth(min(years), 1), YearMonth(max(years), 12))
    return fee_system.payment_records(id_number, period)


# --- from fee-system records to the documents' display strings ---------------------------------------------


class CertificateContext:
    """What every certificate of this kiosk shares: the key, the issuing authority, the terminal, the date."""

    def __init__(self, key: str, authority: str, terminal_id: str, issue_date: dt.date) -> None:
        self.key, self.authority, self.terminal_id, self.issue_date = key, authority, terminal_id, issue_date

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
    import calendar

    last_day = calendar.monthrange(period.end.year, period.end.month)[1]
    return f"{period.start}-01至{period.end}-{last_day:02d}"


def tax_certificate(
    context: CertificateContext,
    number: str,
    name: str,
    id_number: str,
    records: Sequence[PaymentRecord],
    print_count: int = 1,
    sample: bool = False,
) -> TaxCertificate:
    from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
    from kiosk.verification import make_code
    from printers.certificates.models import TaxCertificate, TaxRow

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
        verification_code=make_code(context.key, number, id_number, name, total),
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
    print_count: int = 1,
    sample: bool = False,
) -> PaymentCertificate:
    from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
    from kiosk.domain.periods import Period
    from kiosk.verification import make_code
    from printers.certificates.models import PaymentCertificate, PaymentForm

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
        verification_code=make_code(context.key, number, id_number, name, total),
        category=category,
        remarks="样张：仅供打印机测试，不作为缴费证明" if sample else "",
        print_count=print_count,
        sample=sample,
    )


def _months(period) -> list:
    return [period.start.plus(offset) for offset in range(period.end.index - period.start.index + 1)]


def _summary_rows(records: Sequence[PaymentRecord]) -> list:
    """One row per insured item and run of consecutive months at the same base."""
    from kiosk.domain.money import format_fen
    from kiosk.domain.periods import Period
    from printers.certificates.models import PaymentSummaryRow

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
    from kiosk.domain.money import format_fen
    from printers.certificates.models import PaymentDetailRow

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
