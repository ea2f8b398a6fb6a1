"""`kiosk recover [--config FILE | --state DIR] [--json]`: run recovery once and say what it did.

Exit 0 when every record reached an end state or was flagged with a reason, 1 when some are left pending (the fee
system or the card module unavailable: run it again), 2 on a configuration error.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.cli.output import print_error, print_json
from kiosk.config import ConfigError
from kiosk.domain.money import format_fen
from kiosk.payments.recovery import BankReversalHook, Recovery, RecoveryReport
from kiosk.state import add_state_arguments, config_from_args, journal_path, open_stores


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("recover", help="drive unfinished payments to an end state (once)")
    add_state_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_recover)


def run_recover(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as error:
        return _fail(args, "config_error", str(error))
    if not journal_path(config).exists():
        report = RecoveryReport()
        if args.json:
            print_json({**report.as_json(), "journal": "absent"})
        else:
            print(f"no journal at {journal_path(config)}: nothing to recover")
        return 0
    stores = open_stores(config)
    try:
        with BankReversalHook(config) as card_hook:  # reaches the bank only when a card record needs a reversal
            report = Recovery(stores.journal, stores.fee_system, card_hook=card_hook).run()
    finally:
        stores.close()
    if args.json:
        print_json(report.as_json())
    else:
        print_table(report)
    return 0 if report.ok else 1


def print_table(report: RecoveryReport) -> None:
    if not report.records:
        print("nothing to recover: every journal record is finished")
    rows = [("JOURNAL NO", "METHOD", "AMOUNT", "FROM", "TO", "OUTCOME", "STEPS / REASON")]
    for record in report.records:
        detail = "; ".join(record.steps) + (f" [{record.error}]" if record.error else "")
        rows.append(
            (
                record.journal_no,
                record.pay_method,
                format_fen(record.amount_fen, symbol=False),
                record.from_state,
                record.to_state,
                record.outcome,
                detail,
            )
        )
    if report.records:
        widths = [max(len(row[i]) for row in rows) for i in range(6)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row[:6], widths, strict=True)) + "  " + row[6])
    counts = report.counts()
    print(
        f"settled {counts['settled']}, flagged {counts['flagged']}, pending {counts['pending']}, "
        f"left to a running session {counts['unchanged']}; card recovery: {report.card_hook}"
    )


def _fail(args: argparse.Namespace, code: str, message: str) -> int:
    if args.json:
        print_error(code, message)
    else:
        print(f"kiosk recover: {message}", file=sys.stderr)
    return 2
