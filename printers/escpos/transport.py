"""Byte pipes to the printer, opened with python-escpos's printer classes.

python-escpos opens serial ports, TCP sockets and USB endpoints; its own ``_read`` waits for 16 bytes (a
whole serial timeout per status query), so we read the single status byte ourselves, against a deadline.
Every failure becomes a PrinterError.
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import Protocol

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
        self._printer = Serial(
            devfile=config.port, baudrate=config.baud, timeout=config.timeout, dsrdtr=False
        )
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
    """USB printer class device; needs pyusb (python-escpos[usb]) and libusb. Not covered by the tests."""

    def __init__(self, config: ReceiptPrinterConfig) -> None:
        try:
            from escpos.printer import Usb

            self._printer = Usb(
                idVendor=config.usb_vendor_id,
                idProduct=config.usb_product_id,
                timeout=int(config.timeout * 1000),
            )
            self._printer.open()
        except Exception as exc:
            raise _no_device(config, exc) from exc
        self._pending = bytearray()

    def write(self, data: bytes) -> None:
        try:
            self._printer._raw(data)
        except Exception as exc:
            raise _io_error(exc) from exc

    def read_byte(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while not self._pending and time.monotonic() < deadline:
            try:
                self._pending.extend(self._printer._read())
            except Exception:
                break
        return self._pending.pop(0) if self._pending else None

    def discard_input(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._printer.close()


def open_transport(config: ReceiptPrinterConfig) -> Transport:
    if config.transport == "serial":
        return SerialTransport(config)
    if config.transport == "tcp":
        return TcpTransport(config)
    return UsbTransport(config)
