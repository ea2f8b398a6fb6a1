"""`kiosk diag bank card [--reader NAME] [--timeout SECONDS]`: read the bank card in the slot, print it masked.

Output: one JSON object with pan (masked: first 6, last 4), expiry (YYYY-MM-DD), aid (hex), kind
(debit/credit/quasi_credit/other), pan_sequence. On failure: exit 1 and {"error": CODE, "message": TEXT}, CODE one
of no_reader, no_card, card_removed, pcsc_unavailable, card_error, card_not_supported. Never prints the full PAN
or track 2, not even to a technician.

Register it by adding this module to kiosk/cli/diag.py's DEVICE_MODULES.
"""

from __future__ import annotations

import argparse

EXIT_FAILURE = 1
CARD_SETTLE_SECONDS = 1.5  # pcscd notices a freshly inserted card within a few hundred ms


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
    import time

    from drivers.bankcard import BankCardError, PcscBankCardReader
    from kiosk.cli.output import print_error, print_json

    if not args.timeout > 0:
        print_error("card_error", "--timeout must be a positive number of seconds")
        return EXIT_FAILURE
    reader = PcscBankCardReader(args.reader, args.timeout)
    try:
        deadline = time.monotonic() + min(args.timeout, CARD_SETTLE_SECONDS)
        while not reader.card_present() and time.monotonic() < deadline:
            time.sleep(0.05)
        card = reader.read_card()
    except BankCardError as error:
        print_error(error.code, error.detail)
        return EXIT_FAILURE
    finally:
        reader.close()
    print_json(card.to_json())
    return 0
