"""Each device's status (DESIGN.md §3) and the technician's tests of it. Blocking: run off the GUI thread.

The results are for the technician's own eyes: a test read of an ID card or a social security card shows what
the card holds (that is the test), but only ``summary`` — masked — goes to the audit log.
"""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.base import DeviceError, DeviceStatus
from kiosk.config import KioskConfig
from kiosk.devices import DeviceHub
from kiosk.domain.idnumber import mask_id_number

DEVICE_NAMES = ("idcard", "sscard", "pinpad", "printer", "a4_printer", "bankcard", "bank")


@dataclass(frozen=True)
class DeviceReport:
    device: str
    status: str  # DeviceStatus value
    details: dict[str, str] = field(default_factory=dict)  # media status, why it is unavailable


@dataclass(frozen=True)
class TestResult:
    device: str
    ok: bool
    lines: list[str]  # what the technician reads on screen
    summary: str  # what the audit log keeps: nothing personal, nothing secret


def _status_of(hub: DeviceHub, name: str) -> DeviceReport:
    device: Any = getattr(hub, name)
    details: dict[str, str] = {}
    if name in hub.problems:
        details["problem"] = hub.problems[name]
    if device is None:
        return DeviceReport(name, DeviceStatus.NO_DEVICE.value, details)
    try:
        if name == "printer":
            printer_status = device.status()
            details["paper"] = printer_status.paper_status.value
            details["cover_open"] = "yes" if printer_status.cover_open else "no"
            return DeviceReport(name, printer_status.device_status.value, details)
        if name == "a4_printer":
            a4 = device.status()
            details["paper"] = a4.paper.value
            if a4.blocking_reason:
                details["blocking"] = a4.blocking_reason
            return DeviceReport(name, DeviceStatus.ONLINE.value if not a4.blocking_reason else "offline", details)
        if name == "pinpad":
            pad = device.status()
            details["algorithm"] = str(pad.algorithm)
            details["master_key"] = "yes" if pad.master_key else "no"
            details["tampered"] = "yes" if pad.tampered else "no"
            return DeviceReport(name, DeviceStatus(pad.status).value, details)
        if name == "bank":
            return DeviceReport(name, _bank_status(device.host, device.port, device.connect_timeout).value, details)
        return DeviceReport(name, DeviceStatus(device.status()).value, details)
    except DeviceError as error:
        details["error"] = error.code
        status = DeviceStatus.NO_DEVICE if error.code in ("no_device", "no_reader") else DeviceStatus.OFFLINE
        return DeviceReport(name, status.value, details)
    except Exception as error:  # a status query must never take maintenance down
        details["error"] = type(error).__name__
        return DeviceReport(name, DeviceStatus.HARDWARE_ERROR.value, details)


def _bank_status(host: str, port: int, timeout: float) -> DeviceStatus:
    """The bank host answers on its TCP port (no transaction: a sign-on would change the working keys)."""
    try:
        with socket.create_connection((host, port), timeout=min(timeout, 3.0)):
            return DeviceStatus.ONLINE
    except OSError:
        return DeviceStatus.OFFLINE


def device_statuses(hub: DeviceHub) -> list[DeviceReport]:
    return [_status_of(hub, name) for name in DEVICE_NAMES]


def _failed(device: str, error: Exception) -> TestResult:
    code = error.code if isinstance(error, DeviceError) else type(error).__name__
    text = str(error) if isinstance(error, DeviceError) else code
    return TestResult(device, False, [text], f"failed: {code}")


def read_id_card(hub: DeviceHub) -> TestResult:
    try:
        card = hub.idcard.read_card()
    except Exception as error:
        return _failed("idcard", error)
    lines = [card.name, card.id_number, f"{card.valid_from} - {card.valid_to or '长期'}", card.issuer]
    return TestResult("idcard", True, lines, f"read {mask_id_number(card.id_number)}")


def read_ss_card(hub: DeviceHub) -> TestResult:
    try:
        card = hub.sscard.read_card()
    except Exception as error:
        return _failed("sscard", error)
    lines = [card.name, card.id_number, card.card_number, f"{card.issue_date} - {card.expiry_date}"]
    return TestResult("sscard", True, lines, f"read {mask_id_number(card.id_number)}")


def pinpad_check_values(hub: DeviceHub) -> TestResult:
    try:
        values = hub.pinpad.check_values()
    except Exception as error:
        return _failed("pinpad", error)
    lines = [f"{name.upper()}: {value.hex().upper()}" for name, value in sorted(values.items()) if value]
    return TestResult("pinpad", True, lines or ["-"], "check values read")


def print_test_receipt(hub: DeviceHub, config: KioskConfig) -> TestResult:
    from kiosk.maintenance.samples import diagnostic_receipt

    try:
        after = hub.printer.print_receipt(diagnostic_receipt(config["terminal.id"], hub.paper_width_mm))
    except Exception as error:
        return _failed("printer", error)
    return TestResult("printer", True, [f"paper: {after.paper_status.value}"], "test receipt printed")


def print_test_page(hub: DeviceHub, config: KioskConfig, today: dt.date) -> TestResult:
    """The sample certificate (样张) of `kiosk cert sample`, through the A4 printer's queue."""
    from kiosk.certificates import render_certificate
    from kiosk.maintenance.samples import sample_document

    if hub.a4_printer is None:
        return TestResult("a4_printer", False, [hub.problems.get("a4_printer", "no A4 printer")], "failed: no_device")
    try:
        document = sample_document(config, "tax", today)
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "sample.pdf"
            render_certificate(document, pdf)
            job = hub.a4_printer.print_pdf(pdf, title="test page")
    except Exception as error:
        return _failed("a4_printer", error)
    return TestResult("a4_printer", True, [f"job {job}"], f"test page queued as {job}")
