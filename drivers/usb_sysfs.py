"""The USB devices the kernel sees, read from sysfs (/sys/bus/usb/devices): ids, serial number, bus address and
the serial ports (ttyUSB, ttyACM) a USB-serial bridge gives.

sysfs needs no access to the device itself (libusb does), so `kiosk doctor` can list devices the kiosk user may
not open, and a printer's serial number is read without a control transfer to a printer that may be printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SYS_USB_DEVICES = Path("/sys/bus/usb/devices")


@dataclass(frozen=True)
class UsbDevice:
    sysname: str  # "1-1.4": bus 1, hub port 1, port 4
    vendor_id: int
    product_id: int
    bus: int
    address: int
    serial: str = ""
    manufacturer: str = ""
    product: str = ""
    ttys: tuple[str, ...] = ()  # the serial ports of a USB-serial bridge: ("ttyUSB0",)

    @property
    def ids(self) -> str:
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    def describe(self) -> str:
        name = " ".join(part for part in (self.manufacturer, self.product) if part) or "unnamed"
        serial = f" serial {self.serial}" if self.serial else ""
        ttys = f" ({', '.join(self.ttys)})" if self.ttys else ""
        return f"{self.ids} {name}{serial} bus {self.bus:03d} device {self.address:03d}{ttys}"


def _attribute(device: Path, name: str) -> str:
    try:
        return (device / name).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _ttys(device: Path) -> tuple[str, ...]:
    """ttyUSB* sit right under an interface directory (usb-serial drivers), ttyACM* under its tty/ (cdc-acm)."""
    names: set[str] = set()
    for interface in device.glob(f"{device.name}:*"):
        names.update(path.name for path in interface.glob("ttyUSB*"))
        names.update(path.name for path in interface.glob("tty/tty*"))
    return tuple(sorted(names))


def read_usb_device(device: Path) -> UsbDevice | None:
    """The device at a sysfs directory, or None for an interface directory or an unreadable one."""
    vendor, product = _attribute(device, "idVendor"), _attribute(device, "idProduct")
    bus, address = _attribute(device, "busnum"), _attribute(device, "devnum")
    try:
        return UsbDevice(
            sysname=device.name,
            vendor_id=int(vendor, 16),
            product_id=int(product, 16),
            bus=int(bus),
            address=int(address),
            serial=_attribute(device, "serial"),
            manufacturer=_attribute(device, "manufacturer"),
            product=_attribute(device, "product"),
            ttys=_ttys(device),
        )
    except ValueError:
        return None


def list_usb_devices(root: Path = SYS_USB_DEVICES) -> list[UsbDevice]:
    """Every USB device (root hubs included), in bus order; empty where sysfs has no USB."""
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    devices = [device for entry in entries if (device := read_usb_device(entry)) is not None]
    return sorted(devices, key=lambda device: (device.bus, device.address))


def usb_device_at(bus: int, address: int, root: Path = SYS_USB_DEVICES) -> UsbDevice | None:
    """The device at a bus address (as libusb names it), or None."""
    return next((d for d in list_usb_devices(root) if (d.bus, d.address) == (bus, address)), None)
