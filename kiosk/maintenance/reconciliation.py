"""A day's reconciliation for the technician: totals per channel and the differences, as a CSV file, a receipt
or an A4 page. The comparison itself is kiosk/payments/reconcile.py's (as `kiosk reconcile`)."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import FeeSystem, FeeSystemError
from kiosk.payments.journal import Journal
from kiosk.payments.reconcile import ReconciliationReport, reconcile_stores
from printers.receipt import ReceiptDocument

TOTAL_COLUMNS = (
    "count",
    "journal_posted_fen",
    "fee_system_fen",
    "channel_paid_fen",
    "refunded_fen",
    "reversed_fen",
    "flagged_fen",
)
DIFFERENCE_COLUMNS = (
    "journal_no",
    "pay_method",
    "amount_fen",
    "kind",
    "explained",
    "explanation",
    "journal_state",
    "fee_system_payment_no",
    "channel_reference",
    "channel_state",
)


class ReconciliationUnavailable(Exception):
    pass


def run_reconciliation(
    config: KioskConfig, journal: Journal, fee_system: FeeSystem, day: dt.date
) -> ReconciliationReport:
    """As `kiosk reconcile`: the fee system through its interface (embedded or over HTTP), the QR channel, and the
    simulated bank host's ledger for card payments."""
    try:
        return reconcile_stores(config, journal, fee_system, day)
    except FeeSystemError as error:
        raise ReconciliationUnavailable(f"the fee system did not answer: {error}") from error


def write_csv(report: ReconciliationReport, folder: Path) -> Path:
    """``reconciliation-<terminal>-<day>.csv`` in ``folder`` (0600): a totals block, then the differences."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"reconciliation-{report.terminal_id}-{report.date.isoformat()}.csv"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: spreadsheets read it as UTF-8
        writer = csv.writer(handle)
        writer.writerow(["date", report.date.isoformat(), "terminal", report.terminal_id, "ok", report.ok])
        writer.writerow(["channel", *TOTAL_COLUMNS])
        for name, totals in report.totals.items():
            values = totals.as_json()
            writer.writerow([name, *("" if values[column] is None else values[column] for column in TOTAL_COLUMNS)])
        writer.writerow([])
        writer.writerow(DIFFERENCE_COLUMNS)
        for difference in report.differences:
            values = difference.as_json()
            writer.writerow(["" if values[column] is None else values[column] for column in DIFFERENCE_COLUMNS])
    return path


def summary_lines(report: ReconciliationReport) -> list[str]:
    lines = []
    for name, totals in report.totals.items():
        channel = "n/a" if totals.channel_paid_fen is None else format_fen(totals.channel_paid_fen)
        lines.append(
            f"{name}: {totals.count}  journal {format_fen(totals.journal_posted_fen)}  "
            f"fee system {format_fen(totals.fee_system_fen)}  channel {channel}"
        )
    for difference in report.differences:
        mark = "explained" if difference.explained else "UNEXPLAINED"
        lines.append(
            f"{mark} {difference.journal_no or '-'} {difference.pay_method} "
            f"{format_fen(difference.amount_fen)} {difference.kind}"
        )
    return lines


def receipt_document(report: ReconciliationReport, printed_at: dt.datetime) -> ReceiptDocument:
    """The day's reconciliation on receipt paper (对账单). Chinese: it is the hall's paper."""
    rows: list[tuple[str, str]] = [
        ("终端编号", report.terminal_id),
        ("对账日期", report.date.isoformat()),
        ("打印时间", printed_at.strftime("%Y-%m-%d %H:%M:%S")),
    ]
    for name, totals in report.totals.items():
        channel = "无账目" if totals.channel_paid_fen is None else format_fen(totals.channel_paid_fen)
        rows += [
            (f"{name} 笔数", str(totals.count)),
            (f"{name} 流水入账", format_fen(totals.journal_posted_fen)),
            (f"{name} 税费系统", format_fen(totals.fee_system_fen)),
            (f"{name} 渠道实收", channel),
        ]
    rows.append(("差异", f"{len(report.differences)} 笔，未解释 {report.unexplained} 笔"))
    for difference in report.differences:
        if not difference.explained:
            rows.append((difference.journal_no or "-", f"{format_fen(difference.amount_fen)} {difference.kind}"))
    return ReceiptDocument(title="自助终端对账单", rows=[(k, v.replace("¥", "￥")) for k, v in rows])


def write_pdf(report: ReconciliationReport, path: Path, printed_at: dt.datetime) -> Path:
    """The same on an A4 page (reportlab, the certificates' CJK font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from printers.certificates.fonts import register_fonts

    font = register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    _, height = A4
    y = height - 25 * mm
    canvas.setFont(font, 16)
    canvas.drawString(20 * mm, y, f"自助终端对账单  {report.terminal_id}  {report.date.isoformat()}")
    canvas.setFont(font, 9)
    y -= 8 * mm
    canvas.drawString(20 * mm, y, f"打印时间 {printed_at:%Y-%m-%d %H:%M:%S}")
    for line in summary_lines(report) or ["-"]:
        y -= 6 * mm
        if y < 20 * mm:
            canvas.showPage()
            canvas.setFont(font, 9)
            y = height - 20 * mm
        canvas.drawString(20 * mm, y, line)
    canvas.showPage()
    canvas.save()
    return path
