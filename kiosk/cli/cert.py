"""`kiosk cert sample --kind tax|payment-summary|payment-detail --output FILE.pdf [--config FILE]`.

Renders the sample certificate (样张) of kiosk/maintenance/samples.py, the one maintenance mode's A4 test page
prints, so a technician can test the A4 printer: 赵敏 (demo person "history") and her seeded history from the
embedded fee-system simulator, numbered 样张 and watermarked 样张 on every page.
Prints JSON (output file, number, verification code); exit 0 on success, 1 when it cannot render, 3 on a bad
configuration.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from kiosk.cli.output import print_error, print_json
from kiosk.maintenance.samples import SAMPLE_KINDS as KINDS

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
    from kiosk.certificates import render_certificate
    from kiosk.config import ConfigError, load_config
    from kiosk.maintenance.samples import sample_document

    try:
        config = load_config(args.config)
    except ConfigError as error:
        print_error("config", str(error))
        return EXIT_CONFIG
    try:
        document = sample_document(config, args.kind, dt.date.today())
        render_certificate(document, Path(args.output))
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

