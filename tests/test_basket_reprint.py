"""补打 of a household basket's one receipt from Query (issue 22): the payer who paid only for others sees those
payments (代缴, payee masked), and reprinting one brings back the whole basket receipt (both lines masked, the
total, 补打, the basket's code in the QR) on the ESC/POS printer simulator; a code missing since the payment is
asked for again; the gateway lists a terminal's own payments only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import NOW, TERMINAL
from feehttp_fixtures import OTHER_TERMINAL, client_tls
from kiosk.basket_receipt import print_basket_receipt
from kiosk.basket_reprint import basket_to_reprint, rebuild_outcome, reprint_basket
from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.items import PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import NotAllowed, Quote
from kiosk.feesystem.http_client import HttpFeeSystem
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments
from kiosk.query import PayStatus, QueryFilter, find, own_rows
from kiosk.receipts import ReceiptService, receipt_amount
from kiosk.verification import verification_url
from printer_fixtures import config_for
from printers.escpos import ReceiptPrinter
from printers.escpos.simulator import EscPosPrinterSimulator
from printers.receipt import REPRINT_MARK
from test_basket_code import SealDown

pytest_plugins = ["feehttp_fixtures"]
PAYER, SPOUSE, MOTHER = "370102197503083519", "370102197706114629", "370102194702021827"  # 王志刚's household
PAGE_URL = "https://verify.example/"
BOTH_YEARS = QueryFilter(Period(YearMonth(2026, 1), YearMonth(2027, 12)))


def two_lines(fee_system) -> list[Quote]:
    """The wife's pension and the mother's medical: the payer pays nothing of his own."""
    dues = [due.quote for due in fee_system.household_dues(PAYER, NOW.date())]
    return [dues[0], dues[2]]


def pay_basket(fee_system, journal, receipts: ReceiptService, quotes: list[Quote]) -> BasketOutcome:
    """Pay the basket by the aggregated code, then print its receipt as the kiosk does."""
    payments = BasketPayments(journal, fee_system)
    opened = payments.open_qr(fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes)), PayMethod.AGGREGATED)
    fee_system.simulate_qr_payment(opened.order.order_no, "unionpay")
    outcome = payments.settle_paid(opened.basket)
    names = {SPOUSE: "刘芳", MOTHER: "王秀兰"}
    return print_basket_receipt(receipts, payments, outcome, "王志刚", names, NOW)


@pytest.fixture
def printer_sim(tmp_path) -> Iterator[EscPosPrinterSimulator]:
    with EscPosPrinterSimulator("tcp") as sim:
        yield sim


@pytest.fixture
def receipts(printer_sim) -> Iterator[ReceiptService]:
    with ReceiptPrinter(config_for(printer_sim, timeout=1.0)) as printer:
        yield ReceiptService(printer, "测试办税服务厅", TERMINAL, PAGE_URL, 80)


def test_a_basket_not_printed_for_want_of_paper_is_reprinted_whole_from_the_payers_query(
    fee_system, journal, receipts, printer_sim
):
    printer_sim.set_state(paper="out")
    paid = pay_basket(fee_system, journal, receipts, two_lines(fee_system))
    assert paid.basket.receipt_error == "paper_out" and printer_sim.receipts == []
    code = paid.verification_code
    assert code

    # The son has no record of his own: without the terminal Query finds nothing; with it, what he paid for others.
    assert find(fee_system, PAYER, BOTH_YEARS) == []
    rows = find(fee_system, PAYER, BOTH_YEARS, TERMINAL)
    assert own_rows(rows) == [] and len(rows) == 2
    assert all(row.for_other and not row.proxy and row.status is PayStatus.PAID for row in rows)
    assert sorted(row.payee_masked for row in rows) == ["刘*", "王*兰"]
    assert find(fee_system, PAYER, QueryFilter(BOTH_YEARS.period, status=PayStatus.UNPAID), TERMINAL) == []
    # The wife's own query shows the line as paid for her; her reprint is her own line's, not the household's.
    [hers] = find(fee_system, SPOUSE, BOTH_YEARS, TERMINAL)
    assert hers.proxy and not hers.for_other and basket_to_reprint(journal, hers.record, SPOUSE) is None

    printer_sim.set_state(paper="ok")
    counted: list[str] = []
    receipts.reprint_listeners.append(counted.append)
    basket = basket_to_reprint(journal, rows[0].record, PAYER)
    assert basket is not None and basket.basket_no == paid.basket.basket_no
    known = {row.record.payment_no: row.record for row in rows}
    reprint_basket(receipts, journal, fee_system, basket, "王志刚", NOW, known)

    [receipt] = printer_sim.wait_for_receipts(1)
    text = "\n".join(receipt.lines)
    assert REPRINT_MARK in receipt.lines
    for shown in ("王*刚", mask_id_number(PAYER), "刘*", mask_id_number(SPOUSE), "王*兰", mask_id_number(MOTHER)):
        assert shown in text
    for hidden in (PAYER, SPOUSE, MOTHER, "刘芳", "王秀兰"):
        assert hidden not in text
    total = sum(row.amount_fen for row in rows)
    assert receipt_amount(total) in text and "第1项" in text and "第2项" in text
    assert all(row.record.payment_no in text for row in rows)
    assert receipt.qr_payloads == [verification_url(PAGE_URL, code)]
    assert sorted(counted) == sorted(known)  # the reprint counted for every line it shows


def test_a_code_missing_since_the_payment_is_asked_for_at_the_reprint_else_no_qr(fee_system, journal):
    receipts = ReceiptService(None, "测试办税服务厅", TERMINAL, PAGE_URL, 80)
    paid = pay_basket(SealDown(fee_system), journal, receipts, two_lines(fee_system))
    assert paid.verification_code is None and paid.basket.receipt_error == "no_printer"
    # Nothing at hand from Query: the lines' periods and own codes come from the fee system.
    still_down = rebuild_outcome(journal, SealDown(fee_system), paid.basket, {})
    assert still_down.verification_code is None and len(still_down.records) == 2
    assert all(record.verification_code for _line, record in still_down.records)  # each line keeps its own code
    sealed = rebuild_outcome(journal, fee_system, paid.basket, {})
    seal = fee_system.seal_basket(paid.basket.idempotency_key, paid.basket.basket_id)
    assert sealed.verification_code == seal.verification_code and sealed.paid_fen == seal.total_fen
    kept = BasketJournal(journal).get(paid.basket.basket_no)  # journaled: the next reprint asks nobody
    assert kept.verification_code == seal.verification_code and kept.state is paid.basket.state
    assert rebuild_outcome(journal, SealDown(fee_system), kept, {}).verification_code == seal.verification_code


def test_the_gateway_lists_only_the_payments_made_at_the_asking_terminal(served, client, pki, fee_system, journal):
    pay_basket(fee_system, journal, ReceiptService(None, "厅", TERMINAL, PAGE_URL, 80), two_lines(fee_system))
    ours = client.payments_made_for_others(PAYER, TERMINAL, BOTH_YEARS.period)
    assert ours == fee_system.payments_made_for_others(PAYER, TERMINAL, BOTH_YEARS.period) and len(ours) == 2
    other_tls = client_tls(pki, pki.terminal(OTHER_TERMINAL), OTHER_TERMINAL)
    other = HttpFeeSystem(served.url, timeout_seconds=3, retries=1, backoff_seconds=0.01, tls=other_tls)
    with pytest.raises(NotAllowed) as refused:  # a terminal naming another: refused before the fee system reads
        other.payments_made_for_others(PAYER, TERMINAL)
    assert refused.value.detail.startswith("wrong_terminal")
    assert other.payments_made_for_others(PAYER, OTHER_TERMINAL) == []  # its own: nothing paid there


def test_the_son_reprints_the_household_basket_from_query_on_the_kiosk(make_kiosk, qtbot):
    from kiosk.flow import Step
    from kiosk_driving import Driver

    driver = Driver(make_kiosk(), qtbot)
    ctx = driver.ctx
    # The basket is paid here, past the screens: first let the start-up recovery pass end, which would otherwise
    # finish this unfinished basket itself (it once closed the order while the test was posting it).
    qtbot.waitUntil(lambda: not driver.kiosk.recovery.running, timeout=10000)
    driver.printer.set_state(paper="out")
    paid = pay_basket(ctx.fee_system, ctx.journal, ctx.receipts, two_lines(ctx.fee_system))
    assert paid.basket.receipt_error == "paper_out"
    driver.printer.set_state(paper="ok")

    driver.login("household", category="resident", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("query_year_2026")
    driver.wait_for_text("另有 1 笔为他人代缴")  # the wife's pension of 2026; the mother's medical is 2027's
    assert "为他人代缴（刘*）" in driver.screen_text() and "刘芳" not in driver.screen_text()
    [pension] = [record for _line, record in paid.records if record.id_number == SPOUSE]
    driver.tap(f"reprint_{pension.payment_no}")
    driver.wait_for_text("请取走您补打的缴费小票")
    [receipt] = driver.printer.wait_for_receipts(1)
    text = "\n".join(receipt.lines)
    assert REPRINT_MARK in receipt.lines and "刘*" in text and "王*兰" in text
    assert receipt_amount(paid.paid_fen) in text and "王秀兰" not in text
    assert receipt.qr_payloads == [verification_url(ctx.receipts.page_url, paid.verification_code)]
