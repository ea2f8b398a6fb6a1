"""`kiosk sim`'s device side: the whole simulated world, and a generated configuration for the kiosk.

The supervisor starts the simulated world (world.py) of every part but the A4 printer: the ID card reader, PIN pad
and receipt printer simulators on pseudo-terminals (or the printer on a loopback TCP port) behind traffic taps,
virtual card slots on pcscd's vpcd readers (a pcscd of its own when it can), the bank host, and the embedded
fee-system simulator behind its HTTP gateway on loopback. It then writes ``<state>/kiosk.toml``: the kiosk in
*real* mode on those ports, so a run is reproducible and can be inspected (docs/harness.md, "The state directory").
The kiosk's A4 printer stays simulated in it: its own KioskApp starts that one, through the same world.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from app.harness.bench import Bench
from app.harness.traffic import SerialTap, TrafficLog
from app.harness.world import (
    BANK_DIR,
    CERTIFICATES_DIR,
    FEE_SYSTEM,
    OWN_READER_NAMES,
    PCSCD_LOG,
    PINPAD_KEYS,
    RECEIPTS_DIR,
    World,
    WorldOptions,
    own_pcscd_unavailable,
)
from drivers.pcsc.private_pcscd import PrivatePcscd
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.demo import demo_people
from kiosk.private_files import replace_file
from kiosk.simulated import SIMULATED_PARTS
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer

log = logging.getLogger(__name__)

__all__ = [
    "BANK_DIR",
    "CERTIFICATES_DIR",
    "GENERATED_CONFIG",
    "OWN_READER_NAMES",
    "PCSCD_LOG",
    "PINPAD_KEYS",
    "RECEIPTS_DIR",
    "SimulatorSupervisor",
    "SupervisorOptions",
    "own_pcscd_unavailable",
]

GENERATED_CONFIG = "kiosk.toml"
# Every part of the world but the A4 printer (the kiosk's own, see above), and the fee system over HTTP.
SUPERVISED_PARTS = (*(part for part in SIMULATED_PARTS if part != "devices.a4_printer"), FEE_SYSTEM)


@dataclass
class SupervisorOptions:
    printer_transport: str = "pty"  # "pty" or "tcp" (the network printer on a loopback port)
    tap_traffic: bool = True  # relay the serial devices through a tap that logs every frame
    config_overrides: dict[str, Any] = field(default_factory=dict)  # dotted keys for the kiosk (scenarios)
    # "own": a pcscd of the simulator's own, whose readers the panel can unplug (root, and a process that has not
    # spoken to another pcscd); "shared": the machine's pcscd and its vpcd reader; "auto": own when it can be.
    pcscd: str = "shared"


class SimulatorSupervisor:
    """Start with ``start()``, stop with ``stop()``. ``config`` is the generated kiosk configuration."""

    def __init__(
        self,
        base_config: KioskConfig,
        state_dir: Path,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        options: SupervisorOptions | None = None,
    ) -> None:
        self.base_config = base_config
        self.state_dir = Path(state_dir).resolve()
        self.clock = clock
        self.options = options or SupervisorOptions()
        # The simulators run on the configuration the kiosk gets: a policy or people file a scenario names is the
        # fee system's too (the kill sweep's all-year pension window), not only a line in the generated file.
        self.world_config = _with_scenario_overrides(base_config, self.options.config_overrides)
        self.world = World(
            self.world_config,
            self.state_dir,
            clock,
            WorldOptions(
                printer_transport=self.options.printer_transport,
                tap_traffic=self.options.tap_traffic,
                pcscd=self.options.pcscd,
            ),
        )
        self.config: KioskConfig | None = None
        self.bench: Bench | None = None

    # What the world started, under the names the runner, the panel and the tests use.
    @property
    def simulators(self) -> dict[str, Any]:
        return self.world.simulators

    @property
    def problems(self) -> dict[str, str]:
        return self.world.problems

    @property
    def taps(self) -> list[SerialTap]:
        return self.world.taps

    @property
    def traffic(self) -> TrafficLog:
        return self.world.traffic

    @property
    def fee_backend(self) -> EmbeddedFeeSystem | None:
        return self.world.fee_backend

    @property
    def fee_server(self) -> FeeSystemHttpServer | None:
        return self.world.fee_server

    @property
    def pcscd(self) -> PrivatePcscd | None:
        return self.world.pcscd

    @property
    def pcscd_problem(self) -> str:
        return self.world.pcscd_problem

    @property
    def config_path(self) -> Path:
        return self.state_dir / GENERATED_CONFIG

    def start(self) -> SimulatorSupervisor:
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in (RECEIPTS_DIR, CERTIFICATES_DIR):
            (self.state_dir / name).mkdir(exist_ok=True)
        self.world.start(SUPERVISED_PARTS)
        try:
            self.config = self._write_config(self.world.overrides())
        except BaseException:
            self.stop()
            raise
        people = demo_people(Path(self.world_config["fee_system.people"]))
        self.bench = Bench(
            simulators=self.simulators,
            fee_backend=self.fee_backend,
            people={person.key: person for person in people},
            fee_server=self.fee_server,
            pcscd=self.pcscd,
            pcscd_problem=self.pcscd_problem,
        )
        return self

    def stop(self) -> None:
        self.world.stop()

    def __enter__(self) -> SimulatorSupervisor:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the generated configuration -----------------------------------------------------------------------

    def _write_config(self, overrides: dict[str, Any]) -> KioskConfig:
        base = self.base_config
        values = {name: dict(table) for name, table in base.values.items()}
        fixed = {
            "paths.state_dir": str(self.state_dir),
            "display.fullscreen": False,
            "terminal.simulator_harness": True,  # never real mode, whichever parts a scenario makes "real"
            **overrides,
            **self.options.config_overrides,
            # The files the world's fee system opened, by absolute path (the generated file is in the state dir).
            **{key: self.world_config[key] for key in FILES_BESIDE_CONFIG},
        }
        for dotted, value in fixed.items():
            section, _, key = dotted.rpartition(".")
            values[section][key] = value
        nested: dict[str, Any] = {}
        for section, table in values.items():
            node = nested
            for part in section.split("."):
                node = node.setdefault(part, {})
            node.update(table)
        header = (
            "# Generated by `kiosk sim` for this run: the kiosk in real mode on the simulators' ports.\n"
            f"# Base configuration: {base.source}\n"
        )
        # All at once and private from the start: it holds keys, and a watcher may read it as soon as it appears.
        replace_file(self.config_path, header + tomli_w.dumps(nested))
        return load_config(self.config_path)


OVERRIDES = "the configuration overrides"  # the "file" a ConfigError names for SupervisorOptions.config_overrides
# Files a configuration names relative to itself: policy figures and demo people.
FILES_BESIDE_CONFIG = ("fee_system.policy", "fee_system.people")


def _with_scenario_overrides(base: KioskConfig, overrides: dict[str, Any]) -> KioskConfig:
    """The base configuration with a scenario's overrides, its policy and people files as absolute paths: a relative
    one, given in the base or in the scenario, is beside the base configuration (KioskConfig.config_path). Raises
    ConfigError for a key of no section or a file that is not there (the generated file's load checks the rest)."""
    for dotted in overrides:
        if dotted.rpartition(".")[0] not in base.values:
            raise ConfigError(OVERRIDES, dotted, "no such section of the configuration")
    config = base.with_overrides(overrides)
    files = {key: base.config_path(config[key]).resolve() for key in FILES_BESIDE_CONFIG}
    for key, path in files.items():
        if not path.is_file():
            raise ConfigError(OVERRIDES, key, f"no such file: {path}")
    return config.with_overrides({key: str(path) for key, path in files.items()})
