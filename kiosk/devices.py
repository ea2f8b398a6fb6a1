"""The kiosk's devices, built from the configuration.

A device in "simulated" mode gets its device simulator started on the device's real transport (a
pseudo-terminal for serial devices) and the *real* driver opened on the other end, so the bytes on the wire
are the real ones even with no hardware. "real" mode opens the driver on the configured port.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.bankcard import PcscBankCardReader, VirtualPbocCard
from drivers.bankhost import BankHostClient, StanCounter
from drivers.base import DeviceError
from drivers.idcard import SerialIdCardReader
from drivers.idcard.simulator import IdCardReaderSimulator
from drivers.pcsc.daemon import ensure_pcscd
from drivers.pcsc.vpcd import VPCD_PORT, VirtualCardClient
from drivers.pinpad import SerialPinPad
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.simulator import PinPadSimulator
from drivers.sscard import PcscSsCardReader, VirtualSsCard
from kiosk.config import KioskConfig
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import install_test_master_key
from printers.a4.cups import CupsA4Printer
from printers.a4.private_cupsd import CupsUnavailable
from printers.a4.simulator import CupsFilePrinterSimulator
from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.driver import ReceiptPrinter
from printers.escpos.simulator import EscPosPrinterSimulator

log = logging.getLogger(__name__)

SIMULATED_SSCARD_READER = "Virtual PCD 00 00"  # vpcd's slot 0, reached on VPCD_PORT
SIMULATED_BANKCARD_READER = "Virtual PCD 00 01"  # vpcd's slot 1
BANKCARD_VPCD_PORT = VPCD_PORT + 1


class VirtualCardSlot:
    """A simulated card slot: a virtual card inserted into (or pulled from) one of pcscd's vpcd readers.

    ``card_factory`` turns what is inserted (a social security card's data, a bank account) into the card. A card
    stays in the slot while its reader loses power (``detach``: pcscd restarts, the reader is unplugged) and
    answers again on ``attach``, as a card left in a real reader does."""

    def __init__(
        self,
        port: int = VPCD_PORT,
        card_factory: Callable[[Any], Any] = VirtualSsCard,
        on_message: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self.port = port
        self.card_factory = card_factory
        self.on_message = on_message  # every vpcd message, for the simulator panel's traffic log
        self.client: VirtualCardClient | None = None
        self.powered = True

    def insert(self, data: Any) -> None:
        self.remove()
        self.client = VirtualCardClient(self.card_factory(data), port=self.port, on_message=self.on_message)
        if self.powered:
            self.client.insert()

    def remove(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def detach(self) -> None:
        """The reader goes dark: the card's link ends, the card stays in the slot."""
        self.powered = False
        if self.client is not None:
            self.client.close()

    def attach(self) -> None:
        """The reader is back: a card left in the slot is seen again."""
        self.powered = True
        if self.client is not None and not self.client.inserted:
            self.client.insert()

    def stop(self) -> None:
        self.remove()


@dataclass
class DeviceHub:
    config: KioskConfig
    idcard: SerialIdCardReader | None = None
    printer: ReceiptPrinter | None = None
    sscard: PcscSsCardReader | None = None
    _a4_printer: CupsA4Printer | None = None
    pinpad: SerialPinPad | None = None
    bankcard: PcscBankCardReader | None = None
    bank: BankHostClient | None = None
    problems: dict[str, str] = field(default_factory=dict)  # device -> why it is not available (for technicians)
    simulators: dict[str, Any] = field(default_factory=dict)
    _a4_starting: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> DeviceHub:
        self._start_idcard()
        self._start_sscard()
        self._start_printer()
        self._start_a4_printer()
        self._start_pinpad()
        self._start_bank()
        return self

    def start_bank_connection(self) -> BankHostClient:
        """Only what talks to the bank host: the PIN pad (it computes the MACs) and the host, as configured
        (`kiosk recover` sends stored reversals with it). stop() ends them."""
        self._start_pinpad()
        self._start_bank()
        assert self.bank is not None
        return self.bank

    def _start_pinpad(self) -> None:
        section = self.config.section("devices.pinpad")
        port = section["port"]
        if section["mode"] == "simulated":
            simulator = PinPadSimulator(state_file=self.config.state_path("pinpad.json")).start()
            self.simulators["pinpad"] = simulator
            port = simulator.port
        self.pinpad = SerialPinPad(port, baud=section["baud"], timeout=self.config["timeouts.device_seconds"])
        if section["mode"] == "simulated":
            try:
                self.pinpad.open()
                # The simulated pad and the simulated bank share a test master key (never a real one).
                if not self.pinpad.check_values().get("master"):
                    install_test_master_key(self.pinpad, Algorithm(section["algorithm"]))
            except DeviceError as error:
                log.warning("PIN pad simulator not ready: %s", error)
                self.problems["pinpad"] = str(error)
        else:
            try:
                self.pinpad.open()  # a real pad must be open before sign-on loads working keys into it
            except DeviceError as error:
                log.warning("PIN pad not available: %s", error)
                self.problems["pinpad"] = str(error)

    def _start_bank(self) -> None:
        card = self.config.section("devices.bankcard")
        bank = self.config.section("bank")
        fragment = card["reader"]
        if card["mode"] == "simulated":
            fragment = SIMULATED_BANKCARD_READER
            self.simulators["bankcard"] = VirtualCardSlot(BANKCARD_VPCD_PORT, VirtualPbocCard)
        self.bankcard = PcscBankCardReader(fragment, timeout=self.config["timeouts.device_seconds"])
        host, port = bank["host"], bank["port"]
        if bank["mode"] == "simulated":
            simulator = BankHostSimulator(
                demo_accounts(),
                algorithm=self.config["devices.pinpad.algorithm"],
                state_dir=self.config.state_path("bank"),
            ).start()
            self.simulators["bank"] = simulator
            host, port = simulator.address
        self.bank = BankHostClient(
            host,
            port,
            bank["terminal_id"],
            bank["merchant_id"],
            timeout=bank["timeout_seconds"],
            pad=self.pinpad,
            algorithm=self.config["devices.pinpad.algorithm"],
            stan=StanCounter(self.config.state_path("bank_stan")),
        )

    def _start_a4_printer(self) -> None:
        section = self.config.section("devices.a4_printer")
        if section["mode"] == "real":
            self._a4_printer = CupsA4Printer(section["queue"])
            return
        simulator = CupsFilePrinterSimulator(self.config.state_path("certificates"), section["queue"])
        try:
            simulator.launch()  # on this thread: cupsd dies with the thread that started it
        except CupsUnavailable as error:
            self._a4_unavailable(error)
            return
        self.simulators["a4_printer"] = simulator
        self._a4_printer = CupsA4Printer(simulator.queue, server=simulator.socket)
        # Its private cupsd takes ~0.1 s to answer: that wait is the simulator's, not the kiosk's, so it runs beside
        # the first frame (docs/performance.md). wait_until_started() joins it before anyone prints or stops it.
        self._a4_starting = threading.Thread(target=self._wait_for_a4_simulator, args=(simulator,), name="a4-start")
        self._a4_starting.start()

    def _wait_for_a4_simulator(self, simulator: CupsFilePrinterSimulator) -> None:
        try:
            simulator.wait_ready()
        except CupsUnavailable as error:
            self._a4_unavailable(error)

    def _a4_unavailable(self, error: CupsUnavailable) -> None:
        # The kiosk still takes payments; the certificate screens say the printer is out of order.
        log.warning("A4 printer simulator unavailable: %s", error)
        self.problems["a4_printer"] = str(error)
        self._a4_printer = None
        self.simulators.pop("a4_printer", None)

    @property
    def a4_printer(self) -> CupsA4Printer | None:
        self.wait_until_started()
        return self._a4_printer

    def wait_until_started(self) -> DeviceHub:
        """Every simulator started in the background has answered (or failed and said why in ``problems``)."""
        starting = self._a4_starting
        if starting is not None:
            starting.join()
        return self

    def _start_idcard(self) -> None:
        section = self.config.section("devices.idcard")
        port = section["port"]
        if section["mode"] == "simulated":
            simulator = IdCardReaderSimulator().start()
            self.simulators["idcard"] = simulator
            port = simulator.port
        self.idcard = SerialIdCardReader(port, baud=section["baud"], timeout=self.config["timeouts.device_seconds"])

    def _start_sscard(self) -> None:
        section = self.config.section("devices.sscard")
        fragment = section["reader"]
        if section["mode"] == "simulated":
            fragment = SIMULATED_SSCARD_READER
            try:
                ensure_pcscd()
            except DeviceError as error:
                # The kiosk still runs: the ID card logs in, and the screen says the card slot is out of order.
                log.warning("social security card reader unavailable: %s", error)
                self.problems["sscard"] = str(error)
            self.simulators["sscard"] = VirtualCardSlot()
        self.sscard = PcscSsCardReader(fragment, timeout=self.config["timeouts.device_seconds"])

    def _start_printer(self) -> None:
        section = self.config.section("devices.receipt_printer")
        printer_config = ReceiptPrinterConfig(
            transport=section["transport"],
            port=section["port"],
            baud=section["baud"],
            host=section["host"],
            tcp_port=section["tcp_port"],
            usb_vendor_id=section["usb_vendor"],
            usb_product_id=section["usb_product"],
            paper_width_mm=section["paper_width_mm"],
            timeout=min(2.0, self.config["timeouts.device_seconds"]),
        )
        if section["mode"] == "simulated":
            receipts = self.config.state_path("receipts")
            simulator = EscPosPrinterSimulator("pty", receipt_dir=Path(receipts)).start()
            self.simulators["printer"] = simulator
            printer_config = ReceiptPrinterConfig(
                transport="serial",
                port=simulator.port or "",
                baud=section["baud"],
                paper_width_mm=section["paper_width_mm"],
                timeout=printer_config.timeout,
            )
        self.printer = ReceiptPrinter(printer_config)

    @property
    def paper_width_mm(self) -> int:
        return self.config["devices.receipt_printer.paper_width_mm"]

    def stop(self) -> None:
        self.wait_until_started()  # a cupsd still starting would outlive the kiosk
        for device in (self.idcard, self.sscard, self.printer, self.pinpad, self.bankcard):
            if device is not None:
                try:
                    device.close()
                except Exception:  # closing a broken device must not stop the others
                    log.exception("closing a device failed")
        for simulator in self.simulators.values():
            simulator.stop()
        self.simulators.clear()
