"""The real USB receipt-printer path (UsbTransport: python-escpos Usb, pyusb, libusb-1.0) against a printer that
umockdev emulates: sysfs, uevents and the usbfs node, with the bulk URBs replayed from an ioctl script
(tests/usb/umockdev_testbed.py). Status bytes come back, a receipt's exact bytes go out, unplug and replug are
seen without a restart. The driver runs in a child process started under umockdev's preload library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
USB = REPO / "tests" / "usb"

pytestmark = pytest.mark.skipif(
    shutil.which("umockdev-wrapper") is None or shutil.which("umockdev-run") is None,
    reason="umockdev is not installed (scripts/setup.sh installs it)",
)


def _steps(tmp_path: Path) -> dict[str, dict]:
    done = subprocess.run(
        ["umockdev-wrapper", sys.executable, str(USB / "run_emulated_printer.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {step["step"]: step for step in map(json.loads, done.stdout.splitlines())}


def test_usb_printer_status_receipt_unplug_and_replug(tmp_path):
    steps = _steps(tmp_path)
    assert steps["config"]["describe"] == "usb 0416:5011 serial SIFEE-PRN-0001"
    assert steps["plugged"]["state"] == {"status": "online", "media": "full", "detail": "ready"}
    # the emulated printer takes only the rendered receipt's bytes, all of them, in one bulk OUT transfer
    assert steps["print"]["printed"] == {"online": True, "paper": "ok", "cover_open": False}

    assert steps["unplugged"]["state"]["status"] == "no_device"
    assert "unplugged" in steps["unplugged"]["state"]["detail"]
    assert steps["unplugged"]["again"]["status"] == "no_device"
    assert steps["print unplugged"] == {"step": "print unplugged", "error": "no_device", "sent": False, "seconds": 0.0}

    assert steps["replugged"]["state"] == {"status": "online", "media": "low", "detail": "ready"}
    assert steps["print replugged"]["printed"]["paper"] == "low"

    assert steps["unplugged again"]["state"]["status"] == "no_device"
    assert steps["paper out"]["state"]["media"] == "out"
    assert steps["print paper out"]["error"] == "paper_out" and steps["print paper out"]["sent"] is False

    # control: bytes the printer did not expect are refused by the replay, so the first print's match was real
    assert steps["print not accepted"]["error"] == "io_error" and steps["print not accepted"]["sent"] is True


def test_doctor_lists_the_usb_devices_it_sees(tmp_path):
    config = tmp_path / "kiosk.toml"
    text = (REPO / "config" / "simulated.toml").read_text(encoding="utf-8")
    usb = 'transport = "usb"\nusb_vendor = 0x0416\nusb_product = 0x5011\nusb_serial = "SIFEE-PRN-0001"\n'
    section = "[devices.receipt_printer]\n"
    config.write_text(text.replace(section, section + usb, 1), encoding="utf-8")
    probe = (
        f"import sys, json; sys.path.insert(0, {str(REPO)!r})\n"
        "from pathlib import Path\n"
        "from kiosk.config import load_config\n"
        "from kiosk.cli.doctor import check_usb_devices\n"
        f"print(json.dumps(check_usb_devices(load_config(Path({str(config)!r})))))\n"
    )
    devices = [arg for name in ("pos80-printer", "ch340-idcard") for arg in ("--device", str(USB / f"{name}.umockdev"))]
    done = subprocess.run(
        ["umockdev-run", *devices, "--", sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result, detail = json.loads(done.stdout.splitlines()[-1])
    assert result == "ok"
    assert "0416:5011 Sifee Test POS-80 Receipt Printer serial SIFEE-PRN-0001" in detail
    assert "= receipt printer" in detail
    assert "1a86:7523 USB Serial" in detail and "ttyUSB0" in detail
