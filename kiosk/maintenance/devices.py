"""Each device's state (DESIGN.md §3) and the technician's tests of it. Blocking: run off the GUI thread.

The results are for the technician's own eyes: a test read of an ID card or a social security card shows what
the card holds (that is the test), but only ``summary`` — masked — goes to the audit log.
"""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from drivers.base import CardStatus, Device, DeviceError, DeviceKind, DeviceState, DeviceStatus, PaperStatus
from kiosk.config import KioskConfig
from kiosk.devices import BANK_HOST, DeviceHub
from kiosk.domain.idnumber import mask_id_number

DEVICE_NAMES: tuple[str, ...] = (
    DeviceKind.IDCARD,
    DeviceKind.SSCARD,
    DeviceKind.PINPAD,
    DeviceKind.RECEIPT_PRINTER,
    DeviceKind.A4_PRINTER,
    DeviceKind.BANKCARD,
    BANK_HOST,
)
# DeviceHub's attribute for a device kind where it is not the kind's own name.
HUB_ATTRIBUTES: dict[str, str] = {DeviceKind.RECEIPT_PRINTER: "printer"}


@dataclass(frozen=True)
class DeviceReport:
    device: str  # a DeviceKind, or BANK_HOST
    status: str  # DeviceStatus value
    details: dict[str, str] = field(default_factory=dict)  # media, the device's detail, why it is unavailable


@dataclass(frozen=True)
class TestResult:
    device: str
    ok: bool
    lines: list[str]  # what the technician reads on screen
    summary: str  # what the audit log keeps: nothing personal, nothing secret


def _device(hub: DeviceHub, kind: DeviceKind) -> Device | None:
    device: Device | None = getattr(hub, HUB_ATTRIBUTES.get(kind, kind))
    return device


def _state_of(hub: DeviceHub, name: str) -> DeviceState:
    if name == BANK_HOST:
        bank = hub.bank
        return _bank_state(bank.host, bank.port, bank.connect_timeout) if bank else DeviceState(DeviceStatus.NO_DEVICE)
    device = _device(hub, DeviceKind(name))
    if device is None:
        return DeviceState(DeviceStatus.NO_DEVICE)
    try:
        return device.state()
    except Exception as error:  # state() never raises by contract; a bug in one must not take maintenance down
        return DeviceState(DeviceStatus.HARDWARE_ERROR, None, type(error).__name__)


def _report(hub: DeviceHub, name: str) -> DeviceReport:
    state = _state_of(hub, name)
    details: dict[str, str] = {}
    problem = hub.problems.get(name)  # kept by DeviceKind (or BANK_HOST)
    if problem:
        details["problem"] = problem
    if isinstance(state.media, PaperStatus):
        details["paper"] = state.media.value
    elif isinstance(state.media, CardStatus):
        details["card"] = state.media.value
    if state.detail:
        details["detail"] = state.detail
    return DeviceReport(name, state.status.value, details)


def _bank_state(host: str, port: int, timeout: float) -> DeviceState:
    """The bank host answers on its TCP port (no transaction: a sign-on would change the working keys)."""
    try:
        with socket.create_connection((host, port), timeout=min(timeout, 3.0)):
            return DeviceState(DeviceStatus.ONLINE, None, f"{host}:{port} answers")
    except OSError as error:
        return DeviceState(DeviceStatus.OFFLINE, None, f"{host}:{port}: {error}")


def device_statuses(hub: DeviceHub) -> list[DeviceReport]:
    return [_report(hub, name) for name in DEVICE_NAMES]


def _failed(device: str, error: Exception) -> TestResult:
    code = error.code if isinstance(error, DeviceError) else type(error).__name__
    text = str(error) if isinstance(error, DeviceError) else code
    return TestResult(device, False, [text], f"failed: {code}")


def _missing(hub: DeviceHub, kind: DeviceKind) -> TestResult:
    """The test of a device the kiosk has not got (not configured, or it failed to start)."""
    return TestResult(kind, False, [hub.problems.get(kind, f"no {kind.value} device")], "failed: no_device")


def read_id_card(hub: DeviceHub) -> TestResult:
    if hub.idcard is None:
        return _missing(hub, DeviceKind.IDCARD)
    try:
        card = hub.idcard.read_card()
    except Exception as error:
        return _failed(DeviceKind.IDCARD, error)
    lines = [card.name, card.id_number, f"{card.valid_from} - {card.valid_to or '长期'}", card.issuer]
    return TestResult(DeviceKind.IDCARD, True, lines, f"read {mask_id_number(card.id_number)}")


def read_ss_card(hub: DeviceHub) -> TestResult:
    if hub.sscard is None:
        return _missing(hub, DeviceKind.SSCARD)
    try:
        card = hub.sscard.read_card()
    except Exception as error:
        return _failed(DeviceKind.SSCARD, error)
    lines = [card.name, card.id_number, card.card_number, f"{card.issue_date} - {card.expiry_date}"]
    return TestResult(DeviceKind.SSCARD, True, lines, f"read {mask_id_number(card.id_number)}")


def pinpad_check_values(hub: DeviceHub) -> TestResult:
    if hub.pinpad is None:
        return _missing(hub, DeviceKind.PINPAD)
    try:
        values = hub.pinpad.check_values()
    except Exception as error:
        return _failed(DeviceKind.PINPAD, error)
    lines = [f"{name.upper()}: {value.hex().upper()}" for name, value in sorted(values.items()) if value]
    return TestResult(DeviceKind.PINPAD, True, lines or ["-"], "check values read")


def print_test_receipt(hub: DeviceHub, config: KioskConfig) -> TestResult:
    from kiosk.maintenance.samples import diagnostic_receipt

    if hub.printer is None:
        return _missing(hub, DeviceKind.RECEIPT_PRINTER)
    try:
        after = hub.printer.print_receipt(diagnostic_receipt(config["terminal.id"], hub.paper_width_mm))
    except Exception as error:
        return _failed(DeviceKind.RECEIPT_PRINTER, error)
    return TestResult(DeviceKind.RECEIPT_PRINTER, True, [f"paper: {after.paper.value}"], "test receipt printed")


def print_test_page(hub: DeviceHub, config: KioskConfig, today: dt.date) -> TestResult:
    """The sample certificate (样张) of `kiosk cert sample`, through the A4 printer's queue."""
    from kiosk.certificates import render_certificate
    from kiosk.maintenance.samples import sample_document

    a4 = DeviceKind.A4_PRINTER
    if hub.a4_printer is None:
        return TestResult(a4, False, [hub.problems.get(a4, "no A4 printer")], "failed: no_device")
    try:
        document = sample_document(config, "tax", today)
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "sample.pdf"
            render_certificate(document, pdf)
            job = hub.a4_printer.print_pdf(pdf, title="test page")
    except Exception as error:
        return _failed(a4, error)
    return TestResult(a4, True, [f"job {job}"], f"test page queued as {job}")
