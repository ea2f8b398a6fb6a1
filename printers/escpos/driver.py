"""The receipt printer: status with DLE EOT, printing a rendered receipt only when the printer can print."""

from __future__ import annotations

import threading
from types import TracebackType

from drivers.base import DeviceKind, DeviceState, state_of_error
from printers.escpos.commands import STATUS_KINDS, status_query
from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.errors import PrinterError, not_ready_error
from printers.escpos.status import PrinterStatus, check_status_byte, parse_status
from printers.escpos.transport import Transport, no_answer, open_transport


class ReceiptPrinter:
    """One ESC/POS receipt printer.

    Thread-safe: a lock serialises commands, so a status poll never interleaves with a print. The connection
    opens on first use and is dropped after any transport error (the next command reopens it).
    """

    kind = DeviceKind.RECEIPT_PRINTER

    def __init__(self, config: ReceiptPrinterConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._transport: Transport | None = None

    def state(self) -> DeviceState:
        """The device contract's state (paper as media); never raises."""
        try:
            return self.printer_status().device_state()
        except PrinterError as error:
            return state_of_error(error)

    def printer_status(self) -> PrinterStatus:
        """Ask DLE EOT 1, 2, 4. Raises PrinterError no_device / no_answer / invalid_answer / io_error."""
        with self._lock:
            return self._status_locked()

    def print_receipt(self, data: bytes) -> PrinterStatus:
        """Send a rendered receipt (printers.receipt.render_receipt) and return the status after it.

        Before sending: a printer that cannot print (paper_out, cover_open, offline) gets nothing and the
        matching PrinterError is raised (``sent`` False). After sending the status is read again; if the
        printer has stopped meanwhile, the receipt may be incomplete: the same error with ``sent`` True.
        """
        with self._lock:
            before = self._status_locked()
            if before.blocking_reason:
                raise not_ready_error(before.blocking_reason, f"printer not ready before printing: {before}")
            try:
                self._open().write(data)
            except PrinterError as exc:
                exc.sent = True
                self._drop()
                raise
            after = self._status_locked()
            if after.blocking_reason:
                raise not_ready_error(
                    after.blocking_reason, f"printer stopped while printing: {after}", sent=True
                )
            return after

    def close(self) -> None:
        with self._lock:
            self._drop()

    def __enter__(self) -> ReceiptPrinter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _open(self) -> Transport:
        if self._transport is None:
            self._transport = open_transport(self.config)
        return self._transport

    def _drop(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def _status_locked(self) -> PrinterStatus:
        try:
            transport = self._open()
            transport.discard_input()  # a late answer to an earlier query must not be read as this one
            answers = [self._query(transport, kind) for kind in STATUS_KINDS]
        except PrinterError:
            self._drop()
            raise
        return parse_status(*answers)

    def _query(self, transport: Transport, kind: int) -> int:
        transport.write(status_query(kind))
        value = transport.read_byte(self.config.timeout)
        if value is None:
            raise no_answer(f"DLE EOT {kind}", self.config.timeout)
        return check_status_byte(kind, value)
