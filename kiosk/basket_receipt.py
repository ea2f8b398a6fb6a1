"""The one receipt of a household basket (issue 22): every line with its payee masked, the payer masked, the
lines refunded, the total, the order and the basket's journal number, and a code to verify it; printed once after
the payment (both pay methods), again from Query (kiosk/basket_reprint.py)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from drivers.base import DeviceError
from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.money import fen_to_chinese_uppercase
from kiosk.domain.names import mask_name
from kiosk.payments.basket_journal import BasketEntry
from kiosk.payments.basket_payments import BasketOutcome
from kiosk.receipts import RECEIPT_TITLE, ReceiptService, receipt_amount
from kiosk.verification import verification_url
from printers.receipt import ReceiptDocument

log = logging.getLogger(__name__)


class ReceiptOutcomes(Protocol):
    """Where a basket's receipt result is journaled (BasketPayments on QR, BasketCardPayments on card)."""

    def receipt_result(self, basket: BasketEntry, error: str | None) -> BasketEntry: ...


def basket_document(
    service: ReceiptService,
    outcome: BasketOutcome,
    payer_name: str,
    names: dict[str, str],
    printed_at: dt.datetime,
    reprint: bool = False,
) -> ReceiptDocument:
    """``names``: the payees' names by ID number (the basket's lines), masked here; ``reprint``: marked 补打."""
    basket: BasketEntry = outcome.basket
    rows: list[tuple[str, str]] = [
        ("办税服务厅", service.hall_name),
        ("终端编号", service.terminal_id),
        ("打印时间", printed_at.strftime("%Y-%m-%d %H:%M:%S")),
        ("缴费人", mask_name(payer_name)),
        ("证件号码", mask_id_number(basket.payer_id_number)),
    ]
    for line_no, record in sorted(outcome.records, key=lambda pair: pair[0]):
        rows += [
            (f"第{line_no}项", f"{mask_name(names.get(record.id_number, ''))} {mask_id_number(record.id_number)}"),
            ("险种", record.item.official_name),
            ("费款所属期", str(record.period)),
            ("缴费金额", receipt_amount(record.amount_fen)),
            ("电子税票号码", record.payment_no),
        ]
        if record.verification_code:
            rows.append(("验证码", record.verification_code))
    for refunded in outcome.refunded:
        rows.append((f"第{refunded.line_no}项", f"已缴，已退款 {receipt_amount(refunded.amount_fen)}"))
    rows += [
        ("合计", receipt_amount(outcome.paid_fen)),
        ("金额大写", fen_to_chinese_uppercase(outcome.paid_fen, prefix=True)),
        ("支付方式", basket.pay_method.official_name),
        (
            "交易参考号" if basket.pay_method.value == "bank_card" else "支付订单号",
            basket.order_no or basket.channel_ref or "",
        ),
        ("流水号", basket.basket_no),
    ]
    # The basket's own code, signed by the fee system over the lines posted (each line's own is listed above).
    # Without it (the fee system could not give it yet) the receipt has no QR: no line's code stands for the whole.
    code = outcome.verification_code
    return ReceiptDocument(
        title=RECEIPT_TITLE,
        rows=rows,
        qr_payload=verification_url(service.page_url, code) if code else None,
        qr_caption=f"验证码 {code}" if code else None,
        footer_lines=["一次支付，多人多项缴费", "请妥善保管本小票", "可在自助终端“缴费信息查询”中补打"],
        reprint=reprint,
        specimen=service.specimen,
    )


def print_basket_receipt(
    service: ReceiptService,
    payments: ReceiptOutcomes,
    outcome: BasketOutcome,
    payer_name: str,
    names: dict[str, str],
    printed_at: dt.datetime,
    can_print: bool = True,
) -> BasketOutcome:
    """Print the settled basket's one receipt and journal how it went (receipt_result). A printer that cannot
    print (or none: ``can_print`` False) keeps the payment: the failure is journaled and Query reprints it."""
    can_print = can_print and service.printer is not None
    error: str | None = None if can_print else "no_printer"
    if can_print:
        try:
            service.print(basket_document(service, outcome, payer_name, names, printed_at), kind="payment")
        except DeviceError as failure:
            error = failure.code
        except Exception as failure:  # a receipt that would not render, a driver's bug: the money stands
            error = type(failure).__name__
            log.error("basket %s: receipt not printed (%s)", outcome.basket.basket_no, error)
    outcome.basket = payments.receipt_result(outcome.basket, error)
    return outcome
