"""`kiosk sim`'s device side: every simulator on its real transport, and a generated configuration for the kiosk.

The supervisor starts the ID card reader, PIN pad and receipt printer simulators on pseudo-terminals (or the
printer on a loopback TCP port), a virtual card slot on pcscd's vpcd reader, and the embedded fee-system
simulator behind its HTTP gateway on loopback. It then writes ``<state>/kiosk.toml``: the kiosk in *real* mode on
those ports, so a run is reproducible and can be inspected (docs/harness.md, "The state directory").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from app.harness.bench import PCSC_READERS, Bench
from app.harness.traffic import SerialTap, TrafficLog
from drivers.bankcard import VirtualPbocCard
from drivers.base import DeviceError
from drivers.idcard.simulator import IdCardReaderSimulator
from drivers.pcsc import connection, private_pcscd
from drivers.pcsc.daemon import ensure_pcscd
from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.pinpad import SerialPinPad
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.simulator import PinPadSimulator
from kiosk.config import KioskConfig, load_config
from kiosk.demo import demo_people
from kiosk.devices import (
    BANKCARD_VPCD_PORT,
    SIMULATED_BANKCARD_READER,
    SIMULATED_SSCARD_READER,
    VirtualCardSlot,
)
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import install_test_master_key
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer
from printers.escpos.simulator import EscPosPrinterSimulator

log = logging.getLogger(__name__)

GENERATED_CONFIG = "kiosk.toml"
RECEIPTS_DIR = "receipts"
CERTIFICATES_DIR = "certificates"
# The same file names a kiosk in simulated mode uses (kiosk/devices.py), so that `kiosk recover --state DIR`
# finds the pad's keys and the bank host's ledger where the harness left them.
PINPAD_KEYS = "pinpad.json"
BANK_DIR = "bank"  # the bank host simulator's state: accounts, ledger, working keys (bankhost.json)
PCSCD_LOG = "pcscd.log"  # what the simulator's own pcscd says (errors only)


@dataclass
class SupervisorOptions:
    printer_transport: str = "pty"  # "pty" or "tcp" (the network printer on a loopback port)
    tap_traffic: bool = True  # relay the serial devices through a tap that logs every frame
    config_overrides: dict[str, Any] = field(default_factory=dict)  # dotted keys for the kiosk (scenarios)
    # "own": a pcscd of the simulator's own, whose readers the panel can unplug (root, and a process that has not
    # spoken to another pcscd); "shared": the machine's pcscd and its vpcd reader; "auto": own when it can be.
    pcscd: str = "shared"


OWN_READER_NAMES = {"sscard": "Kiosk Sim SSCard", "bankcard": "Kiosk Sim Bank Card"}  # FRIENDLYNAMEs in our pcscd


def own_pcscd_unavailable() -> str | None:
    """Why the simulator cannot run a pcscd of its own in this process, or None when it can."""
    if connection.socket_in_use() is not None:
        return "this process already spoke to the machine's pcscd (libpcsclite picks its socket once)"
    return private_pcscd.unavailable_reason()


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
        self.simulators: dict[str, Any] = {}
        self.taps: list[SerialTap] = []
        self.traffic = TrafficLog()
        self.problems: dict[str, str] = {}
        self.fee_backend: EmbeddedFeeSystem | None = None
        self.fee_server: FeeSystemHttpServer | None = None
        self.config: KioskConfig | None = None
        self.bench: Bench | None = None
        self.pcscd: PrivatePcscd | None = None  # our own pcscd, when the readers run on one
        self.pcscd_problem = ""  # why they do not (the panel's tooltip on the reader plugs)

    @property
    def config_path(self) -> Path:
        return self.state_dir / GENERATED_CONFIG

    def start(self) -> SimulatorSupervisor:
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in (RECEIPTS_DIR, CERTIFICATES_DIR):
            (self.state_dir / name).mkdir(exist_ok=True)
        try:
            self._start_own_pcscd()
            overrides = {
                **self._start_idcard(),
                **self._start_sscard(),
                **self._start_pinpad(),
                **self._start_bank(),
                **self._start_printer(),
                **self._start_fee_system(),
            }
            self.config = self._write_config(overrides)
        except BaseException:
            self.stop()
            raise
        people = demo_people(self.base_config.config_path(self.base_config["fee_system.people"]))
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
        for tap in self.taps:  # each relay notices within its select() timeout: let them all count down at once
            tap.request_stop()
        for tap in self.taps:
            tap.stop()
        self.taps.clear()
        for simulator in self.simulators.values():
            try:
                simulator.stop()
            except Exception:  # one broken simulator must not keep the others running
                log.exception("stopping a simulator failed")
        self.simulators.clear()
        if self.pcscd is not None:
            self.pcscd.stop()
            self.pcscd = None
        if self.fee_server is not None:
            self.fee_server.stop()
            self.fee_server = None
        if self.fee_backend is not None:
            self.fee_backend.close()
            self.fee_backend = None

    def __enter__(self) -> SimulatorSupervisor:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the devices ---------------------------------------------------------------------------------------

    def _serial_port(self, device: str, simulator_port: str) -> str:
        """The port the kiosk opens: the simulator's own, or a tap in front of it that logs the traffic."""
        if not self.options.tap_traffic:
            return simulator_port
        tap = SerialTap(device, simulator_port, self.traffic).start()
        self.taps.append(tap)
        return tap.port

    def _card_tap(self, device: str) -> Callable[[str, bytes], None] | None:
        """The vpcd link's messages (ATR, APDUs) into the traffic log, as a card sniffer would show them."""
        return self.traffic.card_observer(device) if self.options.tap_traffic else None

    def _start_idcard(self) -> dict[str, Any]:
        simulator = IdCardReaderSimulator().start()
        self.simulators["idcard"] = simulator
        return {"devices.idcard.mode": "real", "devices.idcard.port": self._serial_port("idcard", simulator.port)}

    def _start_own_pcscd(self) -> None:
        """Our own pcscd with a vpcd reader per card slot, when asked for (or possible, for "auto")."""
        mode = self.options.pcscd
        reason = own_pcscd_unavailable()
        if mode == "shared" or (mode == "auto" and reason):
            self.pcscd_problem = reason or "the machine's pcscd is shared: its readers cannot be unplugged"
            return
        readers = {device: VirtualReader(OWN_READER_NAMES[device], private_pcscd.free_port_pair())
                   for device in PCSC_READERS}
        pcscd = PrivatePcscd(readers, log_file=self.state_dir / PCSCD_LOG)
        try:
            self.pcscd = pcscd.start()
        except DeviceError as error:
            pcscd.stop()
            if mode == "own" or connection.socket_in_use() is not None:
                raise
            # "auto": e.g. root in a container without the right to mount; the shared pcscd serves the slots.
            pcscd.release_process()
            log.warning("no pcscd of our own, the machine's serves the card slots: %s", error)
            self.pcscd_problem = str(error)

    def _reader(self, device: str, shared_name: str, shared_port: int) -> tuple[str, int]:
        """The reader name fragment the kiosk looks for and the vpcd port its card slot connects to."""
        if self.pcscd is None:
            return shared_name, shared_port
        reader = self.pcscd.readers[device]
        return reader.slot_name, reader.port

    def _start_sscard(self) -> dict[str, Any]:
        if self.pcscd is None:
            try:
                ensure_pcscd()
            except DeviceError as error:
                # The kiosk still runs (login by ID card); the panel and the scenario say why the slot is missing.
                log.warning("social security card slot unavailable: %s", error)
                self.problems["sscard"] = str(error)
        reader, port = self._reader("sscard", SIMULATED_SSCARD_READER, VPCD_PORT)
        self.simulators["sscard"] = VirtualCardSlot(port, on_message=self._card_tap("sscard"))
        return {"devices.sscard.mode": "real", "devices.sscard.reader": reader}

    def _start_pinpad(self) -> dict[str, Any]:
        simulator = PinPadSimulator(state_file=self.state_dir / PINPAD_KEYS).start()
        self.simulators["pinpad"] = simulator
        self._install_master_key(simulator.port)
        return {"devices.pinpad.mode": "real", "devices.pinpad.port": self._serial_port("pinpad", simulator.port)}

    def _install_master_key(self, port: str) -> None:
        """The kiosk opens the pad as a real one, so nobody else puts the test master key in: the supervisor
        does, as DeviceHub does for its own simulated pad (the bank host simulator holds the same key)."""
        algorithm = Algorithm(self.base_config["devices.pinpad.algorithm"])
        pad = SerialPinPad(port, timeout=self.base_config["timeouts.device_seconds"])
        try:
            pad.open()
            if not pad.check_values().get("master"):
                install_test_master_key(pad, algorithm)
        except DeviceError as error:
            log.warning("PIN pad simulator has no master key: %s", error)
            self.problems["pinpad"] = str(error)
        finally:
            pad.close()

    def _start_bank(self) -> dict[str, Any]:
        """The bank host on loopback (ledger in <state>/bank) and a bank card slot on vpcd's second reader."""
        algorithm = Algorithm(self.base_config["devices.pinpad.algorithm"])
        bank = BankHostSimulator(demo_accounts(), algorithm=algorithm, state_dir=self.state_dir / BANK_DIR).start()
        self.simulators["bank"] = bank
        reader, slot_port = self._reader("bankcard", SIMULATED_BANKCARD_READER, BANKCARD_VPCD_PORT)
        self.simulators["bankcard"] = VirtualCardSlot(
            slot_port, VirtualPbocCard, on_message=self._card_tap("bankcard")
        )
        host, port = bank.address
        return {
            "bank.mode": "real",
            "bank.host": host,
            "bank.port": port,
            "devices.bankcard.mode": "real",
            "devices.bankcard.reader": reader,
        }

    def _start_printer(self) -> dict[str, Any]:
        transport = self.options.printer_transport
        simulator = EscPosPrinterSimulator(transport, receipt_dir=self.state_dir / RECEIPTS_DIR).start()
        self.simulators["printer"] = simulator
        if transport == "tcp":
            host, port = simulator.address
            return {
                "devices.receipt_printer.mode": "real",
                "devices.receipt_printer.transport": "tcp",
                "devices.receipt_printer.host": host,
                "devices.receipt_printer.tcp_port": port,
            }
        return {
            "devices.receipt_printer.mode": "real",
            "devices.receipt_printer.transport": "serial",
            "devices.receipt_printer.port": self._serial_port("printer", simulator.port),
        }

    def _start_fee_system(self) -> dict[str, Any]:
        base = self.base_config
        self.fee_backend = EmbeddedFeeSystem(
            self.state_dir / base["fee_system.database"],
            base.config_path(base["fee_system.policy"]),
            base.config_path(base["fee_system.people"]),
            clock=self.clock,
            verification_key=base["verification.hmac_key"],
        )
        self.fee_server = FeeSystemHttpServer(self.fee_backend).start()
        return {"fee_system.kind": "http", "fee_system.url": self.fee_server.url}

    # --- the generated configuration -----------------------------------------------------------------------

    def _write_config(self, overrides: dict[str, Any]) -> KioskConfig:
        base = self.base_config
        values = {name: dict(table) for name, table in base.values.items()}
        fixed = {
            "paths.state_dir": str(self.state_dir),
            # Policy and people stay where the base configuration found them (the file moves to the state dir).
            "fee_system.policy": str(base.config_path(base["fee_system.policy"])),
            "fee_system.people": str(base.config_path(base["fee_system.people"])),
            "display.fullscreen": False,
            **overrides,
            **self.options.config_overrides,
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
        self.config_path.write_text(header + tomli_w.dumps(nested), encoding="utf-8")
        self.config_path.chmod(0o600)  # holds the verification key
        return load_config(self.config_path)
