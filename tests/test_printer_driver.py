"""The real receipt-printer driver against the simulator, over a pseudo-terminal and over TCP."""

from __future__ import annotations

import time

import pytest

from drivers.base import Completion
from printers.escpos import PrinterError, ReceiptPrinter
from printers.escpos.commands import chinese_text
from printers.escpos.simulator import EscPosPrinterSimulator
from printers.receipt import ReceiptDocument, render_receipt
from tests.printer_fixtures import (  # noqa: F401 - fixtures
    FAST_TIMEOUT,
    config_for,
    printer_fixture,
    sample_receipt,
    simulator_fixture,
)


def test_ready_printer_status(printer: ReceiptPrinter):
    assert printer.printer_status().as_json() == {"online": True, "paper": "ok", "cover_open": False}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"paper": "low"}, {"online": True, "paper": "low", "cover_open": False}),
        ({"paper": "out"}, {"online": False, "paper": "out", "cover_open": False}),
        ({"cover_open": True}, {"online": False, "paper": "ok", "cover_open": True}),
        ({"online": False}, {"online": False, "paper": "ok", "cover_open": False}),
        ({"paper": "low", "cover_open": True}, {"online": False, "paper": "low", "cover_open": True}),
    ],
)
def test_every_state_is_read_back(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter, state, expected):
    simulator.set_state(**state)
    assert printer.printer_status().as_json() == expected


def test_design_receipt_round_trip(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter):
    doc = sample_receipt(reprint=True)
    after = printer.print_receipt(render_receipt(doc, printer.config.paper_width_mm))
    assert after.can_print
    (receipt,) = simulator.wait_for_receipts(1)
    text = "\n".join(receipt.lines)
    assert "社保费缴费小票" in receipt.lines[0] and "** 补打 REPRINT **" in receipt.lines
    assert "张*三" in text and "3701**********1234" in text and "¥1,000.00" in text
    assert "银行卡（6230**********6888）" in text.replace("\n  ", "")
    assert receipt.qr_payloads == [doc.qr_payload]
    assert "?" not in text
    saved = list((simulator.receipt_dir or ...).glob("receipt-*.txt"))
    assert len(saved) == 1 and "[QR] " + str(doc.qr_payload) in saved[0].read_text(encoding="utf-8")


def test_punctuation_only_chunks_print_right(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter):
    doc = ReceiptDocument("、", [("：", "（）"), ("¥", "，。；")], footer_lines=["（）", "¥"])
    printer.print_receipt(render_receipt(doc, 58))
    (receipt,) = simulator.wait_for_receipts(1)
    assert receipt.lines[0] == "、"
    assert receipt.lines[2].startswith("：") and receipt.lines[2].endswith("（）")
    assert receipt.lines[-2:] == ["（）", "¥"]


def test_two_receipts_are_two_cuts(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter):
    for payload in ("ONE", "TWO"):
        printer.print_receipt(render_receipt(ReceiptDocument("小票", [], qr_payload=payload), 80))
    receipts = simulator.wait_for_receipts(2)
    assert [r.qr_payloads for r in receipts] == [["ONE"], ["TWO"]]


@pytest.mark.parametrize(
    ("state", "code", "completion"),
    [
        ({"paper": "out"}, "paper_out", Completion.NO_MEDIA),
        ({"cover_open": True}, "cover_open", Completion.USER_ERROR),
        ({"online": False}, "offline", Completion.DEVICE_NOT_READY),
    ],
)
def test_refuses_to_print_and_sends_nothing(
    simulator: EscPosPrinterSimulator, printer: ReceiptPrinter, state, code, completion
):
    simulator.set_state(**state)
    with pytest.raises(PrinterError) as caught:
        printer.print_receipt(render_receipt(sample_receipt(), 80))
    assert (caught.value.code, caught.value.completion, caught.value.sent) == (code, completion, False)
    assert caught.value.citizen_message
    time.sleep(0.05)
    assert simulator.data_bytes == 0 and simulator.receipts == []


def test_paper_low_still_prints(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter):
    simulator.set_state(paper="low")
    assert printer.print_receipt(render_receipt(sample_receipt(), 80)).paper == "low"
    assert len(simulator.wait_for_receipts(1)) == 1


def test_unplugged_printer_is_no_answer_not_a_hang(simulator: EscPosPrinterSimulator):
    simulator.unplug()
    with ReceiptPrinter(config_for(simulator, timeout=FAST_TIMEOUT)) as printer:
        started = time.monotonic()
        with pytest.raises(PrinterError) as caught:
            printer.printer_status()
        assert time.monotonic() - started < 10 * FAST_TIMEOUT + 2
        assert caught.value.code == "no_answer" and caught.value.completion is Completion.TIMEOUT
        with pytest.raises(PrinterError) as refused:
            printer.print_receipt(render_receipt(sample_receipt(), 80))
        assert refused.value.code == "no_answer" and not refused.value.sent
        simulator.plug_in()
        assert printer.printer_status().can_print  # the driver reconnects after an error


def test_printer_that_stops_while_printing_reports_an_incomplete_receipt(simulator: EscPosPrinterSimulator):
    """Paper runs out during the job: the status after printing turns it into an error with sent=True."""
    with ReceiptPrinter(config_for(simulator, timeout=FAST_TIMEOUT * 3)) as printer:
        original = simulator._handle

        def run_out_of_paper(data: bytes) -> bytes:
            if b"\x1dV" in data:
                simulator.set_state(paper="out")
            return original(data)

        simulator._handle = run_out_of_paper  # type: ignore[method-assign]
        with pytest.raises(PrinterError) as caught:
            printer.print_receipt(render_receipt(sample_receipt(), 80))
        assert caught.value.code == "paper_out" and caught.value.sent
        assert "reprint" in caught.value.citizen_message


def test_garbage_answer_is_a_typed_error(simulator: EscPosPrinterSimulator):
    simulator._handle = lambda data: b"\xff" if b"\x10\x04" in data else b""  # type: ignore[method-assign]
    with ReceiptPrinter(config_for(simulator, timeout=FAST_TIMEOUT)) as printer, pytest.raises(PrinterError) as caught:
        printer.printer_status()
    assert caught.value.code == "invalid_answer"


def test_missing_serial_port_is_no_device():
    from printers.escpos import ReceiptPrinterConfig

    missing = ReceiptPrinter(ReceiptPrinterConfig(transport="serial", port="/dev/nonexistent-printer"))
    with pytest.raises(PrinterError) as caught:
        missing.printer_status()
    assert caught.value.code == "no_device" and caught.value.completion is Completion.NO_DEVICE


def test_text_without_fs_ampersand_would_not_read_back(simulator: EscPosPrinterSimulator, printer: ReceiptPrinter):
    """Why the driver encodes every chunk itself: GB18030 bytes outside Chinese mode are not Chinese."""
    printer.print_receipt(b"\x1b@" + "、：".encode("gb18030") + b"\n" + chinese_text("、：") + b"\n\x1dV\x00")
    (receipt,) = simulator.wait_for_receipts(1)
    assert receipt.lines[0] != "、：" and receipt.lines[1] == "、："
