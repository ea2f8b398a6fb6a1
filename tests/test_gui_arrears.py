"""Residents' arrears (社保费补缴, issue 21 item 1) and every bill a page at a time with a review (item 6).

韩淑珍 (config/demo_people.toml "arrears") owes four bills at 历下区 and one at 市中区, anchored to the fee system's
clock: the years before the suite's 2026.
"""

from __future__ import annotations

from kiosk.domain.items import PayMethod
from kiosk.flow import Step
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver

RESIDENT = "370103197203150026"  # 韩淑珍
LIXIA = "济南市历下区社会保险事业中心"
SHIZHONG = "济南市市中区社会保险事业中心"


def open_arrears(driver: Driver, key: str = "arrears") -> None:
    driver.login(key, category="resident", module="pay")
    driver.wait_for(Step.ITEMS)
    driver.tap("arrears")


def test_two_agencies_are_asked_then_every_bill_a_page_at_a_time_then_reviewed_and_paid(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    open_arrears(driver)
    driver.wait_for(Step.ARREARS_AGENCY)
    text = driver.screen_text()
    assert LIXIA in text and "共 4 笔，合计 ¥1,480.00" in text
    assert SHIZHONG in text and "共 1 笔，合计 ¥400.00" in text
    driver.tap("agency_1")  # 历下区: the fee system lists the bills by agency
    driver.wait_for(Step.ARREARS_BILLS)
    driver.wait_for_text("第 1 页，共 2 页")
    text = driver.screen_text()
    assert f"{LIXIA}：共 4 笔，合计 ¥1,480.00。每次缴纳一笔单据。" in text
    assert "费款所属期：2023年" in text and "点击选择" in text and "☐ 补缴城乡居民基本养老保险费" in text
    assert driver.named_button("bill_BJ370103000104") is None  # the fourth bill is on page 2
    assert driver.named_button("bill_BJ370103000201") is None  # the other agency's bill is not here
    assert driver.named_button("bills_next_page") is not None
    driver.tap("bills_next_page")
    driver.wait_for_text("第 2 页，共 2 页")
    assert driver.named_button("bill_BJ370103000101") is None
    driver.tap("bill_BJ370103000104")
    driver.wait_for(Step.CHECKOUT_METHOD)
    review = driver.screen_text()
    assert "补缴城乡居民基本养老保险费，2025年" in review and LIXIA in review and "合计：¥500.00" in review
    assert "第三方支付（支付宝）" in review
    driver.ctx.flow.back()  # back to the list: the bill chosen shows a tick and 已选, on its own page
    driver.wait_for(Step.ARREARS_BILLS)
    driver.wait_for_text("第 2 页，共 2 页")
    assert "☑ 补缴城乡居民基本养老保险费   ✓ 已选" in driver.screen_text()
    driver.tap("bill_BJ370103000104")
    driver.wait_for(Step.CHECKOUT_METHOD)
    driver.tap("alipay")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    assert "补缴城乡居民基本养老保险费　2025年" in driver.screen_text()  # the bill's words, not only 特殊缴费
    [record] = driver.ctx.fee_system.payment_records(RESIDENT)
    assert record.amount_fen == 50000
    assert [bill.bill_no for bill in driver.ctx.fee_system.arrears_bills(RESIDENT)] == [
        "BJ370103000101",
        "BJ370103000102",
        "BJ370103000103",
        "BJ370103000201",
    ]
    [entry] = driver.ctx.journal.entries()
    assert entry.state is PaymentState.DONE and entry.amount_fen == 50000


def test_one_agency_left_goes_straight_to_its_bills(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    system = driver.ctx.fee_system
    quote = system.quote_bill(RESIDENT, "BJ370103000201")  # the 市中区 bill paid at the window meanwhile
    system.post_payment("window-1", quote.quote_id, PayMethod.BANK_CARD, "WINDOW0001", RESIDENT)
    open_arrears(driver)
    driver.wait_for(Step.ARREARS_BILLS)
    assert f"{LIXIA}：共 4 笔" in driver.screen_text()
    driver.ctx.flow.back()
    driver.wait_for(Step.ITEMS)  # no agency step to go back to


def test_no_arrears_is_said_in_words_and_the_citizen_stays(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    open_arrears(driver, key="resident")
    driver.wait_for_text("您没有需要补缴的费用")
    assert driver.step is Step.ITEMS
    assert any("您没有需要补缴的费用" in said for said in driver.spoken)


def test_a_flexible_worker_has_no_arrears_tile_and_keeps_the_special_payment(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("special", category="flexible", module="pay")
    driver.wait_for(Step.ITEMS)
    assert driver.named_button("arrears") is None and driver.named_button("special") is not None
    driver.tap("special")
    driver.wait_for(Step.SPECIAL_BILLS)
    driver.wait_for_text("共 1 笔，合计 ¥4,368.00")
    assert driver.named_button("bills_next_page") is None  # one page: no page buttons
    driver.tap("bill_TS3701042026000137")
    driver.wait_for(Step.CHECKOUT_METHOD)
    assert "合计：¥4,368.00" in driver.screen_text() and "济南市槐荫区社会保险事业中心" in driver.screen_text()
