"""`kiosk passwd [--config FILE] TECHNICIAN_ID`: set a technician's maintenance password.

Reads the password twice from the terminal (never echoed), writes only its scrypt hash into the configuration's
[maintenance.technicians] table (the file is validated before it is replaced), and prints nothing of the
password. Exit 0 when set, 1 when refused (mismatch, too short, bad id), 2 when the configuration is bad.
"""

from __future__ import annotations

import argparse
import getpass
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("passwd", help="set a technician's maintenance password (stores a scrypt hash)")
    parser.add_argument("--config", metavar="FILE", help="configuration file to write (default config/simulated.toml)")
    parser.add_argument("technician_id", metavar="TECHNICIAN_ID", help="letters, digits, - and _ (up to 32)")
    parser.set_defaults(func=run_passwd)


def read_password(prompt: str) -> str:
    return getpass.getpass(prompt)


def run_passwd(args: argparse.Namespace) -> int:
    from kiosk.config import DEFAULT_CONFIG, ConfigError
    from kiosk.maintenance.configedit import ConfigEditor
    from kiosk.maintenance.credentials import TECHNICIAN_ID, hash_password, password_problem

    if not TECHNICIAN_ID.match(args.technician_id):
        print("kiosk passwd: a technician id is 1-32 letters, digits, - or _", file=sys.stderr)
        return 1
    editor = ConfigEditor(args.config or DEFAULT_CONFIG)
    try:
        editor.load()
    except ConfigError as error:
        print(f"kiosk passwd: {error}", file=sys.stderr)
        return 2
    try:
        first = read_password(f"New maintenance password for {args.technician_id}: ")
        second = read_password("Again: ")
    except (EOFError, KeyboardInterrupt):
        print("\nkiosk passwd: nothing changed", file=sys.stderr)
        return 1
    if first != second:
        print("kiosk passwd: the two passwords differ; nothing changed", file=sys.stderr)
        return 1
    if problem := password_problem(first):
        print(f"kiosk passwd: the password needs {problem}; nothing changed", file=sys.stderr)
        return 1
    try:
        editor.set_technician_hash(args.technician_id, hash_password(first))
    except (ConfigError, OSError) as error:
        print(f"kiosk passwd: {error}", file=sys.stderr)
        return 2
    print(f"password of technician {args.technician_id} set in {editor.path} (restart the kiosk to use it)")
    return 0
