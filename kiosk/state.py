"""Where a kiosk's state lives: `--config FILE | --state DIR` resolved to a configuration and its stores.

`--state DIR` means the kiosk's whole state (journal.sqlite3, feesystem.sqlite3, ...) lives in DIR, with every
other value from config/simulated.toml. `kiosk sim --state DIR`, `kiosk recover` and `kiosk reconcile` all resolve
it here, so they agree on which files they read and write.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import DEFAULT_CONFIG, KioskConfig, load_config
from kiosk.feesystem.api import FeeSystem
from kiosk.payments.journal import Journal


def add_state_arguments(parser: argparse.ArgumentParser) -> None:
    """`--config FILE | --state DIR` (mutually exclusive; neither means config/simulated.toml)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", help="configuration file (TOML); default config/simulated.toml")
    group.add_argument("--state", metavar="DIR", help="state directory, with config/simulated.toml's other values")


def resolve_config(config_file: str | Path | None = None, state_dir: str | Path | None = None) -> KioskConfig:
    """Raises ConfigError for a bad file; ``state_dir`` overrides paths.state_dir of the default configuration."""
    if config_file is not None and state_dir is not None:
        raise ValueError("give either a configuration file or a state directory, not both")
    if state_dir is not None:
        return load_config(DEFAULT_CONFIG).with_overrides({"paths.state_dir": str(Path(state_dir).resolve())})
    return load_config(config_file)


def config_from_args(args: argparse.Namespace) -> KioskConfig:
    return resolve_config(getattr(args, "config", None), getattr(args, "state", None))


def journal_path(config: KioskConfig) -> Path:
    return config.state_path(config["paths.journal"])


def feesystem_database(config: KioskConfig) -> Path:
    """The embedded simulator's database (the fee system's payments and the QR channel's orders)."""
    return config.state_path(config["fee_system.database"])


@dataclass
class KioskStores:
    """The stores recovery and reconciliation work on. Close it when done."""

    config: KioskConfig
    journal: Journal
    fee_system: FeeSystem

    def close(self) -> None:
        self.journal.close()
        close = getattr(self.fee_system, "close", None)
        if close:
            close()


def open_stores(config: KioskConfig, clock: Callable[[], dt.datetime] = dt.datetime.now) -> KioskStores:
    """The journal and the fee system the application itself would use (same builder, same files)."""
    # The application's builder is the one place that knows the fee-system kinds (embedded, HTTP).
    from kiosk.application import build_fee_system

    config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fee_system = build_fee_system(config, clock)
    journal = Journal(journal_path(config), config["terminal.id"], clock=clock)
    return KioskStores(config, journal, fee_system)
