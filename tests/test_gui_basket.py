"""The household basket on the kiosk (issue 22): add one's own items and the family's from the register, remove a
line, pay everything with one aggregated code (paid with 云闪付), one receipt naming every payee masked; the
payee's own Query shows the payment."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drivers.pcsc.daemon import ensure_pcscd
from kiosk.basket import BasketFull
from kiosk.domain.periods import Period
from kiosk.flow import Step
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver
from parties.bankhost.accounts import demo_accounts

pytest_plugins = ["bank_fixtures"]  # vpcd_slot1: the bank card slot is shared with other test runs
pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")
ACCOUNTS = {account.name: account for account in demo_accounts()}

PAYER = "370102197503083519"  # 王志刚
SPOUSE = "370102197706114629"  # 刘芳
PARENT = "370102194702021827"  # 王秀兰


def add_own(driver: Driver, item: str, year: int) -> None:
    driver.tap(item)
    driver.tap(f"year_{year}")
    driver.tap("alipay")
    driver.wait_for(Step.GRADE)
    driver.tap("grade_G01")
    driver.tap("add_to_basket")
    driver.wait_for(Step.BASKET)


def fill_household_basket(driver: Driver) -> None:
    driver.login("household")
    driver.wait_for(Step.ITEMS)
    add_own(driver, "resident_pension", 2026)
    driver.tap("basket_household")
    driver.wait_for(Step.HOUSEHOLD)
    for row in range(3):
        driver.tap(f"household_add_{row}")
    text = driver.screen_text()
    assert "刘*" in text and "王*兰" in text and "刘芳" not in text and "王秀兰" not in text
    driver.tap("household_done")
    driver.wait_for(Step.BASKET)
    driver.tap("basket_add_mine")
    driver.wait_for(Step.ITEMS)
    add_own(driver, "resident_medical", 2027)


def test_a_household_of_three_pays_pension_and_medical_with_one_code_and_gets_one_receipt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    fill_household_basket(driver)
    assert len(driver.ctx.session.basket) == 5
    total = driver.ctx.session.basket.total_fen
    driver.tap("basket_pay_aggregated")
    driver.wait_for(Step.BASKET_QR)
    driver.wait(lambda: bool(driver.ctx.fee_system.open_qr_orders()), "the basket's code")
    order = driver.ctx.fee_system.open_qr_orders()[-1]
    assert order.amount_fen == total
    driver.ctx.fee_system.simulate_qr_payment(order.order_no, "unionpay")
    driver.wait_for(Step.BASKET_DONE)
    assert driver.ctx.fee_system.qr_order_status(order.order_no).paid_with == "unionpay"
    receipt = "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    for masked in ("王*刚", "刘*", "王*兰", "3701**********3519", "3701**********4629", "3701**********1827"):
        assert masked in receipt
    assert "刘芳" not in receipt and "聚合支付" in receipt and "第5项" in receipt
    [basket] = BasketJournal(driver.ctx.journal).created_on(driver.ctx.clock().date())
    assert basket.state is PaymentState.DONE
    for person in (SPOUSE, PARENT):
        assert all(record.payer_id_number == PAYER for record in driver.ctx.fee_system.payment_records(person))
    driver.tap("basket_finish")
    driver.wait_for(Step.HOME)
    # The payee later queries her own records: the payment made for her is there.
    driver.login("household_spouse", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("query_year_2026")
    driver.wait_for_text("2026年：共 1 笔缴费")
    [record] = driver.ctx.fee_system.payment_records(SPOUSE, None)[:1]
    assert record.payer_id_number == PAYER


def test_removing_a_line(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    fill_household_basket(driver)
    basket = driver.ctx.session.basket
    first, total = basket.items[0], basket.total_fen
    driver.tap("basket_remove_0")
    assert len(basket) == 4 and basket.total_fen == total - first.quote.amount_fen
    assert first not in basket.items
    assert "4 项" in driver.screen_text() or "4 item" in driver.screen_text()


def test_the_basket_stops_at_ten_lines(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    fill_household_basket(driver)
    basket = driver.ctx.session.basket
    quote = basket.items[0].quote
    for year in range(2010, 2015):  # five more lines of distinct periods: ten in all
        basket.add(replace(quote, quote_id=f"q{year}", period=Period.year(year)), "王志刚")
    driver.kiosk.window.current.on_enter()
    assert basket.full
    assert not driver.kiosk.window.current.add_mine.isEnabled()
    assert not driver.kiosk.window.current.family.isEnabled()
    with pytest.raises(BasketFull):
        basket.add(replace(quote, quote_id="q11", period=Period.year(2009)), "王志刚")


def test_a_basket_abandoned_at_the_code_takes_nothing(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    fill_household_basket(driver)
    driver.tap("basket_pay_aggregated")
    driver.wait_for(Step.BASKET_QR)
    driver.wait(lambda: bool(driver.ctx.fee_system.open_qr_orders()), "the basket's code")
    driver.tap("basket_cancel")
    driver.wait_for(Step.BASKET_DONE)
    assert driver.ctx.fee_system.open_qr_orders() == []
    assert driver.ctx.fee_system.payment_records(SPOUSE) == []
    [basket] = BasketJournal(driver.ctx.journal).created_on(driver.ctx.clock().date())
    assert basket.state is PaymentState.ORDER_CLOSED


def test_a_basket_of_two_by_card_is_one_pin_for_the_total(vpcd_slot1, make_kiosk, qtbot):
    ensure_pcscd()
    driver = Driver(make_kiosk(), qtbot)
    try:
        driver.login("household")
        driver.wait_for(Step.ITEMS)
        add_own(driver, "resident_pension", 2026)
        driver.tap("basket_household")
        driver.wait_for(Step.HOUSEHOLD)
        driver.tap("household_add_0")  # the spouse's pension
        driver.tap("household_done")
        driver.wait_for(Step.BASKET)
        total = driver.ctx.session.basket.total_fen
        driver.tap("basket_pay_bank_card")
        driver.wait_for(Step.BASKET_CARD)
        driver.wait_for_text("请将银行卡插入插卡口")
        driver.ctx.devices.simulators["bankcard"].insert(ACCOUNTS["ZHANG SAN"])
        driver.wait_for_text("请在密码键盘上输入密码", timeout=15000)
        assert driver.ctx.devices.simulators["pinpad"].wait_for_pin_entry(5.0)
        driver.ctx.devices.simulators["pinpad"].type_pin("123654")
        driver.wait_for(Step.BASKET_DONE, timeout=15000)
        [basket] = BasketJournal(driver.ctx.journal).created_on(driver.ctx.clock().date())
        assert basket.state is PaymentState.DONE and basket.amount_fen == total
        host = driver.ctx.devices.simulators["bank"]
        assert [entry.amount_fen for entry in host.ledger()] == [total]  # one 0200 for the total
        receipt = "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
        assert "银行卡" in receipt and "第2项" in receipt and "刘*" in receipt
    finally:
        driver.ctx.devices.simulators["bankcard"].remove()


def test_several_arrears_bills_go_into_the_basket_from_the_checkout_review_and_are_paid_at_once(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("arrears")
    for bill in ("BJ370103000101", "BJ370103000102"):
        driver.wait_for(Step.ITEMS)
        driver.tap("arrears")
        driver.wait_for(Step.ARREARS_AGENCY)
        driver.tap("agency_1")
        driver.wait_for(Step.ARREARS_BILLS)
        driver.tap(f"bill_{bill}")
        driver.wait_for(Step.CHECKOUT_METHOD)
        driver.tap("add_to_basket")
        driver.wait_for(Step.BASKET)
        if bill.endswith("101"):
            driver.tap("basket_add_mine")
    assert [item.quote.bill_no for item in driver.ctx.session.basket.items] == ["BJ370103000101", "BJ370103000102"]
    driver.tap("basket_pay_aggregated")
    driver.wait_for(Step.BASKET_QR)
    driver.pay_open_order()
    driver.wait_for(Step.BASKET_DONE)
    driver.wait_for_text("已缴费：¥600.00")
    pending = {bill.bill_no for bill in driver.ctx.fee_system.pending_bills("370103197203150026")}
    assert pending == {"BJ370103000103", "BJ370103000104", "BJ370103000201"}  # the two paid, the others not
