"""PDF generation time of the A4 certificates, per page: cold (first render, font registration included) and
warm (font registered). Run: .venv/bin/python scripts/bench_certificates.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="warm renders per document (default 20)")
    args = parser.parse_args()

    start = time.perf_counter()
    from cert_fixtures import payment_certificate, tax_certificate
    from printers.certificates.models import PaymentForm
    from printers.certificates.payment import render_payment_certificate
    from printers.certificates.tax import render_tax_certificate

    imported = time.perf_counter() - start
    cases = [
        ("tax, 3 rows (1 page)", lambda: render_tax_certificate(tax_certificate()), 1),
        ("tax, 50 rows (3 pages)", lambda: render_tax_certificate(tax_certificate([85440] * 50)), 3),
        ("payment summary (1 page)", lambda: render_payment_certificate(payment_certificate(PaymentForm.SUMMARY)), 1),
        (
            "payment detail, 48 months (2 pages)",
            lambda: render_payment_certificate(payment_certificate(PaymentForm.DETAIL, months=48)),
            2,
        ),
    ]
    print(f"import of reportlab and the renderers: {imported * 1000:.0f} ms")
    start = time.perf_counter()
    cases[0][1]()
    print(f"cold, first render (font registration included): {(time.perf_counter() - start) * 1000:.0f} ms")
    for name, render, pages in cases:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            render()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"warm, {name}: median {median * 1000:.0f} ms, {median * 1000 / pages:.0f} ms per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
