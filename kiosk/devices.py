"""The kiosk's devices, opened from the configuration.

DeviceHub opens each device's real driver at its address: the configured port, reader or host in mode "real". A
device the configuration calls "simulated" is reached the same way, at the address of a simulator someone else
started on the device's real transport (a pseudo-terminal for serial devices, pcscd's vpcd reader for the card
slots, loopback TCP for the bank host): the stand-ins the composition root hands the hub (kiosk/simulated.py,
started by app/harness/world.py), so the bytes on the wire are the real ones even with no hardware. The hub starts
no simulator and none of the other parties' systems.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from drivers.bankcard import PcscBankCardReader
from drivers.bankhost import BankHostClient, StanCounter
from drivers.base import DeviceError, DeviceKind
from drivers.idcard import SerialIdCardReader
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.pinpad import SerialPinPad
from drivers.sscard import PcscSsCardReader
from kiosk.config import KioskConfig
from kiosk.simulated import StandIns
from printers.a4.cups import CupsA4Printer
from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.driver import ReceiptPrinter

log = logging.getLogger(__name__)

# Where a simulated card slot is found on the machine's pcscd: the simulated world puts its virtual cards into
# vpcd's two readers, and `kiosk doctor` checks the first.
SIMULATED_SSCARD_READER = "Virtual PCD 00 00"  # vpcd's slot 0, reached on VPCD_PORT
SIMULATED_BANKCARD_READER = "Virtual PCD 00 01"  # vpcd's slot 1
BANKCARD_VPCD_PORT = VPCD_PORT + 1

# The bank host among the hub's problems and the stand-ins' simulators (and the configuration's [bank] table): a
# party on the network, not a device of the contract, so no DeviceKind.
BANK_HOST = "bank"


class NotStarted(RuntimeError):
    """A device the configuration calls simulated, with no simulator handed to the hub to reach it at."""


@dataclass
class DeviceHub:
    config: KioskConfig
    # The simulators of the devices (and bank host) the configuration calls simulated, and where they are; None
    # when every device is real.
    stand_ins: StandIns | None = None
    idcard: SerialIdCardReader | None = None
    printer: ReceiptPrinter | None = None
    sscard: PcscSsCardReader | None = None
    _a4_printer: CupsA4Printer | None = None
    pinpad: SerialPinPad | None = None
    bankcard: PcscBankCardReader | None = None
    bank: BankHostClient | None = None
    # A DeviceKind (or BANK_HOST) -> why it is not available (for technicians).
    problems: dict[str, str] = field(default_factory=dict)
    # The stand-ins' simulators by DeviceKind (and BANK_HOST), for the simulator panel, the scenario runner and the
    # tests (the hub itself only opens the drivers in front of them).
    simulators: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.stand_ins is not None:
            # One view: a stand-in that fails later (the A4 printer's cupsd) says so where the hub's problems are read.
            self.simulators = self.stand_ins.simulators
            self.problems = self.stand_ins.problems

    def start(self) -> DeviceHub:
        self._start_idcard()
        self._start_sscard()
        self._start_printer()
        self._start_a4_printer()
        self._start_pinpad()
        self._start_bankcard()
        self._start_bank()
        return self

    def start_bank_connection(self) -> BankHostClient:
        """Only what talks to the bank host: the PIN pad (it computes the MACs) and the host, as configured
        (`kiosk recover` sends stored reversals with it). stop() ends them."""
        self._start_pinpad()
        self._start_bank()
        assert self.bank is not None
        return self.bank

    def _section(self, name: str) -> dict[str, Any]:
        """The configuration's values of a device, pointed at its simulator when the configuration simulates it."""
        values = self.config.section(name)
        if values["mode"] != "simulated":
            return values
        address = self.stand_ins.sections.get(name) if self.stand_ins is not None else None
        if address is None:
            raise NotStarted(
                f"{name} is simulated and no simulator of it was handed to the hub"
                + (f" ({self.problems[_DEVICE_OF[name]]})" if _DEVICE_OF[name] in self.problems else "")
                + ": the composition root starts the stand-ins (kiosk/simulated.py)"
            )
        return {**values, **address}

    def _start_pinpad(self) -> None:
        section = self._section("devices.pinpad")
        # The PIN pad simulator already holds the test master key: the simulated world put it in (never a real one).
        self.pinpad = SerialPinPad(
            section["port"], baud=section["baud"], timeout=self.config["timeouts.device_seconds"]
        )
        try:
            self.pinpad.open()  # a real pad must be open before sign-on loads working keys into it
        except DeviceError as error:
            log.warning("PIN pad not available: %s", error)
            self.problems[DeviceKind.PINPAD] = str(error)

    def _start_bankcard(self) -> None:
        section = self._section("devices.bankcard")
        self.bankcard = PcscBankCardReader(section["reader"], timeout=self.config["timeouts.device_seconds"])

    def _start_bank(self) -> None:
        bank = self._section("bank")
        self.bank = BankHostClient(
            bank["host"],
            bank["port"],
            bank["terminal_id"],
            bank["merchant_id"],
            timeout=bank["timeout_seconds"],
            pad=self.pinpad,
            algorithm=self.config["devices.pinpad.algorithm"],
            stan=StanCounter(self.config.state_path("bank_stan")),
        )

    def _start_a4_printer(self) -> None:
        if self.config["devices.a4_printer.mode"] == "simulated" and DeviceKind.A4_PRINTER in self.problems:
            # Its simulator could not start (no cupsd here): the kiosk still takes payments, and the certificate
            # screens say the printer is out of order.
            self._a4_printer = None
            return
        section = self._section("devices.a4_printer")
        self._a4_printer = CupsA4Printer(section["queue"], server=section.get("server"))

    @property
    def a4_printer(self) -> CupsA4Printer | None:
        self.wait_until_started()
        return self._a4_printer

    def wait_until_started(self) -> DeviceHub:
        """Every simulator started in the background has answered (or failed and said why in ``problems``)."""
        if self.stand_ins is not None:
            self.stand_ins.wait_until_started()
            if self.config["devices.a4_printer.mode"] == "simulated" and DeviceKind.A4_PRINTER not in self.simulators:
                self._a4_printer = None  # its cupsd did not answer: ``problems`` says why
        return self

    def _start_idcard(self) -> None:
        section = self._section("devices.idcard")
        self.idcard = SerialIdCardReader(
            section["port"], baud=section["baud"], timeout=self.config["timeouts.device_seconds"]
        )

    def _start_sscard(self) -> None:
        section = self._section("devices.sscard")
        self.sscard = PcscSsCardReader(section["reader"], timeout=self.config["timeouts.device_seconds"])

    def _start_printer(self) -> None:
        section = self._section("devices.receipt_printer")
        printer_config = ReceiptPrinterConfig(
            transport=section["transport"],
            port=section["port"],
            baud=section["baud"],
            host=section["host"],
            tcp_port=section["tcp_port"],
            usb_vendor_id=section["usb_vendor"],
            usb_product_id=section["usb_product"],
            usb_serial=section["usb_serial"],
            paper_width_mm=section["paper_width_mm"],
            timeout=min(2.0, self.config["timeouts.device_seconds"]),
        )
        self.printer = ReceiptPrinter(printer_config)

    @property
    def paper_width_mm(self) -> int:
        return self.config["devices.receipt_printer.paper_width_mm"]

    def stop(self) -> None:
        """Close the devices. Their simulators are stopped by whoever started them (the stand-ins' owner)."""
        self.wait_until_started()  # a cupsd still starting would outlive the kiosk
        for device in (self.idcard, self.sscard, self.printer, self.pinpad, self.bankcard):
            if device is not None:
                try:
                    device.close()
                except Exception:  # closing a broken device must not stop the others
                    log.exception("closing a device failed")


# What a configuration section's problems are kept under: its DeviceKind ([devices.KIND]), or BANK_HOST.
_DEVICE_OF: dict[str, str] = {**{f"devices.{kind}": kind for kind in DeviceKind}, "bank": BANK_HOST}
