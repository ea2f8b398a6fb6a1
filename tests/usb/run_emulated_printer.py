"""Run the kiosk's real receipt-printer driver against a USB printer emulated by umockdev, and print one JSON line
per step. Started by tests/test_printer_usb_umockdev.py under ``umockdev-wrapper`` (the preload library must be in
place when the process starts); the test reads the lines and checks them.

    umockdev-wrapper .venv/bin/python tests/usb/run_emulated_printer.py SCRATCH_DIR
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "usb")]

import tomli_w  # noqa: E402
from umockdev_testbed import PRODUCT_ID, SERIAL, VENDOR_ID, EmulatedUsbPrinter, Testbed  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.devices import DeviceHub  # noqa: E402
from printer_fixtures import sample_receipt  # noqa: E402
from printers.escpos import PrinterError, ReceiptPrinter  # noqa: E402
from printers.receipt import render_receipt  # noqa: E402


def report(step: str, **facts: object) -> None:
    print(json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)


def kiosk_printer(scratch: Path) -> ReceiptPrinter:
    """The printer as the kiosk opens it: a configuration file with a real USB printer, through DeviceHub."""
    config = tomllib.loads((REPO / "config" / "simulated.toml").read_text(encoding="utf-8"))
    config["devices"]["receipt_printer"].update(
        mode="real", transport="usb", usb_vendor=VENDOR_ID, usb_product=PRODUCT_ID, usb_serial=SERIAL
    )
    config_file = scratch / "usb-printer.toml"
    config_file.write_text(tomli_w.dumps(config), encoding="utf-8")
    hub = DeviceHub(load_config(config_file))
    hub._start_printer()  # the hub's own step for the printer; the other devices stay simulated and unopened
    assert hub.printer is not None
    return hub.printer


def try_print(printer: ReceiptPrinter, receipt: bytes) -> dict[str, object]:
    started = time.monotonic()
    try:
        status = printer.print_receipt(receipt)
    except PrinterError as error:
        return {"error": error.code, "sent": error.sent, "seconds": round(time.monotonic() - started, 3)}
    return {"printed": status.as_json(), "seconds": round(time.monotonic() - started, 3)}


def main(scratch: Path) -> None:
    receipt = render_receipt(sample_receipt(), 80)
    emulated = EmulatedUsbPrinter(Testbed(), scratch)
    emulated.plug(receipts=(receipt,))
    printer = kiosk_printer(scratch)
    report("config", describe=printer.config.describe(), receipt_bytes=len(receipt))
    report("plugged", state=printer.state().as_json())
    report("print", **try_print(printer, receipt))

    emulated.unplug()
    report("unplugged", state=printer.state().as_json(), again=printer.state().as_json())
    report("print unplugged", **try_print(printer, receipt))

    emulated.plug(paper="low", receipts=(receipt,))
    report("replugged", state=printer.state().as_json())
    report("print replugged", **try_print(printer, receipt))

    emulated.unplug()
    report("unplugged again", state=printer.state().as_json())
    emulated.plug(paper="out")
    report("paper out", state=printer.state().as_json())
    report("print paper out", **try_print(printer, receipt))

    emulated.unplug()
    report("unplugged a third time", state=printer.state().as_json())
    emulated.plug()  # accepts no receipt bytes: shows that the OUT data is compared, byte for byte
    report("print not accepted", **try_print(printer, receipt))
    printer.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
