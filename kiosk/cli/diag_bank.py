"""`kiosk diag bank card [--reader NAME] [--timeout SECONDS]`: read the bank card in the slot, print it masked.

Output: one JSON object with pan (masked: first 6, last 4), expiry (YYYY-MM-DD), aid (hex), kind
(debit/credit/quasi_credit/other), pan_sequence. On failure: exit 1 and {"error": CODE, "message": TEXT}, CODE one
of no_reader, no_card, card_removed, pcsc_unavailable, card_error, card_not_supported. Never prints the full PAN
or track 2, not even to a technician.

Register it by adding this module to kiosk/cli/diag.py's DEVICE_MODULES.
"""

from __future__ import annotations

import argparse


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("bank", help="bank IC card (PC/SC reader)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    card = actions.add_parser("card", help="read the bank card in the slot; print it (masked) as JSON")
    card.add_argument(
        "--reader", default="Virtual PCD 00 01", help="fragment of the PC/SC reader name (default: Virtual PCD 00 01)"
    )
    card.add_argument("--timeout", type=float, default=5.0, help="seconds the whole read may take (default 5)")
    card.set_defaults(func=card_command)


def card_command(args: argparse.Namespace) -> int:
    from drivers.bankcard import PcscBankCardReader
    from kiosk.cli.card_read import read_and_print

    return read_and_print(PcscBankCardReader, args.reader, args.timeout)
