"""`kiosk sim [--config FILE] [--state DIR] [--headless --scenario FILE]`: the kiosk on simulated devices.

The simulators start on the devices' real transports (pseudo-terminals, pcscd's vpcd reader, loopback HTTP for the
fee-system gateway), a generated configuration in the state directory points the kiosk at them in real mode, and
the kiosk starts with it, with the simulator's control panel beside it. With ``--scenario`` a scenario file
(docs/harness.md) drives the run instead of a person; ``--headless`` runs it offscreen and exits 0 when every step
passed, 1 with a report of the step that failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from app.cli.run import start_logging
from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.private_files import private_umask


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sim", help="run the kiosk on simulated devices with the simulator panel")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="base configuration file (TOML)")
    parser.add_argument("--state", metavar="DIR", help="keep every piece of the run's state in DIR (resumable)")
    parser.add_argument("--scenario", metavar="FILE", help="run a scenario file (docs/harness.md)")
    parser.add_argument("--headless", action="store_true", help="offscreen, no panel (needs --scenario)")
    parser.add_argument(
        "--printer-transport", choices=("pty", "tcp"), default="pty", help="receipt printer on a pty or loopback TCP"
    )
    parser.add_argument(
        "--pcscd",
        choices=("auto", "own", "shared"),
        default="auto",
        help="card readers on a pcscd of the simulator's own (the panel can unplug them; needs root), on the "
        "machine's shared pcscd, or own when possible (default)",
    )
    parser.add_argument(
        "--metrics", metavar="HOST:PORT", help="serve Prometheus /metrics there (docs/operations.md; default: config)"
    )
    parser.set_defaults(func=run_simulated)


def run_simulated(args: argparse.Namespace) -> int:
    if args.headless and not args.scenario:
        print("kiosk sim: --headless needs --scenario FILE (a person needs a window)", file=sys.stderr)
        return 2
    private_umask()  # the state dir, its parents and every file the run and its simulators create: 0700/0600
    try:
        base = load_config(args.config)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
    if args.metrics:
        from kiosk.metrics import listen_address

        try:
            listen_address(args.metrics)
        except ValueError as error:
            print(f"kiosk sim: --metrics: {error}", file=sys.stderr)
            return 2
        base = base.with_overrides({"metrics.listen": args.metrics})
    if args.headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.scenario:
        return run_scenario(args, base)
    return run_interactive(args, base)


def run_scenario(args: argparse.Namespace, base) -> int:
    from app.harness.runner import run_scenario_file
    from app.harness.scenario import ScenarioError

    state = Path(args.state).resolve() if args.state else None
    if state:
        start_logging(state / base["paths.logs"])
    try:
        report = run_scenario_file(
            args.scenario, state_dir=state, base_config=base, show=not args.headless, pcscd=args.pcscd
        )
    except ScenarioError as error:
        print(f"kiosk sim: {error}", file=sys.stderr)
        return 2
    print(report.text(), file=sys.stdout if report.passed else sys.stderr)
    return 0 if report.passed else 1


def run_interactive(args: argparse.Namespace, base) -> int:
    from PySide6.QtWidgets import QApplication

    from app.harness.sim_panel import show_simulator_panel
    from app.harness.supervisor import SimulatorSupervisor, SupervisorOptions
    from app.kiosk_app import KioskApp
    from kiosk.fonts import MissingCjkFont

    scratch = None if args.state else tempfile.TemporaryDirectory(prefix="kiosk-sim-")
    state = Path(args.state or Path(scratch.name) / "state").resolve()
    start_logging(state / base["paths.logs"])
    options = SupervisorOptions(printer_transport=args.printer_transport, pcscd=args.pcscd)
    with SimulatorSupervisor(base, state, clock=dt.datetime.now, options=options) as supervisor:
        print(f"kiosk sim: state in {state}; generated configuration {supervisor.config_path}", flush=True)
        for device, problem in supervisor.problems.items():
            print(f"kiosk sim: {device}: {problem}", file=sys.stderr)
        if supervisor.pcscd is None:
            print(f"kiosk sim: the card readers are on the machine's pcscd, the panel cannot unplug them: "
                  f"{supervisor.pcscd_problem}", file=sys.stderr)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("sifee-kiosk")
        try:
            kiosk = KioskApp(supervisor.config, app)
        except MissingCjkFont as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return 3
        kiosk.show(with_panel=False)
        show_simulator_panel(kiosk, supervisor.bench, supervisor.traffic)
        try:
            return app.exec()
        finally:
            kiosk.close()
            if scratch is not None:
                scratch.cleanup()
