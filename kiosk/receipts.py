"""The receipt (缴费小票) of a payment: composed from the fee system's record, printed on the receipt printer.

Receipts are official: their text is Chinese whatever language the screen shows. Names and ID numbers are
masked (DESIGN.md §6). The verification code is the fee system's, signed when it posted the payment (it binds the
payment number, the masked name, the amount and the day); the QR code is the bureau's public page for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from drivers.base import DeviceError, DeviceKind, PaperStatus
from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.domain.names import mask_name
from kiosk.feesystem.api import PaymentRecord
from kiosk.session import Session
from kiosk.verification import verification_url
from printers.escpos.driver import ReceiptPrinter
from printers.receipt import ReceiptDocument, render_receipt

log = logging.getLogger(__name__)

RECEIPT_TITLE = "社会保险费缴费小票"


@dataclass(frozen=True)
class PrinterReadiness:
    """Whether a receipt can be printed now. ``reason``: paper_out, cover_open, offline, no_answer, no_device..."""

    can_print: bool
    paper_low: bool = False
    reason: str | None = None
    citizen_message: str | None = None  # English source, context "DeviceMessage"


def receipt_amount(fen: int) -> str:
    """¥ as the full-width ￥ (GBK A3A4): U+00A5 needs four GB18030 bytes that GBK-only printer fonts lack."""
    return format_fen(fen).replace("¥", "￥")


@dataclass(frozen=True)
class ReceiptParties:
    payer_name: str
    payer_id: str
    payee_name: str | None = None  # a proxy payment (代缴)
    payee_id: str | None = None


def session_parties(session: Session) -> ReceiptParties:
    """Who the receipt of this session's payment names: the person logged in, and the payee of a proxy payment."""
    payer, payee = session.person, session.payee
    return ReceiptParties(
        payer_name=payer.name if payer else "",
        payer_id=payer.id_number if payer else "",
        payee_name=payee.name if payee else None,
        payee_id=payee.id_number if payee else None,
    )


