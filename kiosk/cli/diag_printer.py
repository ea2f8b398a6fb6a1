"""`kiosk diag printer status|test (--port PATH | --tcp HOST:PORT)`: the receipt printer from a shell.

status: prints {"online", "paper", "cover_open"}; exit 0 when the printer answered, 2 when it did not.
test:   prints a Chinese test receipt (打印测试, terminal id, date, QR code) and cuts; when the printer cannot
        print it sends nothing, prints a JSON error and exits 3 (2 when it does not answer at all).
"""

from __future__ import annotations

import argparse

EXIT_NO_ANSWER = 2
EXIT_NOT_READY = 3


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("printer", help="receipt printer (ESC/POS): status, test receipt")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="paper, cover and online state (DLE EOT)")
    _connection_options(status)
    status.set_defaults(func=run_status)
    test = actions.add_parser("test", help="print a Chinese test receipt with a QR code")
    _connection_options(test)
    test.add_argument("--terminal-id", default="TEST", help="terminal id printed on the receipt")
    test.add_argument("--paper-width", type=int, choices=(58, 80), default=58, help="paper width in mm")
    test.set_defaults(func=run_test)


def _connection_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", metavar="PATH", help="serial port, e.g. /dev/ttyUSB0")
    where.add_argument("--tcp", metavar="HOST:PORT", help="network printer, e.g. 192.168.1.50:9100")
    parser.add_argument("--baud", type=int, default=9600, help="serial speed (default 9600)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for an answer")


def _config(args: argparse.Namespace, paper_width_mm: int = 80):  # -> ReceiptPrinterConfig
    from printers.escpos import ReceiptPrinterConfig

    if args.port:
        return ReceiptPrinterConfig(
            transport="serial",
            port=args.port,
            baud=args.baud,
            timeout=args.timeout,
            paper_width_mm=paper_width_mm,
        )
    host, sep, port = args.tcp.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"--tcp wants HOST:PORT, not {args.tcp!r}")
    return ReceiptPrinterConfig(
        transport="tcp",
        host=host or "127.0.0.1",
        tcp_port=int(port),
        timeout=args.timeout,
        paper_width_mm=paper_width_mm,
    )


def run_status(args: argparse.Namespace) -> int:
    from kiosk.cli.output import print_error, print_json
    from printers.escpos import PrinterError, ReceiptPrinter

    try:
        config = _config(args)
    except ValueError as exc:
        print_error("bad_argument", str(exc))
        return EXIT_NO_ANSWER
    try:
        with ReceiptPrinter(config) as printer:
            status = printer.printer_status()
    except PrinterError as exc:
        print_error(exc.code, exc.detail)
        return EXIT_NO_ANSWER
    print_json(status.as_json())
    return 0


def run_test(args: argparse.Namespace) -> int:
    from kiosk.cli.output import print_error, print_json
    from kiosk.maintenance.samples import diagnostic_receipt
    from printers.escpos import PrinterError, ReceiptPrinter

    try:
        config = _config(args, args.paper_width)
    except ValueError as exc:
        print_error("bad_argument", str(exc))
        return EXIT_NO_ANSWER
    data = diagnostic_receipt(args.terminal_id, args.paper_width)
    try:
        with ReceiptPrinter(config) as printer:
            after = printer.print_receipt(data)
    except PrinterError as exc:
        print_json({"error": exc.code, "message": exc.detail, "sent": exc.sent})
        return EXIT_NO_ANSWER if exc.code in ("no_answer", "no_device", "io_error") else EXIT_NOT_READY
    result = {"printed": True, "terminal_id": args.terminal_id, "bytes": len(data)}
    print_json({**result, "status": after.as_json()})
    return 0
