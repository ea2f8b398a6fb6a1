"""`kiosk run [--config FILE]`: the kiosk itself (also what a bare `kiosk` does)."""

from __future__ import annotations

import argparse
import sys

from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.logs import setup_logging
from kiosk.private_files import private_umask


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the kiosk (default)")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="configuration file (TOML)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
    private_umask()  # as the unit's UMask=0077, for a kiosk started from a shell
    setup_logging(config.state_path(config["paths.logs"]), terminal_id=config["terminal.id"])
    from app.kiosk_app import run as run_kiosk  # Qt and the screens: imported only when the kiosk starts

    try:
        return run_kiosk(config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
