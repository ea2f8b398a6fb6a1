"""ESC/POS receipt printer: driver, status parsing, simulator (DESIGN.md §3.5)."""

from printers.escpos.capabilities_cache import use_private_pickle_dir
from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.driver import ReceiptPrinter
from printers.escpos.errors import PrinterError
from printers.escpos.status import PrinterStatus, parse_status

# Before any import of python-escpos (printers.receipt and the transports import it lazily, through this package).
use_private_pickle_dir()

__all__ = ["PrinterError", "PrinterStatus", "ReceiptPrinter", "ReceiptPrinterConfig", "parse_status"]
