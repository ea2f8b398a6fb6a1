"""`kiosk cert sample --kind tax|payment-summary|payment-detail --output FILE.pdf [--config FILE]`.

Renders a certificate from the demo data so a technician can test the A4 printer: 赵敏 (demo person "history")
and her seeded history (the two years before this one) of monthly flexible pension and medical payments, read from
the embedded fee-system simulator (an in-memory database seeded as of today from the configuration's demo people
and policy files, so nothing is written).
The fee system does not number certificates yet, so samples carry a number of their own that says 样张, and
every page is watermarked 样张: a sample can never pass as a real certificate.
Prints JSON (output file, number, verification code); exit 0 on success, 1 when it cannot render, 3 on a bad
configuration.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import print_error, print_json

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from printers.certificates.models import PaymentCertificate, TaxCertificate

KINDS = ("tax", "payment-summary", "payment-detail")
SAMPLE_PERSON_KEY = "history"
EXIT_FAILED = 1
EXIT_CONFIG = 3


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
    from kiosk.certificates import (
        CATEGORY_NAMES,
        CertificateContext,
        payment_certificate,
        tax_authority_of,
        tax_certificate,
    )
    from kiosk.feesystem.embedded import EmbeddedFeeSystem
    from kiosk.feesystem.seed import load_people
    from printers.certificates.models import PaymentForm

    people_file = config.config_path(config["fee_system.people"])
    person = next(p for p in load_people(people_file) if p["key"] == SAMPLE_PERSON_KEY)
    # Seeded as of ``today``: the history's relative years (demo_dates) are counted back from it.
    seeded_at = dt.datetime.combine(today, dt.time(10, 0))
    fee_system = EmbeddedFeeSystem(
        ":memory:", config.config_path(config["fee_system.policy"]), people_file, clock=lambda: seeded_at
    )
    try:
        records = fee_system.payment_records(person["id_number"])  # a fresh database: the seeded history only
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

