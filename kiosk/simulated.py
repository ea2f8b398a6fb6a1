"""The simulated world as the kiosk needs it: one port, provided from above (docs/architecture.md, "Other parties").

A configuration may call parts of the world "simulated": the fee system (``fee_system.kind = "embedded"``), a
device (``devices.<kind>.mode``), the bank host (``bank.mode``). The kiosk starts none of them. The fee system and
the bank host are other parties' systems (parties/, which nothing in kiosk/ imports); they and the device
simulators are started by one builder, the simulated world of the composition root (app/harness/world.py). What
the kiosk needs of it is ``SimulatedWorld`` below, and it gets it in one of two ways:

- the running kiosk is handed its fee system and its devices' stand-ins: ``build_context(config, fee_system=...,
  stand_ins=...)`` (app/kiosk_app.py), and DeviceHub opens the devices at the addresses the stand-ins give;
- the kiosk's own commands and maintenance mode open a configuration's stores by themselves (`kiosk recover` and
  `kiosk reconcile` the fee system, and the PIN pad and bank host for a stored reversal; `kiosk cert sample` and
  the technician's A4 test page a fee system of the demo people). They ask ``simulated_world()``: the world the
  composition root provided with ``provide_simulated_world`` before it ran them (app.cli.main, KioskApp).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import KioskConfig
from kiosk.feesystem.api import ClosableFeeSystem

# The parts of a configuration whose mode may be "simulated", in the order they are started (the A4 printer's
# private cupsd early: it answers while the others start).
SIMULATED_PARTS = (
    "devices.idcard",
    "devices.sscard",
    "devices.receipt_printer",
    "devices.a4_printer",
    "devices.pinpad",
    "devices.bankcard",
    "bank",
)


def simulated_parts(config: KioskConfig, parts: Iterable[str] = SIMULATED_PARTS) -> list[str]:
    """Those of ``parts`` the configuration calls simulated."""
    return [part for part in parts if config[f"{part}.mode"] == "simulated"]


class StandIns(Protocol):
    """The simulators started for the parts a configuration calls simulated, and where the kiosk reaches them."""

    # Per configuration section, the values that point the section's device at its simulator, in mode "real"
    # ({"devices.idcard": {"mode": "real", "port": "/dev/pts/4"}, "bank": {"mode": "real", "host": ..., ...}}).
    # A part that could not be started is missing, and ``problems`` says why.
    sections: Mapping[str, Mapping[str, Any]]
    # By DeviceKind, and the bank host under kiosk.devices.BANK_HOST ("bank"): the bench's, the panel's, the tests'.
    simulators: dict[str, Any]
    problems: dict[str, str]  # a DeviceKind (or the bank host) -> why it is not available (for technicians)

    def wait_until_started(self) -> None:
        """Every simulator started in the background has answered (or failed and said why in ``problems``)."""
        ...

    def stop(self) -> None: ...


class SimulatedWorld(Protocol):
    def fee_system(
        self, config: KioskConfig, clock: Callable[[], dt.datetime], database: Path | str | None = None
    ) -> ClosableFeeSystem:
        """The embedded fee system of the configuration (its database, or ``database``: ":memory:" for one seeded
        afresh as of ``clock()``), with its policy figures and demo people. Close it when done."""
        ...

    def start_stand_ins(self, config: KioskConfig, parts: Iterable[str] | None = None) -> StandIns:
        """Simulators for those of ``parts`` (default: all) the configuration calls simulated, with their state in
        its state directory. Stop them when done."""
        ...


class NoSimulatedWorld(RuntimeError):
    """A configuration calls a part simulated, and no simulated world was provided to start it."""


_provided: SimulatedWorld | None = None


def provide_simulated_world(world: SimulatedWorld) -> None:
    """The composition root's world, for the kiosk code that opens a configuration's simulated stores itself."""
    global _provided
    _provided = world


def simulated_world() -> SimulatedWorld:
    if _provided is None:
        raise NoSimulatedWorld(
            "this configuration calls a part simulated, and no simulated world was provided: the composition root "
            "(app/, e.g. app.harness.world.SIMULATION) provides it with kiosk.simulated.provide_simulated_world"
        )
    return _provided
