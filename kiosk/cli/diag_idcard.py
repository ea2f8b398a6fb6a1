"""`kiosk diag idcard read --port PORT [--baud N] [--timeout SECONDS]`: read one ID card, print it as JSON.

Contract (issue 3, used by acceptance checks): one JSON object with card_type, name, sex, nation, nation_name,
birth_date, address, id_number, issuer, valid_from, valid_to, photo_bytes, and where the card has them
pass_number, issue_count, english_name, nationality. On failure: exit 1 and {"error": CODE, "message": TEXT},
CODE one of no_card, timeout, checksum, device_error, unsupported_card, no_device.

This technician command prints the full ID number (it is a device test); nothing else may.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from drivers.base import DeviceKind

if TYPE_CHECKING:
    from drivers.idcard.text import IdCardData

EXIT_FAILURE = 1


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser(DeviceKind.IDCARD, help="ID card reader (SAM_V, serial)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    read = actions.add_parser("read", help="find, select and read the card on the reader; print it as JSON")
    read.add_argument("--port", required=True, help="serial port of the reader, e.g. /dev/ttyUSB0")
    read.add_argument("--baud", type=int, default=115200, help="115200 (default), 57600, 38400, 19200, 9600")
    read.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for each answer (default 3)")
    read.set_defaults(func=read_command)


def card_as_json(card: IdCardData) -> dict[str, Any]:
    """The JSON object of the diag contract."""
    from drivers.idcard.text import CardType

    out: dict[str, Any] = {
        "card_type": card.card_type.value,
        "name": card.name,
        "sex": card.sex.value,
        "nation": card.nation,
        "nation_name": card.nation_name,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": card.valid_to_text,
        "photo_bytes": len(card.photo),
    }
    if card.card_type is CardType.HK_MO_TW_PERMIT:
        out["pass_number"] = card.pass_number or ""
        out["issue_count"] = card.issue_count
    if card.card_type in (CardType.FOREIGN_PERMANENT, CardType.FOREIGN_PERMANENT_OLD):
        out["english_name"] = card.english_name or ""
        out["nationality"] = card.nationality or ""
    return out


def read_command(args: argparse.Namespace) -> int:
    from drivers.idcard.errors import IdCardError
    from drivers.idcard.reader import SUPPORTED_BAUD_RATES, SerialIdCardReader
    from kiosk.cli.output import print_error, print_json

    if args.baud not in SUPPORTED_BAUD_RATES:
        print_error("device_error", f"baud {args.baud} is not one of {', '.join(map(str, SUPPORTED_BAUD_RATES))}")
        return EXIT_FAILURE
    if not args.timeout > 0:
        print_error("device_error", "--timeout must be a positive number of seconds")
        return EXIT_FAILURE
    try:
        with SerialIdCardReader(args.port, args.baud, args.timeout) as reader:
            card = reader.read_card()
    except IdCardError as error:
        print_error(error.category, error.detail)
        return EXIT_FAILURE
    print_json(card_as_json(card))
    return 0
