"""ESC/POS receipt printer: driver, status parsing, simulator (DESIGN.md §3.5)."""

from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.driver import ReceiptPrinter
from printers.escpos.errors import PrinterError
from printers.escpos.status import PrinterStatus, parse_status

__all__ = ["PrinterError", "PrinterStatus", "ReceiptPrinter", "ReceiptPrinterConfig", "parse_status"]
