"""The A4 printer through CUPS (DESIGN.md §3.6). The PDFs themselves are built in printers/certificates/."""

from printers.a4.cups import A4PrinterError, CupsA4Printer
from printers.a4.status import A4Status, parse_lpstat

__all__ = ["A4PrinterError", "A4Status", "CupsA4Printer", "parse_lpstat"]
