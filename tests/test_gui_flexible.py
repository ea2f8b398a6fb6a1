"""Flexible-employment pension (flow 4): months within the fee system's range, base on a keypad, its calculation."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk_driving import Driver

WORKER = "37010219850715231X"  # 张三丰, paid through 2026-08


def test_flexible_pension_by_wechat(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    driver.wait_for(Step.ITEMS)
    driver.tap("flexible_pension")
    driver.wait_for(Step.FLEX_PERIOD)
    driver.wait_for_text("2026年9月 至 2026年12月")  # as citizens read dates
    assert driver.named_button("start_2026-08") is None  # already paid: not offered
    driver.tap("start_2026-09")
    driver.tap("end_2026-11")
    driver.tap("confirm_period")
    driver.wait_for(Step.FLEX_BASE)
    assert "¥4,552.00" in driver.screen_text() and "¥22,758.00" in driver.screen_text()
    for key in "3000":
        driver.tap(f"key_{key}")
    driver.wait_for_text("低于最低缴费基数")
    assert not driver.kiosk.window.current.confirm.isEnabled()
    driver.tap("key_backspace")
    driver.tap("key_backspace")
    driver.tap("key_backspace")
    driver.tap("key_backspace")
    for key in "5000":
        driver.tap(f"key_{key}")
    driver.tap("confirm_base")
    driver.wait_for(Step.FLEX_REVIEW)
    driver.wait_for_text("3 个月 × 基数 ¥5,000.00 × 20%")
    assert "¥3,000.00" in driver.screen_text()
    driver.tap("start_payment")
    driver.wait_for(Step.CHECKOUT_METHOD)
    driver.tap("wechat")
    driver.wait_for(Step.QR_PAY)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    text = "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    assert "￥5,000.00" in text and "2026-09 至 2026-11" in text and "￥3,000.00" in text
    [record] = driver.ctx.fee_system.payment_records(WORKER)
    assert record.amount_fen == 300000 and record.months == 3 and record.base_fen == 500000


def test_lowest_base_and_printer_check_after_the_review(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.printer.set_state(cover_open=True)
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_pension")
    driver.tap("start_2026-12")
    driver.tap("confirm_period")
    driver.tap("base_lowest")
    driver.tap("confirm_base")
    driver.wait_for_text("1 个月 × 基数 ¥4,552.00 × 20%")
    driver.tap("start_payment")
    driver.tap("alipay")
    driver.wait_for(Step.RECEIPT_WARNING)
    assert driver.ctx.journal.entries() == []


def test_special_payment_of_a_pending_bill(make_kiosk, qtbot):
    debtor = "370104197809091530"  # 王建国
    driver = Driver(make_kiosk(), qtbot)
    driver.login("special", category="flexible", module="pay")
    driver.tap("special")
    driver.wait_for(Step.SPECIAL_BILLS)
    driver.wait_for_text("补缴2019年1月至2019年6月")
    driver.tap("bill_TS3701042026000137")
    driver.wait_for(Step.CHECKOUT_METHOD)
    driver.tap("alipay")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    assert "￥4,368.00" in "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    assert driver.ctx.fee_system.pending_bills(debtor) == []


def test_the_listed_bases_are_choices_and_typing_stays_for_any_other(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_pension")
    driver.tap("start_2026-12")
    driver.tap("confirm_period")
    driver.wait_for(Step.FLEX_BASE)
    offer = driver.ctx.session.offers[0]
    assert offer.base_choices_fen[0] == offer.base_min_fen and offer.base_choices_fen[-1] == offer.base_max_fen
    assert all(driver.named_button(f"base_{fen // 100}") for fen in offer.base_choices_fen)
    driver.tap("base_7586")  # 100% of the average wage (EXAMPLE policy)
    assert driver.kiosk.window.current.entry.text() == "¥ 7586"
    assert driver.named_button("base_7586").text() == "✓ ¥7,586.00 已选"
    assert "已选" not in driver.named_button("base_4552").text()
    driver.tap("key_backspace")  # typing a base of one's own: no listed base is marked any more
    assert not any("已选" in driver.named_button(f"base_{fen // 100}").text() for fen in offer.base_choices_fen)
    driver.tap("key_0")
    driver.tap("key_backspace")
    driver.tap("key_6")  # 7586 again, typed: the listed base shows as chosen
    assert driver.named_button("base_7586").text().endswith("已选")
    driver.tap("confirm_base")
    driver.wait_for(Step.FLEX_REVIEW)
    driver.wait_for_text("1 个月 × 基数 ¥7,586.00 × 20%")
