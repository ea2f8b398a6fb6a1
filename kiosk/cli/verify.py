"""`kiosk verify CODE [--config FILE]`: is a certificate's or receipt's verification code genuine?

Offline, with the HMAC key of the configuration: prints JSON with ``genuine`` and, for a genuine code, the
document number, the masked name and the total (figures and uppercase).
Exit 0 genuine, 1 not genuine, 2 not a code at all (typo), 3 configuration problem.
"""

from __future__ import annotations

import argparse

from kiosk.cli.output import print_error, print_json

EXIT_NOT_GENUINE = 1
EXIT_MALFORMED = 2
EXIT_CONFIG = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify", help="check a certificate's or receipt's verification code (genuine or not)"
    )
    parser.add_argument("code", metavar="CODE", help="the code under the QR (groups may be joined by - or spaces)")
    parser.add_argument("--config", metavar="FILE", help="configuration with [verification] hmac_key")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.verification import MalformedCodeError, verify_code

    try:
        key = load_config(args.config)["verification.hmac_key"]
    except ConfigError as error:
        print_error("config", str(error))
        return EXIT_CONFIG
    try:
        document = verify_code(key, args.code)
    except MalformedCodeError as error:
        print_json({"genuine": False, "error": "malformed", "message": f"不是有效的核验码：{error}"})
        return EXIT_MALFORMED
    if document is None:
        print_json({"genuine": False, "message": "核验未通过：该核验码不是本系统开具的（或已被改动）"})
        return EXIT_NOT_GENUINE
    print_json({"genuine": True, "message": "核验通过：证明真实有效", **document.as_dict()})
    return 0
