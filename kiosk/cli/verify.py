"""`kiosk verify CODE --config FILE`: is a certificate's or receipt's verification code genuine?

Offline, with the HMAC key of the hall's configuration: prints JSON with ``genuine`` and, for a genuine code, the
document number, the masked name and the total (figures and uppercase).

There is no default configuration: a code checked against the public demo key proves nothing (anybody can make one
for any amount), so without ``--config`` the command says so in one line (JSON, ``error: no_key``) and exits 3.
A placeholder, empty or short key is refused the same way. The simulator's demo key is used only when its file is
named, and the answer then says ``demo_key: true``.

The configuration is validated but its devices are not checked: verification runs on any machine.

Exit 0 genuine, 1 not genuine, 2 not a code at all (typo), 3 no usable key (configuration problem).
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
    parser.add_argument("--config", metavar="FILE", help="the hall's configuration, with [verification] hmac_key")
    parser.set_defaults(func=run)


def refuse(code: str, message: str) -> int:
    print_error(code, message)
    return EXIT_CONFIG


def run(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.verification import MalformedCodeError, is_demo_key, key_problem, verify_code

    if not args.config:
        return refuse("no_key", "no key configured: name the hall's configuration with --config FILE")
    try:
        # The key alone: an office PC checking a code has none of the kiosk's serial ports.
        key = load_config(args.config, check_devices=False)["verification.hmac_key"]
    except ConfigError as error:
        return refuse("config", str(error))
    demo_key = is_demo_key(key)
    if not demo_key and (problem := key_problem(key)):
        return refuse("no_key", f"{args.config}: {problem}")
    try:
        document = verify_code(key, args.code)
    except MalformedCodeError as error:
        print_json({"genuine": False, "error": "malformed", "message": f"不是有效的核验码：{error}"})
        return EXIT_MALFORMED
    demo = {"demo_key": True, "warning": "演示密钥：任何人都能做出这样的核验码，不能证明真伪"} if demo_key else {}
    if document is None:
        print_json({"genuine": False, "message": "核验未通过：该核验码不是本系统开具的（或已被改动）", **demo})
        return EXIT_NOT_GENUINE
    print_json({"genuine": True, "message": "核验通过：证明真实有效", **document.as_dict(), **demo})
    return 0
