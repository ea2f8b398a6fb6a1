"""`kiosk run [--config FILE]`: the kiosk itself (also what a bare `kiosk` does)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.logs import LOG_FORMAT, MaskingFormatter, setup_logging
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
    start_logging(config.state_path(config["paths.logs"]), terminal_id=config["terminal.id"])
    from app.kiosk_app import run as run_kiosk  # Qt and the screens: imported only when the kiosk starts

    try:
        return run_kiosk(config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2


def start_logging(log_dir: Path, **options: Any) -> None:
    """The kiosk's logging, which never stops the start: on a full disk or an unwritable state directory the log
    goes to the console (journald under systemd), and a failing log write is dropped without a traceback (the
    out-of-service panel and `kiosk doctor` say what is wrong)."""
    logging.raiseExceptions = False
    try:
        setup_logging(log_dir, **options)
    except OSError as error:
        console = logging.StreamHandler()
        console.setFormatter(MaskingFormatter(LOG_FORMAT))
        root = logging.getLogger()
        root.setLevel(logging.INFO)
        root.addHandler(console)
        logging.getLogger(__name__).error("the log file in %s cannot be written (%s): console only", log_dir, error)
