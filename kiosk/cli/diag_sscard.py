"""`kiosk diag sscard read [--reader NAME] [--timeout SECONDS]`: read one social security card, print JSON.

Contract (issue 3, used by acceptance checks): one JSON object with card_number, id_number, name, sex, nation,
birthplace, birth_date, issue_date, expiry_date (YYYY-MM-DD), spec_version, card_id_code (hex), issuer_org (hex).
On failure: exit 1 and {"error": CODE, "message": TEXT}, CODE one of no_reader, no_card, card_removed,
pcsc_unavailable, card_error.

This technician command prints the full ID number (it is a device test); nothing else may.
"""

from __future__ import annotations

import argparse

from drivers.base import DeviceKind


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser(DeviceKind.SSCARD, help="social security card (PC/SC reader)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    read = actions.add_parser("read", help="read the card in the reader; print it as JSON")
    read.add_argument(
        "--reader", default="Virtual PCD", help="fragment of the PC/SC reader name (default: Virtual PCD)"
    )
    read.add_argument("--timeout", type=float, default=5.0, help="seconds the whole read may take (default 5)")
    read.set_defaults(func=read_command)


def read_command(args: argparse.Namespace) -> int:
    from drivers.sscard import PcscSsCardReader
    from kiosk.cli.card_read import read_and_print

    return read_and_print(PcscSsCardReader, args.reader, args.timeout)
