"""An emulated USB receipt printer on umockdev, for a process started under umockdev's preload library.

umockdev (Debian's libumockdev0) emulates sysfs, the udev uevents and the usbfs device node of a USB device, and
replays the device's URBs from an ioctl script: a bulk OUT URB must carry exactly the recorded bytes, a bulk IN URB
gets the recorded answer. libusb, pyusb and python-escpos run unchanged on top. The testbed is driven through
libumockdev's C API with ctypes (its GObject-introspection typelib, gir1.2-umockdev-1.0, is not needed).

The process must start with ``LD_PRELOAD=libumockdev-preload.so.0`` (``umockdev-wrapper`` sets it): the preload
library redirects /sys and /dev to the testbed, for libusb and for the driver's own sysfs reads alike.
"""

from __future__ import annotations

import ctypes
import struct
from pathlib import Path

from printers.escpos.status import status_bytes

HERE = Path(__file__).resolve().parent
PRINTER_DESCRIPTION = HERE / "pos80-printer.umockdev"  # 0416:5011 serial SIFEE-PRN-0001, bulk OUT 0x01, IN 0x82
BRIDGE_DESCRIPTION = HERE / "ch340-idcard.umockdev"  # a CH340 USB-serial bridge 1a86:7523 with ttyUSB0
PRINTER_SYSFS = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"
PRINTER_NODE = "/dev/bus/usb/001/002"
PRINTER_DEVNUM = 2
VENDOR_ID, PRODUCT_ID, SERIAL = 0x0416, 0x5011, "SIFEE-PRN-0001"
OUT_EP, IN_EP, IN_PACKET = 0x01, 0x82, 64
URB_TYPE_BULK = 3  # USBDEVFS_URB_TYPE_BULK, linux/usbdevice_fs.h
MAX_URB = 16384  # libusb splits longer bulk transfers into several URBs; a receipt is far shorter


def printer_ioctl_script(status: dict[int, int], receipts: tuple[bytes, ...] = ()) -> str:
    """The printer's side of the USB conversation, in umockdev's ioctl format (one URB a line, ``NAME ret type
    endpoint status flags buffer_length actual_length error_count data``; an IN URB is indented under the OUT URB
    it answers). ``status``: DLE EOT n -> answer byte; ``receipts``: the exact bytes the printer accepts."""
    # struct usbdevfs_connectinfo {unsigned int devnum; unsigned char slow;}, as hex (umockdev 0.17)
    connectinfo = struct.pack("<IB3x", PRINTER_DEVNUM, 0).hex().upper()
    lines = [f"@DEV {PRINTER_NODE} (usbdevfs)", f"USBDEVFS_CONNECTINFO 0 {connectinfo}"]
    for kind, answer in sorted(status.items()):
        query = bytes([0x10, 0x04, kind])
        lines.append(_urb(OUT_EP, query, len(query)))
        lines.append(" " + _urb(IN_EP, bytes([answer]), IN_PACKET))
    for receipt in receipts:
        if len(receipt) > MAX_URB:
            raise ValueError(f"a {len(receipt)}-byte receipt needs several URBs; this script writes one")
        lines.append(_urb(OUT_EP, receipt, len(receipt)))
    return "\n".join(lines) + "\n"


def _urb(endpoint: int, data: bytes, buffer_length: int) -> str:
    return f"USBDEVFS_REAPURBNDELAY 0 {URB_TYPE_BULK} {endpoint} 0 0 {buffer_length} {len(data)} 0 {data.hex().upper()}"


class Testbed:
    """libumockdev's UMockdevTestbed; creating it points this process's sysfs and /dev at an empty tree."""

    def __init__(self) -> None:
        lib = ctypes.CDLL("libumockdev.so.0")
        lib.umockdev_testbed_new.restype = ctypes.c_void_p
        lib.umockdev_testbed_add_from_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        lib.umockdev_testbed_load_ioctl.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
        lib.umockdev_testbed_detach_ioctl.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        lib.umockdev_testbed_remove_device.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.umockdev_testbed_uevent.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.umockdev_testbed_get_root_dir.argtypes = [ctypes.c_void_p]
        lib.umockdev_testbed_get_root_dir.restype = ctypes.c_char_p
        self._lib = lib
        self._bed = lib.umockdev_testbed_new()
        self.root = Path(lib.umockdev_testbed_get_root_dir(self._bed).decode())

    def add(self, description: Path) -> None:
        if not self._lib.umockdev_testbed_add_from_file(self._bed, str(description).encode(), None):
            raise RuntimeError(f"umockdev refused {description}")

    def load_ioctl(self, node: str, script: Path) -> None:
        if not self._lib.umockdev_testbed_load_ioctl(self._bed, node.encode(), str(script).encode(), None):
            raise RuntimeError(f"umockdev refused the ioctl script {script}")

    def detach_ioctl(self, node: str) -> None:
        """Stop serving ``node``. umockdev 0.17 leaves its socket behind (a new script could not listen there) and
        keeps serving a connection already open, so the driver must notice the unplug by itself."""
        self._lib.umockdev_testbed_detach_ioctl(self._bed, node.encode(), None)
        (self.root / "ioctl" / node.lstrip("/")).unlink(missing_ok=True)

    def uevent(self, sysfs: str, action: str) -> None:
        self._lib.umockdev_testbed_uevent(self._bed, sysfs.encode(), action.encode())

    def remove(self, sysfs: str, node: str) -> None:
        """Remove the device; umockdev 0.17 keeps its /dev node, which the kernel would remove with it."""
        self._lib.umockdev_testbed_remove_device(self._bed, sysfs.encode())
        (self.root / node.lstrip("/")).unlink(missing_ok=True)


class EmulatedUsbPrinter:
    """The receipt printer on the testbed: plug it in answering a state, pull it out, plug it back."""

    def __init__(self, testbed: Testbed, scratch: Path) -> None:
        self.testbed, self.scratch = testbed, scratch
        self.plugged = 0

    def plug(self, *, paper: str = "ok", cover_open: bool = False, receipts: tuple[bytes, ...] = ()) -> None:
        self.plugged += 1
        script = self.scratch / f"printer-{self.plugged}.ioctl"
        status = status_bytes(online=True, paper=paper, cover_open=cover_open)
        script.write_text(printer_ioctl_script(status, receipts))
        self.testbed.add(PRINTER_DESCRIPTION)
        self.testbed.load_ioctl(PRINTER_NODE, script)
        if self.plugged > 1:
            self.testbed.uevent(PRINTER_SYSFS, "add")

    def unplug(self) -> None:
        self.testbed.uevent(PRINTER_SYSFS, "remove")
        self.testbed.detach_ioctl(PRINTER_NODE)
        self.testbed.remove(PRINTER_SYSFS, PRINTER_NODE)
