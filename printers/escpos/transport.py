"""Byte pipes to the printer, opened with python-escpos's printer classes.

python-escpos opens serial ports, TCP sockets and USB endpoints; its own ``_read`` waits for 16 bytes (a
whole serial timeout per status query), so we read the single status byte ourselves, against a deadline.
Every failure becomes a PrinterError.
"""

from __future__ import annotations

import contextlib
import errno
import socket
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.errors import PrinterError, printer_error


def _no_device(config: ReceiptPrinterConfig, exc: BaseException) -> PrinterError:
    return printer_error("no_device", f"cannot open {config.describe()}: {exc}")


def _io_error(exc: BaseException) -> PrinterError:
    return printer_error("io_error", f"printer connection failed: {exc}")


def no_answer(what: str, timeout: float) -> PrinterError:
    return printer_error("no_answer", f"no answer to {what} within {timeout:.1f} s")


class Transport(Protocol):
    def write(self, data: bytes) -> None: ...
    def read_byte(self, timeout: float) -> int | None:
        """One byte, or None when none came within ``timeout`` seconds."""

    def discard_input(self) -> None: ...
    def close(self) -> None: ...


class SerialTransport:
    def __init__(self, config: ReceiptPrinterConfig) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Serial

        # dsrdtr off: most kiosk printers use no flow control lines (and a pseudo-terminal has none).
        self._printer = Serial(devfile=config.port, baudrate=config.baud, timeout=config.timeout, dsrdtr=False)
        try:
            self._printer.open()
        except DeviceNotFoundError as exc:
            raise _no_device(config, exc) from exc
        self._serial = self._printer.device
        self._serial.write_timeout = config.timeout  # a stalled printer must not block a write for ever

    def write(self, data: bytes) -> None:
        import serial

        try:
            self._serial.write(data)
            self._serial.flush()
        except serial.SerialTimeoutException as exc:
            raise no_answer("a write (printer not taking data)", self._serial.write_timeout) from exc
        except (serial.SerialException, OSError) as exc:
            raise _io_error(exc) from exc

    def read_byte(self, timeout: float) -> int | None:
        import serial

        try:
            self._serial.timeout = timeout
            data = self._serial.read(1)
        except (serial.SerialException, OSError) as exc:
            raise _io_error(exc) from exc
        return data[0] if data else None

    def discard_input(self) -> None:
        import serial

        try:
            self._serial.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise _io_error(exc) from exc

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._serial.close()


class TcpTransport:
    def __init__(self, config: ReceiptPrinterConfig) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Network

        self._printer = Network(host=config.host, port=config.tcp_port, timeout=config.timeout)
        try:
            self._printer.open()
        except DeviceNotFoundError as exc:
            raise _no_device(config, exc) from exc
        self._socket: socket.socket = self._printer.device
        self._timeout = config.timeout

    def write(self, data: bytes) -> None:
        try:
            self._socket.settimeout(self._timeout)
            self._socket.sendall(data)
        except TimeoutError as exc:
            raise no_answer("a write (printer not taking data)", self._timeout) from exc
        except OSError as exc:
            raise _io_error(exc) from exc

    def read_byte(self, timeout: float) -> int | None:
        try:
            self._socket.settimeout(timeout)
            data = self._socket.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise _io_error(exc) from exc
        if not data:
            raise _io_error(ConnectionResetError("printer closed the connection"))
        return data[0]

    def discard_input(self) -> None:
        try:
            self._socket.setblocking(False)
            while self._socket.recv(256):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            raise _io_error(exc) from exc
        finally:
            self._socket.settimeout(self._timeout)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.close()


class UsbTransport:
    """A USB printer-class device: found with pyusb by vendor and product id (and serial number), opened with
    python-escpos's ``Usb`` on the interface's own bulk endpoints.

    Status is read with pyusb directly: python-escpos's ``Usb._read`` asks for 16 bytes with pyusb's default
    timeout (1 s) and cannot be given ours. An unplugged printer is ``no_device`` (libusb's NO_DEVICE, or not found
    when reopened), so the driver's reopen on the next command sees it come back.
    """

    def __init__(self, config: ReceiptPrinterConfig) -> None:
        self._config = config
        self._timeout_ms = max(1, int(config.timeout * 1000))
        device = _find_usb_printer(config)
        interface, in_ep, out_ep = _bulk_endpoints(device, config)
        try:
            from escpos.exceptions import DeviceNotFoundError
            from escpos.printer import Usb

            where = {"custom_match": lambda found: (found.bus, found.address) == (device.bus, device.address)}
            self._printer = Usb(
                idVendor=config.usb_vendor_id,
                idProduct=config.usb_product_id,
                usb_args=where,
                timeout=self._timeout_ms,
                in_ep=in_ep,
                out_ep=out_ep,
            )
            self._printer.open()
        except DeviceNotFoundError as exc:
            raise _no_device(config, exc) from exc
        self._device = self._printer.device
        self._in_ep, self._in_size = in_ep, interface.in_size
        self._sysfs = _sysfs_dir(device)  # the kernel removes it the moment the printer is unplugged
        self._pending = bytearray()

    def write(self, data: bytes) -> None:
        if self._sysfs and not self._sysfs.exists():  # every command starts with a write (status query or receipt)
            raise printer_error("no_device", f"{self._config.describe()} was unplugged ({self._sysfs} is gone)")
        try:
            self._printer._raw(data)
        except Exception as exc:
            raise _usb_error(self._config, exc, "a write (printer not taking data)") from exc

    def read_byte(self, timeout: float) -> int | None:
        if not self._pending:
            try:
                self._pending.extend(self._device.read(self._in_ep, self._in_size, max(1, int(timeout * 1000))))
            except Exception as exc:
                if _is_timeout(exc):
                    return None
                raise _usb_error(self._config, exc, "a status read") from exc
        return self._pending.pop(0) if self._pending else None

    def discard_input(self) -> None:
        self._pending.clear()  # the printer sends nothing unasked: only what a read already took can be stale

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._printer.close()


