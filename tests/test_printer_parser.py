"""The simulator's ESC/POS parser: known streams, and fuzzing (it must never raise, never depend on chunking)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from printers.escpos.commands import chinese_text
from printers.escpos.parser import Cut, EscPosParser, StatusQuery
from printers.receipt import render_receipt
from tests.printer_fixtures import sample_receipt


def receipts_of(stream: bytes, chunks: list[int] | None = None):
    parser = EscPosParser()
    events = []
    if chunks is None:
        events = parser.feed(stream)
    else:
        position = 0
        for size in chunks:
            events += parser.feed(stream[position : position + size])
            position += size
        events += parser.feed(stream[position:])
    return parser, events


def test_chinese_lines_qr_and_cut():
    stream = (
        b"\x1b@" + chinese_text("缴费人：张*三") + b"\n" + chinese_text("、：（）¥") + b"\n"
        b"\x1d(k\x06\x001P0ABC\x1d(k\x03\x001Q0" + b"\x1bd\x06\x1dV\x00"
    )
    _, events = receipts_of(stream)
    (cut,) = events
    assert isinstance(cut, Cut)
    assert cut.receipt.lines == ["缴费人：张*三", "、：（）¥"]
    assert cut.receipt.qr_payloads == ["ABC"]
    assert cut.receipt.raw == stream


def test_text_without_chinese_mode_is_not_decoded_as_chinese():
    parser, _ = receipts_of(b"\x1b@" + "缴费".encode("gb18030") + b"\n")
    assert parser.pending.lines != ["缴费"]


def test_status_queries_are_events_not_print_data():
    parser, events = receipts_of(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04")
    assert events == [StatusQuery(1), StatusQuery(2), StatusQuery(4)]
    assert parser.data_bytes == 0


def test_rendered_receipt_reads_back_whatever_the_chunking():
    stream = render_receipt(sample_receipt(reprint=True), 58)
    _, whole = receipts_of(stream)
    _, bytewise = receipts_of(stream, [1] * len(stream))
    assert whole == bytewise
    assert "** 补打 REPRINT **" in whole[0].receipt.lines


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.integers(1, 50), max_size=20))
def test_fuzz_never_raises_and_chunking_does_not_matter(data, chunks):
    parser_a, events_a = receipts_of(data)
    parser_b, events_b = receipts_of(data, chunks)
    assert events_a == events_b
    assert parser_a.pending == parser_b.pending
    assert parser_a.data_bytes == parser_b.data_bytes


printable_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x7f"), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(st.lists(printable_text, max_size=8))
def test_fuzz_gb18030_lines_round_trip(lines):
    stream = b"".join(chinese_text(line) + b"\n" for line in lines) + b"\x1dV\x00"
    _, events = receipts_of(stream)
    assert events[-1].receipt.lines == lines
