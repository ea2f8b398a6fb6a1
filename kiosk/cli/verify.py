"""`kiosk verify CODE --config FILE`: is a certificate's or receipt's verification code genuine?

Offline, with no secret: a signed (version 2) code is checked with the bureau's public key alone
(``[verification] public_key`` / ``public_key_file``); a code printed before the bureau signed them (version 1,
HMAC) with the old ``[verification] hmac_key``, where the hall still keeps it. Prints JSON with ``genuine`` and,
for a genuine code, the document's kind, number, masked name, total (figures and uppercase) and issue date.

There is no default configuration: without ``--config`` the command says so in one line (JSON, ``error: no_key``)
and exits 3. A v1 code with a placeholder, empty or short HMAC key, or a v2 code with no public key configured, is
refused the same way. The simulator's demo keys (public) are used only when its file is named, and the answer then
says ``demo_key: true``.

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
    parser.add_argument(
        "--config", metavar="FILE", help="configuration: [verification] public_key (hmac_key: old codes)"
    )
    parser.set_defaults(func=run)


def refuse(code: str, message: str) -> int:
    print_error(code, message)
    return EXIT_CONFIG


def run(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.verification import VERSION, MalformedCodeError, code_version

    if not args.config:
        return refuse("no_key", "no key configured: name the hall's configuration with --config FILE")
    try:
        # The keys alone: an office PC checking a code has none of the kiosk's serial ports.
        config = load_config(args.config, check_devices=False)
    except ConfigError as error:
        return refuse("config", str(error))
    try:
        version = code_version(args.code)
    except MalformedCodeError as error:
        print_json({"genuine": False, "error": "malformed", "message": f"不是有效的核验码：{error}"})
        return EXIT_MALFORMED
    checked = _check_v1(config, args) if version == VERSION else _check_signed(config, args)
    if isinstance(checked, int):
        return checked
    document, demo_key = checked
    demo = {"demo_key": True, "warning": "演示密钥：任何人都能做出这样的核验码，不能证明真伪"} if demo_key else {}
    if document is None:
        print_json({"genuine": False, "message": "核验未通过：该核验码不是本系统开具的（或已被改动）", **demo})
        return EXIT_NOT_GENUINE
    print_json({"genuine": True, "message": "核验通过：证明真实有效", **document.as_dict(), **demo})
    return 0


def _check_signed(config, args: argparse.Namespace):
    """A version-2 code against the bureau's public keys: (document or None, demo key) or an exit code."""
    from kiosk.verification import configured_public_keys, is_demo_public_key, verify_signed_code

    try:
        keys = configured_public_keys(config)
    except (OSError, ValueError) as error:
        return refuse("config", f"{args.config}: [verification] public_key: {error}")
    if not keys:
        return refuse("no_key", f"{args.config}: no [verification] public_key of the bureau is configured")
    return verify_signed_code(keys, args.code), all(is_demo_public_key(key) for key in keys)


def _check_v1(config, args: argparse.Namespace):
    """A version-1 (HMAC) code against the old key, where the hall keeps it."""
    from kiosk.verification import is_demo_key, key_problem, verify_code

    key = config["verification.hmac_key"]
    if not key.strip():
        return refuse("no_key", f"{args.config}: a version-1 code needs the old [verification] hmac_key")
    demo_key = is_demo_key(key)
    if not demo_key and (problem := key_problem(key)):
        return refuse("no_key", f"{args.config}: {problem}")
    return verify_code(key, args.code), demo_key