class _PrinterInterface(NamedTuple):
    number: int
    in_size: int  # the bulk IN endpoint's wMaxPacketSize: a read asks for one packet


USB_PRINTER_CLASS = 7  # bInterfaceClass of a USB printer (USB Device Class Definition for Printing Devices 1.1)
LIBUSB_ERROR_ACCESS, LIBUSB_ERROR_NO_DEVICE, LIBUSB_ERROR_TIMEOUT = -3, -4, -7  # libusb.h, enum libusb_error


def _find_usb_printer(config: ReceiptPrinterConfig) -> Any:
    """The configured printer's pyusb device; its serial number is read from sysfs (no control transfer)."""
    try:
        import usb.core  # type: ignore[import-untyped]  # pyusb ships no type information

        found = list(usb.core.find(find_all=True, idVendor=config.usb_vendor_id, idProduct=config.usb_product_id))
    except Exception as exc:  # NoBackendError: libusb-1.0 is not installed
        raise _no_device(config, exc) from exc
    if config.usb_serial:
        found = [device for device in found if _serial_of(device) == config.usb_serial]
    if not found:
        raise _no_device(config, FileNotFoundError("not on the USB bus (cable, power, ids in the configuration?)"))
    if len(found) > 1:
        raise _no_device(config, LookupError(f"{len(found)} printers with these ids: set usb_serial to choose one"))
    return found[0]


def _serial_of(device: Any) -> str:
    from drivers.usb_sysfs import usb_device_at

    known = usb_device_at(device.bus, device.address)
    return known.serial if known else ""


def _sysfs_dir(device: Any) -> Path | None:
    from drivers.usb_sysfs import SYS_USB_DEVICES, usb_device_at

    known = usb_device_at(device.bus, device.address)
    return SYS_USB_DEVICES / known.sysname if known else None


def _bulk_endpoints(device: Any, config: ReceiptPrinterConfig) -> tuple[_PrinterInterface, int, int]:
    """The printer-class interface (else the first with bulk IN and OUT) and its bulk IN and OUT addresses."""
    import usb.util  # type: ignore[import-untyped]

    try:
        interfaces = list(device.get_active_configuration()) if _configured(device) else list(device[0])
    except Exception as exc:
        raise _usb_error(config, exc, "reading the descriptors") from exc
    finally:
        # python-escpos opens the device again: one handle at a time (a second one crashed umockdev's emulation)
        usb.util.dispose_resources(device)
    interfaces.sort(key=lambda interface: interface.bInterfaceClass != USB_PRINTER_CLASS)
    for interface in interfaces:
        bulk = [ep for ep in interface if usb.util.endpoint_type(ep.bmAttributes) == usb.util.ENDPOINT_TYPE_BULK]
        ins = [ep for ep in bulk if usb.util.endpoint_direction(ep.bEndpointAddress) == usb.util.ENDPOINT_IN]
        outs = [ep for ep in bulk if usb.util.endpoint_direction(ep.bEndpointAddress) == usb.util.ENDPOINT_OUT]
        if ins and outs:
            found = _PrinterInterface(interface.bInterfaceNumber, ins[0].wMaxPacketSize)
            return found, ins[0].bEndpointAddress, outs[0].bEndpointAddress
    raise printer_error("no_device", f"{config.describe()} has no interface with bulk IN and OUT endpoints")


def _configured(device: Any) -> bool:
    try:
        device.get_active_configuration()
    except Exception:  # an unconfigured device: python-escpos sets configuration 1 when it opens
        return False
    return True


def _is_timeout(exc: BaseException) -> bool:
    return getattr(exc, "backend_error_code", None) == LIBUSB_ERROR_TIMEOUT or type(exc).__name__ == "USBTimeoutError"


def _usb_error(config: ReceiptPrinterConfig, exc: BaseException, what: str) -> PrinterError:
    code = getattr(exc, "backend_error_code", None)
    if code == LIBUSB_ERROR_NO_DEVICE or getattr(exc, "errno", None) == errno.ENODEV:
        return printer_error("no_device", f"{config.describe()} is gone (unplugged?): {exc}")
    if code == LIBUSB_ERROR_ACCESS:
        return printer_error("no_device", f"{config.describe()}: no permission (udev rule, group sifee-kiosk?): {exc}")
    if _is_timeout(exc):
        return no_answer(what, config.timeout)
    return _io_error(exc)


def open_transport(config: ReceiptPrinterConfig) -> Transport:
    if config.transport == "serial":
        return SerialTransport(config)
    if config.transport == "tcp":
        return TcpTransport(config)
    return UsbTransport(config)
