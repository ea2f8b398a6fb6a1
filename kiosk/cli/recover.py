"""`kiosk recover [--config FILE | --state DIR] [--json]`: run recovery once and say what it did.

Exit codes (docs/recovery.md): 0 every record reached an end state or was flagged with a reason; 1 some are left
pending (the fee system or the card module unavailable: run it again); 2 a configuration error; 3 the journal is
damaged and no good second copy could replace it (nothing was done); 4 the journal has lost records (below its
watermark with no copy to replace it: nothing was done; or the fee system holds payments of this terminal it
lacks: what it holds was recovered); 5 rows that
cannot be read were skipped (the others were recovered); 6 recovery itself failed (one line says why). Never a
traceback. A damaged journal, or one that lost records, is replaced by its second copy first when the copy checks
out (kiosk/payments/journal_open.py); the damaged file is kept aside and the output says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from kiosk.cli.output import print_error, print_json
from kiosk.config import ConfigError
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import FeeSystemError
from kiosk.payments.journal_health import Watermark, inspect_file, lost_to_fee_system
from kiosk.payments.journal_open import OpenedJournal, open_kiosk_journal
from kiosk.payments.recovery import LATE_REFUND_LOOKBACK, BankReversalHook, Recovery, RecoveryReport
from kiosk.state import add_state_arguments, config_from_args, journal_path

EXIT_OK, EXIT_PENDING, EXIT_CONFIG, EXIT_DAMAGED, EXIT_LOST, EXIT_UNREADABLE_ROWS, EXIT_FAILED = range(7)
# Which days' payments are asked of the fee system (tests set a fixed clock here).
clock: Callable[[], dt.datetime] = dt.datetime.now


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("recover", help="drive unfinished payments to an end state (once)")
    add_state_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_recover)


def run_recover(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as error:
        return _fail(args, "config_error", str(error), EXIT_CONFIG)
    try:
        return _recover(args, config)
    except ConfigError as error:
        return _fail(args, "config_error", str(error), EXIT_CONFIG)
    except Exception as error:  # whatever went wrong, one line and a code: never a traceback
        return _fail(args, "recovery_failed", f"recovery failed: {type(error).__name__}: {error}", EXIT_FAILED)


def _recover(args: argparse.Namespace, config: Any) -> int:
    path = journal_path(config)
    if inspect_file(path, full=False, watermark=Watermark.beside(path)).state == "absent":
        report = RecoveryReport()
        if args.json:
            print_json({**report.as_json(), "journal": "absent"})
        else:
            print(f"no journal at {path}: nothing to recover")
        return EXIT_OK
    opened = open_kiosk_journal(config)
    if not opened.writable:
        opened.close()
        detail = "; ".join(detail for _, detail in opened.problems)
        code = EXIT_LOST if opened.state == "lost" else EXIT_DAMAGED
        return _fail(args, f"journal_{opened.state}", detail, code)
    try:
        report, lost = _recover_opened(config, opened)
    finally:
        opened.close()
    extra: dict[str, Any] = {"journal": "restored" if opened.restored else "ok"}
    if opened.restored:
        extra["restored"] = opened.restored
        print(f"kiosk recover: {opened.restored}", file=sys.stderr)
    if lost:
        extra["lost"] = lost
        print(f"kiosk recover: {lost}", file=sys.stderr)
    if args.json:
        print_json({**report.as_json(), **extra})
    else:
        print_table(report)
    if lost:
        return EXIT_LOST
    if report.skipped:
        return EXIT_UNREADABLE_ROWS
    return EXIT_OK if report.ok else EXIT_PENDING


def _recover_opened(config: Any, opened: OpenedJournal) -> tuple[RecoveryReport, str | None]:
    from kiosk.application import build_fee_system  # the one place that knows the fee-system kinds

    fee_system = build_fee_system(config, dt.datetime.now)
    try:
        today = clock().date()
        days = [today - dt.timedelta(days=n) for n in range(LATE_REFUND_LOOKBACK.days, -1, -1)]
        try:
            lost = lost_to_fee_system(opened.journal, fee_system, config["terminal.id"], days)
        except (FeeSystemError, OSError):  # not reachable now: the watermark was checked at opening
            lost = None
        with BankReversalHook(config) as card_hook:  # reaches the bank only when a card record needs a reversal
            report = Recovery(opened.journal, fee_system, card_hook=card_hook).run()
    finally:
        fee_system.close()
    return report, lost


def print_table(report: RecoveryReport) -> None:
    for journal_no, reason in sorted(report.skipped.items()):
        print(f"SKIPPED {journal_no}: the row cannot be read ({reason}); a technician must settle it")
    if not report.records:
        print("nothing to recover: every readable journal record is finished")
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


def _fail(args: argparse.Namespace, code: str, message: str, exit_code: int) -> int:
    if args.json:
        print_error(code, message)
    else:
        print(f"kiosk recover: {message}", file=sys.stderr)
    return exit_code
