"""`kiosk settle [--config FILE | --state DIR] [--json]`: the day-end settlement with the bank host, once, now.

For a stopped kiosk (the running kiosk settles itself at ``bank.settle_at`` when idle: two processes must not share
the PIN pad that MACs the messages). Stored reversals go out first; then 0500 with the open batch's totals from
the journal, and the batch upload when the host's totals differ (kiosk/payments/settlement.py). Exit codes: 0 the
batch is closed balanced; 1 closed, but the host's totals still differ after the batch upload (`kiosk reconcile`
says where); 2 a configuration error; 3 the journal cannot be opened for writing; 4 not settled now (unfinished
card records, or the bank not reachable: run it again); 6 the settlement itself failed. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.output import print_error, print_json
from kiosk.config import ConfigError
from kiosk.domain.money import format_fen
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.recovery import BankReversalHook
from kiosk.payments.settlement import BatchState, DaySettlement, SettlementResult, SettlementStore
from kiosk.state import add_state_arguments, config_from_args

EXIT_OK, EXIT_UNBALANCED, EXIT_CONFIG, EXIT_JOURNAL, EXIT_NOT_NOW, _, EXIT_FAILED = range(7)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("settle", help="settle the day's card payments with the bank host (once)")
    add_state_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(func=run_settle)


def run_settle(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
        return _settle(args, config)
    except ConfigError as error:
        return _fail(args, "config_error", str(error), EXIT_CONFIG)
    except Exception as error:  # whatever went wrong, one line and a code: never a traceback
        return _fail(args, "settlement_failed", f"settlement failed: {type(error).__name__}: {error}", EXIT_FAILED)


def _settle(args: argparse.Namespace, config: Any) -> int:
    opened = open_kiosk_journal(config)
    try:
        if not opened.writable:
            detail = "; ".join(detail for _, detail in opened.problems)
            return _fail(args, f"journal_{opened.state}", f"{detail} (`kiosk recover` first)", EXIT_JOURNAL)
        from kiosk.payments.card import send_pending_reversals

        with BankReversalHook(config) as bank:
            store = SettlementStore.of_state_dir(config.state_dir)
            result = DaySettlement(opened.journal, bank.client(), store, send_pending_reversals).run()
    finally:
        opened.close()
    if args.json:
        print_json(result.as_json())
    else:
        print_text(result)
    if result.outcome == BatchState.BALANCED:
        return EXIT_OK
    return EXIT_UNBALANCED if result.outcome == BatchState.UNBALANCED else EXIT_NOT_NOW


def print_text(result: SettlementResult) -> None:
    def totals(which: Any) -> str:
        return f"{which.count} payment(s), {format_fen(which.amount_fen)}" if which else "-"

    print(f"batch {result.batch}: {result.outcome}" + (f" ({result.detail})" if result.detail else ""))
    print(f"  kiosk: {totals(result.kiosk)}")
    print(f"  host:  {totals(result.host)}")
    for upload in result.uploaded:
        print(f"  uploaded stan {upload.stan} {format_fen(upload.amount_fen)}: host answered {upload.code}")


def _fail(args: argparse.Namespace, code: str, message: str, exit_code: int) -> int:
    if args.json:
        print_error(code, message)
    else:
        print(f"kiosk settle: {message}", file=sys.stderr)
    return exit_code
