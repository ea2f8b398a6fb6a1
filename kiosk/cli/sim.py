"""`kiosk sim [--config FILE]`: the kiosk on simulated devices, with the simulator's control window beside it.

Every device is switched to "simulated" whatever the file says: the simulators start on the devices' real
transports (pseudo-terminals, pcscd's vpcd reader) and the kiosk's real drivers talk to them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kiosk.config import DEFAULT_CONFIG, SCHEMA, ConfigError, load_config
from kiosk.logs import setup_logging


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sim", help="run the kiosk on simulated devices with the simulator panel")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="configuration file (TOML)")
    parser.set_defaults(func=run_simulated)


def run_simulated(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
    device_modes = {f"{section}.mode": "simulated" for section in SCHEMA if section.startswith("devices.")}
    config = config.with_overrides({**device_modes, "fee_system.kind": "embedded", "display.fullscreen": False})
    setup_logging(config.state_path(config["paths.logs"]))
    screens_app = importlib.import_module("screens.app")  # the one place kiosk/ starts the top layer
    return screens_app.run(config)
