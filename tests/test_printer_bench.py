"""Receipt rendering time (target: under 20 ms). Run with --benchmark-enable to measure."""

from __future__ import annotations

from printers.receipt import render_receipt
from tests.printer_fixtures import sample_receipt


def test_render_design_receipt_80mm(benchmark):
    doc = sample_receipt(reprint=True)
    stream = benchmark(render_receipt, doc, 80)
    assert stream.endswith(b"\x1dV\x00") and b"\x1d(k" in stream


def test_render_design_receipt_58mm(benchmark):
    doc = sample_receipt()
    stream = benchmark(render_receipt, doc, 58)
    assert stream.startswith(b"\x1b@")
