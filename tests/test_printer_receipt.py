"""Receipt layout (pure): columns per paper width, 补打, rows, QR, and the bytes of the text."""

from __future__ import annotations

import pytest

from printers.escpos.commands import display_width
from printers.escpos.parser import EscPosParser
from printers.receipt import REPRINT_MARK, ReceiptDocument, render_receipt, row_lines, wrap
from tests.printer_fixtures import sample_receipt


def printed(doc: ReceiptDocument, width: int):
    (cut,) = EscPosParser().feed(render_receipt(doc, width))
    return cut.receipt


@pytest.mark.parametrize(("width", "columns"), [(58, 32), (80, 48)])
def test_design_receipt_fits_the_paper(width, columns):
    receipt = printed(sample_receipt(), width)
    body = receipt.lines[1:]  # the title prints double width
    assert all(display_width(line) <= columns for line in body), body
    assert display_width(receipt.lines[0]) * 2 <= columns
    text = "\n".join(receipt.lines)
    for expected in (
        "张*三",
        "3701**********1234",
        "李*四",
        "城乡居民基本养老保险",
        "¥1,000.00",
        "202511030941270001",
        "JN20251103000127",
        "SD370102-007",
        "2025-11-03 09:41:27",
    ):
        assert expected in text.replace("\n  ", "")
    assert "?" not in text
    assert receipt.qr_payloads == ["https://sfzz.example.invalid/v/SIF2025-0000127-9F3A"]
    assert REPRINT_MARK not in receipt.lines


def test_reprint_is_marked_under_the_title():
    receipt = printed(sample_receipt(reprint=True), 58)
    assert receipt.lines[1] == REPRINT_MARK and "补打" in REPRINT_MARK


def test_short_row_is_one_line_with_value_right_aligned():
    assert row_lines("金额：", "¥1,000.00", 32) == ["金额：" + " " * 16 + "¥1,000.00"]  # ¥ prints full width


def test_long_value_goes_below_its_label_indented():
    lines = row_lines("办税服务厅：", "国家税务总局济南市历下区税务局第一税务分局办税服务厅", 32)
    assert lines[0] == "办税服务厅："
    assert all(line.startswith("  ") and display_width(line) <= 32 for line in lines[1:])
    assert "".join(line.strip() for line in lines[1:]) == "国家税务总局济南市历下区税务局第一税务分局办税服务厅"


def test_wrap_breaks_ascii_at_spaces_and_hanzi_anywhere():
    assert wrap("Please keep this receipt safe", 12) == ["Please keep", "this receipt", "safe"]
    assert wrap("请妥善保管本凭证", 6) == ["请妥善", "保管本", "凭证"]


def test_punctuation_only_text_is_sent_as_gb18030_after_fs_ampersand():
    stream = render_receipt(ReceiptDocument("、", [("：", "（）¥")]), 58)
    assert b"\x1c&" + "、".encode("gb18030") in stream
    assert "（）¥".encode("gb18030") in stream
    assert b"?" not in stream


def test_control_characters_from_data_do_not_become_commands():
    receipt = printed(ReceiptDocument("t", [("名", "a\x1dV\x00b\x1b@")]), 58)
    assert any("a V" in line for line in receipt.lines)


def test_unknown_paper_width_is_refused():
    with pytest.raises(ValueError):
        render_receipt(sample_receipt(), 76)
