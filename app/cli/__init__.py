"""The `kiosk` command: run, sim, diag, and the technician subcommands.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its parser and
sets ``func`` (taking the parsed arguments, returning the exit code): ``run`` and ``sim`` here (they start the
application and the harness), the commands that need no window in kiosk/cli. Imports of Qt and of device libraries
happen inside the ``func``s, so that ``kiosk --help`` and the diag commands start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from app.cli import run, sim
from kiosk.cli import cert, diag, doctor, passwd, reconcile, recover, settle, verify
from kiosk.config import KioskConfig
from kiosk.feesystem.api import FeeSystem
from kiosk.simulated import provide_simulated_world

SUBCOMMAND_MODULES = [run, sim, diag, cert, verify, recover, reconcile, settle, doctor, passwd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Self-service social-insurance fee kiosk. Without a subcommand: `kiosk run`.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMAND_MODULES:
        module.register(subparsers)
    return parser


class LazySimulation:
    """The simulated world (app/harness/world.py) the commands of kiosk/cli open simulated stores with (`kiosk
    recover`, `reconcile`, `cert sample`), imported when one first needs it: `kiosk --help` and the diag commands
    start without the simulators."""

    def fee_system(
        self, config: KioskConfig, clock: Callable[[], dt.datetime], database: Path | str | None = None
    ) -> FeeSystem:
        from app.harness.world import SIMULATION

        return SIMULATION.fee_system(config, clock, database)

    def start_stand_ins(self, config: KioskConfig, parts: Iterable[str] | None = None) -> Any:
        from app.harness.world import SIMULATION

        return SIMULATION.start_stand_ins(config, parts)


def main(argv: Sequence[str] | None = None) -> int:
    provide_simulated_world(LazySimulation())  # the composition root's world, for the commands that need one
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list = ["run", *args_list]
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
