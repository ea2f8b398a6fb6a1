"""What a technician prints to test the printers: the receipt printer's test receipt (打印测试).

Shared by the maintenance screen's device tests (devices.py) and the command line (`kiosk diag printer test`).
"""

from __future__ import annotations

import datetime as dt


def diagnostic_receipt(terminal_id: str, paper_width_mm: int) -> bytes:
    """The Chinese test receipt: terminal id, date, the punctuation a receipt uses, a QR code to scan."""
    from printers.receipt import ReceiptDocument, render_receipt

    now = dt.datetime.now()
    doc = ReceiptDocument(
        title="打印测试",
        rows=[
            ("终端号：", terminal_id),
            ("日期：", now.strftime("%Y-%m-%d %H:%M:%S")),
            ("字符：", "、，。：；（）¥￥"),
        ],
        qr_payload=f"TEST/{terminal_id}/{now:%Y%m%d%H%M%S}",
        qr_caption="扫描二维码检查打印质量",
        footer_lines=["社保费自助缴费终端 打印测试"],
    )
    return render_receipt(doc, paper_width_mm)