class ReceiptService:
    def __init__(
        self, printer: ReceiptPrinter | None, hall_name: str, terminal_id: str, page_url: str, paper_width_mm: int
    ) -> None:
        """``page_url``: the base URL of the bureau's public verification page (``[verification] page_url``)."""
        self.printer = printer
        self.hall_name = hall_name
        self.terminal_id = terminal_id
        self.page_url = page_url
        self.paper_width_mm = paper_width_mm
        self.specimen = False  # a demo kiosk (simulated parts or the embedded fee system): receipts say 样张
        # What a technician must see (maintenance mode): device -> warning code, e.g. paper_low.
        self.technician_warnings: dict[str, str] = {}
        # Told of every receipt the printer cut, with its kind (payment, reprint, document): the paper counter
        # (kiosk/maintenance/paper.py) listens, so that reprints and technicians' slips use up paper too.
        self.cut_listeners: list[Callable[[str], None]] = []
        # Told the payment number of each reprint that came out: the fee system counts them (its verification page
        # shows 补打); the composition root connects it (app/kiosk_app.py).
        self.reprint_listeners: list[Callable[[str], object]] = []

    def _note_paper(self, paper_low: bool) -> None:
        if paper_low and self.technician_warnings.get(DeviceKind.RECEIPT_PRINTER) != "paper_low":
            log.warning("technician: receipt paper low")
        if paper_low:
            self.technician_warnings[DeviceKind.RECEIPT_PRINTER] = "paper_low"
        else:
            self.technician_warnings.pop(DeviceKind.RECEIPT_PRINTER, None)

    def readiness(self) -> PrinterReadiness:
        """Ask the printer (DLE EOT) before any money is taken. Paper low keeps the kiosk working."""
        if self.printer is None:
            return PrinterReadiness(False, reason="no_device")
        try:
            status = self.printer.printer_status()
        except DeviceError as error:
            return PrinterReadiness(False, reason=error.code, citizen_message=error.citizen_message)
        self._note_paper(status.paper is PaperStatus.LOW)
        if status.blocking_reason:
            return PrinterReadiness(False, reason=status.blocking_reason)
        return PrinterReadiness(True, paper_low=status.paper is PaperStatus.LOW)

    def document(
        self,
        record: PaymentRecord,
        parties: ReceiptParties,
        journal_no: str,
        printed_at: dt.datetime,
        reprint: bool = False,
        reference: str | None = None,
    ) -> ReceiptDocument:
        code = record.verification_code
        rows: list[tuple[str, str]] = [
            ("办税服务厅", self.hall_name),
            ("终端编号", self.terminal_id),
            ("打印时间", printed_at.strftime("%Y-%m-%d %H:%M:%S")),
            ("缴费人", mask_name(parties.payer_name)),
            ("证件号码", mask_id_number(parties.payer_id)),
        ]
        if parties.payee_name and parties.payee_id:
            rows += [("被代缴人", mask_name(parties.payee_name)), ("被代缴人证件", mask_id_number(parties.payee_id))]
        rows += [
            ("险种", record.item.official_name),
            ("费款所属期", str(record.period)),
        ]
        if record.base_fen is not None:
            rows.append(("缴费基数", receipt_amount(record.base_fen)))
        if record.grade_code:
            rows.append(("缴费档次", f"{receipt_amount(record.amount_fen)}档"))
        rows += [
            ("缴费金额", receipt_amount(record.amount_fen)),
            ("金额大写", fen_to_chinese_uppercase(record.amount_fen, prefix=True)),
            ("支付方式", record.pay_method.official_name),
            ("交易参考号" if record.pay_method.value == "bank_card" else "支付订单号", reference or record.channel_ref),
            ("电子税票号码", record.payment_no),
            ("缴费时间", record.paid_at.strftime("%Y-%m-%d %H:%M:%S")),
            ("流水号", journal_no),
        ]
        return ReceiptDocument(
            title=RECEIPT_TITLE,
            rows=rows,
            # A record from a fee system that signs nothing gets no QR code rather than one that leads nowhere.
            qr_payload=verification_url(self.page_url, code) if code else None,
            qr_caption=f"验证码 {code}" if code else None,
            footer_lines=["请妥善保管本小票", "可在自助终端“缴费信息查询”中补打"],
            reprint=reprint,
            specimen=self.specimen,
        )

    def print_for(
        self,
        record: PaymentRecord,
        parties: ReceiptParties,
        journal_no: str,
        now: dt.datetime,
        reference: str | None = None,
    ) -> DeviceError | None:
        """Print a payment's receipt; the printer's error when it could not (the payment stands: reprint later)."""
        try:
            self.print(self.document(record, parties, journal_no, now, reference=reference), kind="payment")
        except DeviceError as error:
            log.warning("receipt for %s not printed: %s", journal_no, error.code)
            return error
        return None

    def reprint(self, record: PaymentRecord, parties: ReceiptParties, journal_no: str | None, now: dt.datetime) -> None:
        """补打: the receipt of a posted payment again, marked as a reprint. Raises the printer's DeviceError."""
        self.reprint_document(self.document(record, parties, journal_no or "—", now, reprint=True), [record.payment_no])

    def reprint_document(self, document: ReceiptDocument, payment_nos: list[str]) -> None:
        """Print a reprint (补打) and tell the listeners each payment it covers. Raises the printer's DeviceError."""
        self.print(document, kind="reprint")
        for payment_no in payment_nos:
            for listener in list(self.reprint_listeners):
                try:
                    listener(payment_no)
                except Exception as error:  # the receipt is printed: an uncounted reprint is only the page's loss
                    log.warning("reprint of %s not counted by the fee system: %s", payment_no, error)

    def render(self, document: ReceiptDocument) -> bytes:
        return render_receipt(document, self.paper_width_mm)

    def print(self, document: ReceiptDocument, kind: str = "document") -> None:
        """Raises the printer's DeviceError when it cannot print (the payment stands: reprint from Query)."""
        if self.printer is None:
            raise RuntimeError("no receipt printer configured")
        after = self.printer.print_receipt(self.render(document))
        for listener in list(self.cut_listeners):
            try:
                listener(kind)
            except Exception:  # counting paper must never turn a printed receipt into a failure
                log.exception("receipt cut listener failed")
        self._note_paper(after.paper is PaperStatus.LOW)
