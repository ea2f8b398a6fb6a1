"""The simulated world: the one place that starts every simulator a kiosk may be pointed at.

The device simulators on their real transports (the ID card reader, the PIN pad with the test master key in it,
the receipt printer on a pseudo-terminal or loopback TCP, the A4 printer's private cupsd, virtual card slots on
pcscd's vpcd readers), the bank host simulator and the fee system's gateway (parties/). Two runs use it:

- `kiosk run` on a configuration that calls parts "simulated" (config/simulated.toml, the tests' kiosks): KioskApp
  starts a World for those parts and hands its stand-ins to the kiosk (``SIMULATION``, the implementation of
  kiosk/simulated.py's port), and DeviceHub opens the real drivers at their addresses;
- `kiosk sim` (also `make run`: `kiosk sim --state var`) and the scenarios: the supervisor (supervisor.py) starts a
  World of every part but the A4 printer, with traffic taps, a pcscd of its own and the fee system behind its HTTP
  gateway with mutual TLS, and writes the kiosk a configuration in mode "real" on the World's addresses
  (``overrides``). That kiosk's A4 printer stays simulated: its KioskApp starts it, as above.

A World keeps its state in the configuration's state directory, under the same names for both runs (so that
`kiosk recover --state DIR` finds the pad's keys and the bank host's ledger wherever they were left).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.harness.bench import PCSC_READERS
from app.harness.card_slot import VirtualCardSlot
from app.harness.traffic import SerialTap, TrafficLog
from drivers.bankcard import VirtualPbocCard
from drivers.base import DeviceError, DeviceKind
from drivers.idcard.simulator import IdCardReaderSimulator
from drivers.pcsc import connection, private_pcscd
from drivers.pcsc.daemon import ensure_pcscd
from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.pinpad import SerialPinPad
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.simulator import PinPadSimulator
from kiosk.config import KioskConfig
from kiosk.devices import BANK_HOST, BANKCARD_VPCD_PORT, SIMULATED_BANKCARD_READER, SIMULATED_SSCARD_READER
from kiosk.simulated import SIMULATED_PARTS, simulated_parts
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import install_test_master_key
from parties.feesystem.embedded import EmbeddedFeeSystem, open_embedded
from parties.feesystem.http_server import FeeSystemHttpServer
from parties.feesystem.public_pages import PublicPages
from parties.feesystem.server_tls import ServerTls
from parties.feesystem.test_pki import make_test_pki
from printers.a4.private_cupsd import CupsUnavailable
from printers.a4.simulator import CupsFilePrinterSimulator
from printers.escpos.simulator import EscPosPrinterSimulator

log = logging.getLogger(__name__)

FEE_SYSTEM = "fee_system"  # a part too: the embedded fee system behind its HTTP gateway (the supervisor's)
# The state directory's names, the same whoever starts the world.
RECEIPTS_DIR = "receipts"
CERTIFICATES_DIR = "certificates"
PINPAD_KEYS = "pinpad.json"
BANK_DIR = "bank"  # the bank host simulator's state: accounts, ledger, working keys (bankhost.json)
PKI_DIR = "pki"  # the fee-system simulator's test CA, its server certificate, the CRL, the terminal's certificate
PCSCD_LOG = "pcscd.log"  # what the world's own pcscd says (errors only)
# The FRIENDLYNAMEs of the card slots in our own pcscd.
OWN_READER_NAMES = {DeviceKind.SSCARD: "Kiosk Sim SSCard", DeviceKind.BANKCARD: "Kiosk Sim Bank Card"}


def own_pcscd_unavailable() -> str | None:
    """Why the world cannot run a pcscd of its own in this process, or None when it can."""
    if connection.socket_in_use() is not None:
        return "this process already spoke to the machine's pcscd (libpcsclite picks its socket once)"
    return private_pcscd.unavailable_reason()


@dataclass
class WorldOptions:
    printer_transport: str = "pty"  # "pty" or "tcp" (the network printer on a loopback port)
    tap_traffic: bool = False  # relay the serial devices through a tap that logs every frame (and the card links)
    # "own": a pcscd of the world's own, whose readers the panel can unplug (root, and a process that has not spoken
    # to another pcscd); "shared": the machine's pcscd and its vpcd readers; "auto": own when it can be.
    pcscd: str = "shared"


class World:
    """The simulators of some parts of a configuration (``start(parts)``), and where a kiosk reaches them.

    Implements kiosk.simulated.StandIns: ``sections`` (per configuration section, the values in mode "real" that
    point a device at its simulator), ``simulators``, ``problems``, ``wait_until_started()``, ``stop()``."""

    def __init__(
        self,
        config: KioskConfig,
        state_dir: Path | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        options: WorldOptions | None = None,
    ) -> None:
        # Every file of the world goes under ``state_dir`` (default: the configuration's own state directory).
        self.config = config if state_dir is None else config.with_overrides({"paths.state_dir": str(state_dir)})
        self.clock = clock
        self.options = options or WorldOptions()
        self.sections: dict[str, dict[str, Any]] = {}
        self.simulators: dict[str, Any] = {}  # by DeviceKind, and the bank host by BANK_HOST
        self.problems: dict[str, str] = {}  # the same keys -> why it is not available
        self.taps: list[SerialTap] = []
        self.traffic = TrafficLog()
        self.pcscd: PrivatePcscd | None = None  # our own pcscd, when the card slots run on one
        self.pcscd_problem = ""  # why they do not (the panel's tooltip on the reader plugs)
        self.fee_backend: EmbeddedFeeSystem | None = None
        self.fee_server: FeeSystemHttpServer | None = None
        self._a4_starting: threading.Thread | None = None

    @property
    def state_dir(self) -> Path:
        return self.config.state_dir

    def start(self, parts: Iterable[str]) -> World:
        wanted = set(parts)
        unknown = wanted - {*SIMULATED_PARTS, FEE_SYSTEM}
        if unknown:
            raise ValueError(f"no such part of the simulated world: {', '.join(sorted(unknown))}")
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        starters: dict[str, Callable[[], dict[str, Any] | None]] = {
            "devices.idcard": self._start_idcard,
            "devices.sscard": self._start_sscard,
            "devices.receipt_printer": self._start_printer,
            "devices.a4_printer": self._start_a4_printer,
            "devices.pinpad": self._start_pinpad,
            "devices.bankcard": self._start_bankcard,
            "bank": self._start_bank,
            FEE_SYSTEM: self._start_fee_system,
        }
        try:
            if wanted & {"devices.sscard", "devices.bankcard"}:
                self._start_own_pcscd()
            for part in (*SIMULATED_PARTS, FEE_SYSTEM):
                if part in wanted:
                    address = starters[part]()
                    if address is not None:
                        self.sections[part] = address
        except BaseException:
            self.stop()
            raise
        return self

    def overrides(self) -> dict[str, Any]:
        """The sections as dotted configuration keys (a kiosk configuration in mode "real" on this world)."""
        values = {f"{section}.{key}": value for section, keys in self.sections.items() for key, value in keys.items()}
        if self.fee_server is not None:  # the QR codes lead to its public verification page (no client certificate)
            values["verification.page_url"] = self.fee_server.public_url
        return values

    def wait_until_started(self) -> None:
        starting = self._a4_starting
        if starting is not None:
            starting.join()

    def stop(self) -> None:
        self.wait_until_started()  # a cupsd still starting would outlive the world
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

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- transports ------------------------------------------------------------------------------------------

    def _serial_port(self, device: DeviceKind, simulator_port: str) -> str:
        """The port the kiosk opens: the simulator's own, or a tap in front of it that logs the traffic."""
        if not self.options.tap_traffic:
            return simulator_port
        tap = SerialTap(device, simulator_port, self.traffic).start()
        self.taps.append(tap)
        return tap.port

    def _card_tap(self, device: DeviceKind) -> Callable[[str, bytes], None] | None:
        """The vpcd link's messages (ATR, APDUs) into the traffic log, as a card sniffer would show them."""
        return self.traffic.card_observer(device) if self.options.tap_traffic else None

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

    def _reader(self, device: DeviceKind, shared_name: str, shared_port: int) -> tuple[str, int]:
        """The reader name fragment the kiosk looks for and the vpcd port its card slot connects to."""
        if self.pcscd is None:
            return shared_name, shared_port
        reader = self.pcscd.readers[device]
        return reader.slot_name, reader.port

    # --- the devices -----------------------------------------------------------------------------------------

    def _start_idcard(self) -> dict[str, Any]:
        simulator = IdCardReaderSimulator().start()
        self.simulators[DeviceKind.IDCARD] = simulator
        return {"mode": "real", "port": self._serial_port(DeviceKind.IDCARD, simulator.port)}

    def _start_sscard(self) -> dict[str, Any]:
        if self.pcscd is None:
            try:
                ensure_pcscd()
            except DeviceError as error:
                # The kiosk still runs (login by ID card); the screen, the panel and a scenario say why the slot is
                # missing.
                log.warning("social security card slot unavailable: %s", error)
                self.problems[DeviceKind.SSCARD] = str(error)
        reader, port = self._reader(DeviceKind.SSCARD, SIMULATED_SSCARD_READER, VPCD_PORT)
        self.simulators[DeviceKind.SSCARD] = VirtualCardSlot(port, on_message=self._card_tap(DeviceKind.SSCARD))
        return {"mode": "real", "reader": reader}

    def _start_pinpad(self) -> dict[str, Any]:
        simulator = PinPadSimulator(state_file=self.config.state_path(PINPAD_KEYS)).start()
        self.simulators[DeviceKind.PINPAD] = simulator
        self._install_master_key(simulator.port)
        return {"mode": "real", "port": self._serial_port(DeviceKind.PINPAD, simulator.port)}

    def _install_master_key(self, port: str) -> None:
        """The simulated pad and the simulated bank share a test master key (never a real one): the bank host
        simulator holds its copy, and the world puts it into the pad, as a key ceremony would."""
        algorithm = Algorithm(self.config["devices.pinpad.algorithm"])
        pad = SerialPinPad(
            port, baud=self.config["devices.pinpad.baud"], timeout=self.config["timeouts.device_seconds"]
        )
        try:
            pad.open()
            if not pad.check_values().get("master"):
                install_test_master_key(pad, algorithm)
        except DeviceError as error:
            log.warning("PIN pad simulator has no master key: %s", error)
            self.problems[DeviceKind.PINPAD] = str(error)
        finally:
            pad.close()

    def _start_bankcard(self) -> dict[str, Any]:
        """A bank card slot on vpcd's second reader."""
        reader, slot_port = self._reader(DeviceKind.BANKCARD, SIMULATED_BANKCARD_READER, BANKCARD_VPCD_PORT)
        self.simulators[DeviceKind.BANKCARD] = VirtualCardSlot(
            slot_port, VirtualPbocCard, on_message=self._card_tap(DeviceKind.BANKCARD)
        )
        return {"mode": "real", "reader": reader}

    def _start_bank(self) -> dict[str, Any]:
        """The bank host on loopback, its demo accounts and ledger in <state>/bank."""
        algorithm = Algorithm(self.config["devices.pinpad.algorithm"])
        bank = BankHostSimulator(
            demo_accounts(), algorithm=algorithm, state_dir=self.config.state_path(BANK_DIR), require_ic=True
        )
        self.simulators[BANK_HOST] = bank.start()
        host, port = bank.address
        return {"mode": "real", "host": host, "port": port}

    def _start_printer(self) -> dict[str, Any]:
        transport = self.options.printer_transport
        receipts = self.config.state_path(RECEIPTS_DIR)
        receipts.mkdir(parents=True, exist_ok=True)
        simulator = EscPosPrinterSimulator(transport, receipt_dir=receipts).start()
        self.simulators[DeviceKind.RECEIPT_PRINTER] = simulator
        if transport == "tcp":
            host, port = simulator.address
            return {"mode": "real", "transport": "tcp", "host": host, "tcp_port": port}
        port = self._serial_port(DeviceKind.RECEIPT_PRINTER, simulator.port or "")
        return {"mode": "real", "transport": "serial", "port": port}

    def _start_a4_printer(self) -> dict[str, Any] | None:
        """The A4 printer's private cupsd. It takes ~0.1 s to answer: that wait is the simulator's, not the kiosk's,
        so it runs beside the kiosk's first frame (docs/performance.md); wait_until_started() joins it."""
        certificates = self.config.state_path(CERTIFICATES_DIR)
        certificates.mkdir(parents=True, exist_ok=True)
        simulator = CupsFilePrinterSimulator(certificates, self.config["devices.a4_printer.queue"])
        try:
            simulator.launch()  # on this thread: cupsd dies with the thread that started it
        except CupsUnavailable as error:
            self._a4_unavailable(error)
            return None
        self.simulators[DeviceKind.A4_PRINTER] = simulator
        self._a4_starting = threading.Thread(target=self._wait_for_a4, args=(simulator,), name="a4-start")
        self._a4_starting.start()
        # "server" is no configuration key: the hub's CUPS client reaches the private cupsd on its socket.
        return {"mode": "real", "queue": simulator.queue, "server": simulator.socket}

    def _wait_for_a4(self, simulator: CupsFilePrinterSimulator) -> None:
        try:
            simulator.wait_ready()
        except CupsUnavailable as error:
            self._a4_unavailable(error)

    def _a4_unavailable(self, error: CupsUnavailable) -> None:
        # The kiosk still takes payments; the certificate screens say the printer is out of order.
        log.warning("A4 printer simulator unavailable: %s", error)
        self.problems[DeviceKind.A4_PRINTER] = str(error)
        self.simulators.pop(DeviceKind.A4_PRINTER, None)

    # --- the other parties ------------------------------------------------------------------------------------

    def _start_fee_system(self) -> dict[str, Any]:
        """The embedded fee system (its database in the state directory) behind its HTTP gateway on loopback."""
        self.fee_backend = open_embedded(self.config, self.clock)
        # Mutual TLS as in a hall (docs/fee-system-http.md): a test CA in <state>/pki, the kiosk's terminal certificate.
        pki = make_test_pki(self.config.state_path(PKI_DIR))
        # Valid from the world's clock too (a scenario's clock may be behind the wall clock the handshake uses).
        since = min(self.clock().astimezone(dt.UTC), dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
        terminal = pki.terminal(self.config["terminal.id"], not_before=since)
        # Controls on: the simulated world's phone pays QR orders through the gateway (the sim panel, scenarios).
        self.fee_server = FeeSystemHttpServer(
            self.fee_backend,
            controls=True,
            tls=ServerTls(pki.server_files()),
            public_pages=PublicPages(self.fee_backend.certificates),
        ).start()
        return {
            "kind": "http",
            "url": self.fee_server.url,
            "ca_file": str(pki.ca_file),
            "cert_file": str(terminal.cert_file),
            "key_file": str(terminal.key_file),
        }


class Simulation:
    """The simulated world as the kiosk asks for it (kiosk.simulated.SimulatedWorld): the composition root provides
    ``SIMULATION`` to kiosk/ (app.cli.main, KioskApp)."""

    def fee_system(
        self, config: KioskConfig, clock: Callable[[], dt.datetime], database: Path | str | None = None
    ) -> EmbeddedFeeSystem:
        return open_embedded(config, clock, database)

    def start_stand_ins(self, config: KioskConfig, parts: Iterable[str] | None = None) -> World:
        wanted = simulated_parts(config, SIMULATED_PARTS if parts is None else parts)
        return World(config).start(wanted)


SIMULATION = Simulation()
