"""`kiosk reconcile [--date YYYY-MM-DD] [--json] [--config FILE | --state DIR]`: the day's three ledgers compared.

Exit 0 when there is no unexplained difference, 1 when there is, 2 when the ledgers cannot be read (a file
missing, the configuration bad, the fee system unreachable), 3 the journal is damaged, 4 it has lost records (below
its watermark), 5 journal rows that cannot be read were skipped (each is an unexplained difference), 6 the
reconciliation itself failed. Never a traceback. The fee system is read through its interface (embedded or over
HTTP). Nothing is repaired here: `kiosk recover` restores a good second copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from kiosk.cli.output import print_error, print_json
from kiosk.config import ConfigError
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import FeeSystemError
from kiosk.payments.journal import JournalError
from kiosk.payments.journal_health import Watermark, inspect_file
from kiosk.payments.reconcile import UNREADABLE, ReconciliationReport, reconcile_stores
from kiosk.state import add_state_arguments, config_from_args, feesystem_database, journal_path, open_stores


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reconcile", help="compare the journal, the fee system and the channels for a day")
    add_state_arguments(parser)
    parser.add_argument("--date", type=_date, default=None, help="the day (YYYY-MM-DD); default today")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_reconcile)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


EXIT_OK, EXIT_DIFFERENCES, EXIT_UNREADABLE, EXIT_DAMAGED, EXIT_LOST, EXIT_UNREADABLE_ROWS, EXIT_FAILED = range(7)


def run_reconcile(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as error:
        return _fail(args, "config_error", str(error))
    try:
        return _reconcile(args, config)
    except Exception as error:  # whatever went wrong, one line and a code: never a traceback
        return _fail(args, "reconciliation_failed", f"failed: {type(error).__name__}: {error}", EXIT_FAILED)


def _reconcile(args: argparse.Namespace, config: Any) -> int:
    required = [(journal_path(config), "journal")]
    if config["fee_system.kind"] == "embedded":  # opening a missing database would create a fresh, empty one
        required.append((feesystem_database(config), "fee-system database"))
    for path, what in required:
        if not path.exists():
            return _fail(args, "missing_ledger", f"no {what} at {path}")
    path = journal_path(config)
    verdict = inspect_file(path, full=True, watermark=Watermark.beside(path))
    if not verdict.ok:
        code = EXIT_LOST if verdict.state == "lost" else EXIT_DAMAGED
        return _fail(args, f"journal_{verdict.state}", f"{verdict.detail} (`kiosk recover` restores a good copy)", code)
    day = args.date or dt.date.today()
    try:
        stores = open_stores(config)
    except ConfigError as error:
        return _fail(args, "config_error", str(error))
    except JournalError as error:
        return _fail(args, "journal_damaged", str(error), EXIT_DAMAGED)
    try:
        report = reconcile_stores(config, stores.journal, stores.fee_system, day)
    except FeeSystemError as error:  # the fee system's ledger cannot be read now (unreachable, refused)
        return _fail(args, "fee_system_unavailable", f"the fee system's payments cannot be read: {error.code}")
    finally:
        stores.close()
    if args.json:
        print_json(report.as_json())
    else:
        print_text(report)
    if any(difference.kind == UNREADABLE for difference in report.differences):
        return EXIT_UNREADABLE_ROWS
    return EXIT_OK if report.ok else EXIT_DIFFERENCES


def print_text(report: ReconciliationReport) -> None:
    print(f"reconciliation of {report.date} for terminal {report.terminal_id}")
    print(
        f"{'CHANNEL':10} {'RECORDS':>7} {'JOURNAL':>12} {'FEE SYSTEM':>12} {'CHANNEL':>12} {'REFUNDED':>10} "
        f"{'REVERSED':>10} {'FLAGGED':>10}"
    )
    for name, totals in report.totals.items():
        channel = "n/a" if totals.channel_paid_fen is None else format_fen(totals.channel_paid_fen, symbol=False)
        print(
            f"{name:10} {totals.count:>7} {format_fen(totals.journal_posted_fen, symbol=False):>12} "
            f"{format_fen(totals.fee_system_fen, symbol=False):>12} {channel:>12} "
            f"{format_fen(totals.refunded_fen, symbol=False):>10} {format_fen(totals.reversed_fen, symbol=False):>10} "
            f"{format_fen(totals.flagged_fen, symbol=False):>10}"
        )
    for difference in report.differences:
        mark = "explained  " if difference.explained else "UNEXPLAINED"
        print(
            f"{mark} {difference.journal_no or '-'} {difference.pay_method} "
            f"{format_fen(difference.amount_fen, symbol=False)} {difference.kind}: {difference.explanation}"
        )
    not_checked = [name for name, status in report.ledgers.items() if status != "checked"]
    if not_checked:
        print(f"ledgers not available yet: {', '.join(not_checked)}")
    print("no unexplained difference" if report.ok else f"{report.unexplained} unexplained difference(s)")


def _fail(args: argparse.Namespace, code: str, message: str, exit_code: int = EXIT_UNREADABLE) -> int:
    if args.json:
        print_error(code, message)
    else:
        print(f"kiosk reconcile: {message}", file=sys.stderr)
    return exit_code
