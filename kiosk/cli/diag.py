"""`kiosk diag DEVICE ACTION ...`: a technician talks to one device from a shell; JSON out, non-zero on failure.

One module per device kind registers its own sub-subcommands.
"""

from __future__ import annotations

import argparse

from kiosk.cli import diag_bank, diag_idcard, diag_pinpad, diag_printer, diag_sscard

DEVICE_MODULES = [diag_idcard, diag_sscard, diag_pinpad, diag_printer, diag_bank]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("diag", help="talk to one device (JSON output)")
    devices = parser.add_subparsers(dest="device", metavar="DEVICE", required=True)
    for module in DEVICE_MODULES:
        module.register(devices)
