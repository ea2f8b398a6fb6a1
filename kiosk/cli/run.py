"""`kiosk run [--config FILE]`: the kiosk itself (also what a bare `kiosk` does)."""

from __future__ import annotations

import argparse
import importlib
import sys

from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.logs import setup_logging


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
    setup_logging(config.state_path(config["paths.logs"]))
    # The command line sits in kiosk/ (DESIGN.md §2) but starts the top layer: load it by name here, the one
    # place where kiosk/ reaches up to screens/.
    screens_app = importlib.import_module("screens.app")
    try:
        return screens_app.run(config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
